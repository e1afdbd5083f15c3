import { beforeEach, describe, expect, it } from 'vitest';
import { issueFormToken } from '../../src/lib/comments/fill-time.ts';
import { describeCommentError } from '../../src/lib/comments/messages.ts';
import { createCommentService, type CommentService } from '../../src/lib/comments/service.ts';
import { createCommentStore, type CommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { getTranslator } from '../../src/i18n/translator.ts';
import {
  automaticModerator,
  describeSpamRule,
  readSpamRuleDescription,
  findSpamMatch,
  normalizeSpamRule,
  type SpamRule,
  type SpamRuleKind,
} from '../../src/lib/moderation/spam-rules.ts';
import { createModerationStore, writeAutomaticSpamAudit, type ModerationStore } from '../../src/lib/moderation/store.ts';

const rule = (kind: SpamRuleKind, raw: string, id = 1): SpamRule => ({
  id,
  kind,
  value: normalizeSpamRule(kind, raw) ?? '',
  createdBy: 'alice',
  createdAt: new Date(0),
});
const matches = (rules: SpamRule[], body: string, name = 'Reader') => findSpamMatch(rules, { name, body })?.value;

describe('spam rules', () => {
  it('stores one spelling of each rule: phrases folded, domains reduced to the host', () => {
    expect(normalizeSpamRule('phrase', '  Free   MONEY ')).toBe('free money');
    expect(normalizeSpamRule('phrase', 'ＦＲＥＥ')).toBe('free');
    expect(normalizeSpamRule('domain', 'https://www.Spam.Example/path?x=1')).toBe('spam.example');
    expect(normalizeSpamRule('domain', '例子.广告')).toBe('xn--fsqu00a.xn--4rr70v');
    for (const [kind, bad] of [
      ['phrase', '   '],
      ['phrase', 'x'.repeat(201)],
      ['domain', 'localhost'],
      ['domain', 'not a domain'],
      ['domain', '.example'],
      ['domain', 'http://'],
    ] as const)
      expect(normalizeSpamRule(kind, bad), bad).toBeUndefined();
  });

  it('finds a phrase where it stands as words in Latin text, anywhere in Chinese, in any case or width, in the name too', () => {
    const rules = [rule('phrase', 'viagra', 1), rule('phrase', '免费领取', 2), rule('phrase', 'cheap pills', 3)];
    expect(matches(rules, 'Buy VIAGRA now')).toBe('viagra');
    expect(matches(rules, 'Ｖｉａｇｒａ!')).toBe('viagra');
    expect(matches(rules, '点此免费领取红包')).toBe('免费领取');
    expect(matches(rules, 'so  cheap\npills')).toBe('cheap pills');
    expect(matches(rules, 'hello', 'viagra shop')).toBe('viagra');
    expect(matches(rules, 'viagras and aviagra are other words')).toBeUndefined();
    expect(matches(rules, 'a thoughtful comment')).toBeUndefined();
  });

  it('finds a domain in links (and their subdomains) and in the text, but not in a longer name', () => {
    const rules = [rule('domain', 'spam.example')];
    expect(matches(rules, '[cheap](https://shop.spam.example/x)')).toBe('spam.example');
    expect(matches(rules, 'see www.spam.example')).toBe('spam.example');
    expect(matches(rules, 'type spam.example into your browser')).toBe('spam.example');
    expect(matches(rules, '[fine](https://notspam.example/)')).toBeUndefined();
    expect(matches(rules, '[fine](https://spam.example.org/)')).toBeUndefined();
  });

  it('says in the audit log which rule decided', () => {
    expect(describeSpamRule(rule('domain', 'spam.example'))).toBe('domain: spam.example');
  });

  it('reads the rule back from an audit detail, a phrase with ": " in it too, and nothing from other details', () => {
    expect(readSpamRuleDescription(describeSpamRule(rule('phrase', 'note: 免费')))).toEqual({ kind: 'phrase', value: 'note: 免费' });
    expect(readSpamRuleDescription(describeSpamRule(rule('domain', 'spam.example')))).toEqual({ kind: 'domain', value: 'spam.example' });
    // A deleted reply's detail is the id of the comment deleted with it.
    for (const detail of [null, '', '01J9ZQ3M4X5Y6Z7A8B9C0D1E2F', 'word: x']) expect(readSpamRuleDescription(detail)).toBeUndefined();
  });
});

describe('the comment service with the spam list and the site-wide cap', () => {
  const secret = 'unit-test-secret-value';
  let comments: CommentStore;
  let moderation: ModerationStore;
  let service: CommentService;
  let now: Date;
  const post = (fields: Record<string, unknown>, sender: { address: string; isModerator?: boolean }) =>
    service.submitComment(
      {
        essay: 'essay-a',
        lang: 'zh',
        name: '读者',
        body: '你好',
        formToken: issueFormToken(secret, new Date(now.getTime() - 10_000)),
        ...fields,
      },
      sender,
    );

  beforeEach(async () => {
    const driver = createSqliteDriver(':memory:');
    await migrate(driver, commentMigrations);
    comments = createCommentStore(driver);
    moderation = createModerationStore(driver);
    now = new Date('2025-05-01T12:00:00Z');
    service = createCommentService({
      store: comments,
      secret,
      rateLimit: { max: 5, windowMs: 600_000 },
      siteLimit: { max: 3, windowMs: 3_600_000 },
      minFillMs: 3000,
      isKnownEssay: () => true,
      spamFilter: {
        check: async (comment) => {
          const match = findSpamMatch(await moderation.listSpamRules(), comment);
          return match && describeSpamRule(match);
        },
        audit: writeAutomaticSpamAudit,
      },
      now: () => now,
    });
    return () => driver.close();
  });

  it('stores new comments as Markdown, and one that matches the list straight as spam, logged as automatic', async () => {
    const plain = await post({ body: '*好* 文章' }, { address: '198.51.100.1' });
    expect(plain).toMatchObject({ ok: true, comment: { status: 'pending', format: 'markdown' } });
    await moderation.addSpamRule('domain', 'spam.example', 'alice');
    const spam = await post({ body: '[便宜](https://shop.spam.example/)' }, { address: '198.51.100.2' });
    expect(spam).toMatchObject({ ok: true, comment: { status: 'spam' } });
    expect(spam.ok && (await comments.getComment(spam.comment.id))?.status).toBe('spam');
    // Beside the moderator's own row for adding the rule.
    const [entry] = await moderation.listAuditEntries({ action: 'spam' });
    expect(entry).toMatchObject({
      moderator: automaticModerator,
      action: 'spam',
      detail: 'domain: spam.example',
      commentId: spam.ok ? spam.comment.id : '',
    });
    expect((await comments.listQueue({ status: 'pending' })).map((comment) => comment.id)).toEqual([plain.ok ? plain.comment.id : '']);
  });

  it('refuses readers past the site-wide cap with 429 and the real wait, in their language; moderators and spam pass', async () => {
    for (const [index, minutes] of [0, 10, 20].entries()) {
      now = new Date(Date.UTC(2025, 4, 1, 12, minutes));
      expect((await post({}, { address: `198.51.100.${index + 1}` })).ok).toBe(true);
    }
    now = new Date(Date.UTC(2025, 4, 1, 12, 30));
    const refused = await post({}, { address: '198.51.100.9' });
    // The first of the three leaves the hour at 13:00, thirty minutes from now.
    expect(refused).toEqual({ ok: false, error: { status: 429, code: 'siteLimited', fields: [], retryAfterSeconds: 1800 } });
    if (!refused.ok) {
      expect(describeCommentError(refused.error, getTranslator('zh')).message).toBe(
        '此刻留言的读者太多，评论区稍作休息。请 30 分钟后再试，你写的内容不会丢失。',
      );
      expect(describeCommentError(refused.error, getTranslator('en')).message).toContain('try again in 30 minutes');
    }
    expect((await post({}, { address: '198.51.100.9', isModerator: true })).ok).toBe(true);
    await moderation.addSpamRule('phrase', '广告', 'alice');
    expect(await post({ body: '广告' }, { address: '198.51.100.10' })).toMatchObject({ ok: true, comment: { status: 'spam' } });
    // The moderator's comment counts for readers after them: at 13:00:01 the hour holds 12:10, 12:20 and 12:30.
    now = new Date(Date.UTC(2025, 4, 1, 13, 0, 1));
    expect(await post({}, { address: '198.51.100.11' })).toMatchObject({
      ok: false,
      error: { code: 'siteLimited', retryAfterSeconds: 599 },
    });
    now = new Date(Date.UTC(2025, 4, 1, 13, 10, 1));
    expect((await post({}, { address: '198.51.100.11' })).ok).toBe(true);
  });
});
