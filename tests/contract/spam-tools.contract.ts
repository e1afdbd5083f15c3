import { beforeEach, describe, expect, it } from 'vitest';
import { createCommentStore, type CommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { automaticModerator } from '../../src/lib/moderation/spam-rules.ts';
import { createModerationStore, writeAutomaticSpamAudit, type ModerationStore } from '../../src/lib/moderation/store.ts';
import { makeComment } from './comment-store.contract.ts';

const minute = 60_000;
const at = (minutes: number) => new Date(Date.UTC(2025, 2, 1, 12, 0) + minutes * minute);

/** The spam list, automatic spam with its audit row, and the site-wide cap: what every driver must do. */
export function describeSpamToolsContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`spam tools contract: ${driverName}`, () => {
    let driver: SqlDriver;
    let comments: CommentStore;
    let moderation: ModerationStore;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
      comments = createCommentStore(driver);
      moderation = createModerationStore(driver);
      return () => driver.close();
    });

    it('keeps a list of phrases and domains: one of each value, oldest first, removable by id', async () => {
      expect(await moderation.listSpamRules()).toEqual([]);
      expect(await moderation.addSpamRule('phrase', '免费领取', 'alice', at(1))).toBe(true);
      expect(await moderation.addSpamRule('domain', 'spam.example', 'bob', at(2))).toBe(true);
      expect(await moderation.addSpamRule('phrase', '免费领取', 'bob', at(3))).toBe(false);
      // The same text as another kind is another rule.
      expect(await moderation.addSpamRule('phrase', 'spam.example', 'bob', at(4))).toBe(true);
      const rules = await moderation.listSpamRules();
      expect(rules.map(({ kind, value, createdBy, createdAt }) => ({ kind, value, createdBy, createdAt }))).toEqual([
        { kind: 'phrase', value: '免费领取', createdBy: 'alice', createdAt: at(1) },
        { kind: 'domain', value: 'spam.example', createdBy: 'bob', createdAt: at(2) },
        { kind: 'phrase', value: 'spam.example', createdBy: 'bob', createdAt: at(4) },
      ]);
      expect(await moderation.removeSpamRule(rules[1]!.id, 'carol', at(5))).toBe(true);
      expect(await moderation.removeSpamRule(rules[1]!.id, 'carol', at(6))).toBe(false);
      expect((await moderation.listSpamRules()).map((rule) => rule.value)).toEqual(['免费领取', 'spam.example']);
    });

    it('logs who added and removed which rule, once each: a duplicate or a second removal leaves no row', async () => {
      await moderation.addSpamRule('phrase', '免费领取', 'alice', at(1));
      await moderation.addSpamRule('phrase', '免费领取', 'bob', at(2));
      const [rule] = await moderation.listSpamRules();
      await moderation.removeSpamRule(rule!.id, 'carol', at(3));
      await moderation.removeSpamRule(rule!.id, 'dave', at(4));
      const entries = await moderation.listAuditEntries();
      expect(
        entries.map(({ at: when, moderator, action, commentId, detail, comment }) => ({
          when,
          moderator,
          action,
          commentId,
          detail,
          comment,
        })),
      ).toEqual([
        { when: at(3), moderator: 'carol', action: 'remove-spam-rule', commentId: null, detail: 'phrase: 免费领取', comment: null },
        { when: at(1), moderator: 'alice', action: 'add-spam-rule', commentId: null, detail: 'phrase: 免费领取', comment: null },
      ]);
      expect((await moderation.listAuditEntries({ action: 'add-spam-rule' })).map((entry) => entry.moderator)).toEqual(['alice']);
    });

    it('adds a rule sent by ten moderators at once once, with one audit row', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) => moderation.addSpamRule('domain', 'spam.example', `moderator-${index}`, at(index))),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
      const rows = await moderation.listAuditEntries({ action: 'add-spam-rule' });
      expect(rows).toHaveLength(1);
      expect(rows[0]?.moderator).toBe((await moderation.listSpamRules())[0]?.createdBy);
    });

    it('stores automatic spam with its audit row in one transaction, and a refused post leaves no audit row', async () => {
      const spam = makeComment({ status: 'spam', createdAt: at(0) });
      const stored = await comments.insertComment(spam, undefined, {
        alongside: [writeAutomaticSpamAudit(spam.id, 'phrase: 免费领取', at(0))],
      });
      expect(stored.isStored).toBe(true);
      expect((await comments.getComment(spam.id))?.status).toBe('spam');
      expect((await comments.listQueue({ status: 'spam' })).map((comment) => comment.id)).toEqual([spam.id]);
      const [entry] = await moderation.listAuditEntries();
      expect(entry).toMatchObject({
        moderator: automaticModerator,
        action: 'spam',
        commentId: spam.id,
        detail: 'phrase: 免费领取',
        at: at(0),
      });

      // Over the sender's limit: neither the comment nor its audit row is written.
      const limit = { max: 1, since: at(-10) };
      await comments.insertComment(makeComment({ ipHash: 'flooder', createdAt: at(1) }), limit);
      const refused = makeComment({ ipHash: 'flooder', status: 'spam', createdAt: at(2) });
      const result = await comments.insertComment(refused, limit, {
        alongside: [writeAutomaticSpamAudit(refused.id, 'domain: spam.example', at(2))],
      });
      expect(result.isStored).toBe(false);
      expect(await comments.getComment(refused.id)).toBeUndefined();
      expect(await moderation.listAuditEntries()).toHaveLength(1);

      // Released with one action, the moderator's own audit row follows the automatic one.
      expect(await moderation.moderateComments('alice', 'approve', [spam.id], at(3))).toEqual([spam.id]);
      expect((await comments.getComment(spam.id))?.status).toBe('approved');
      expect((await moderation.listAuditEntries()).map((row) => row.moderator)).toEqual(['alice', automaticModerator]);
    });

    it('caps readers’ new comments site-wide: the author’s replies and spam do not count, and the refusal names the comments that fill the window', async () => {
      const siteLimit = { max: 3, since: at(0) };
      // Outside the window, from the author, or spam: none of these count.
      await comments.insertComment(makeComment({ createdAt: at(-1), ipHash: 'a' }));
      await comments.insertComment(makeComment({ createdAt: at(1), isAuthor: true, status: 'approved', ipHash: null }));
      await comments.insertComment(makeComment({ createdAt: at(2), status: 'spam', ipHash: 'b' }));
      for (const [index, minutes] of [5, 7, 9].entries()) {
        const result = await comments.insertComment(makeComment({ createdAt: at(minutes), ipHash: `sender-${index}` }), undefined, {
          siteLimit,
        });
        expect(result.isStored).toBe(true);
      }
      const refused = makeComment({ createdAt: at(10), ipHash: 'sender-new' });
      expect(await comments.insertComment(refused, { max: 5, since: at(0) }, { siteLimit })).toEqual({
        isStored: false,
        limitedBy: 'site',
        recentPosts: [at(9), at(7), at(5)],
      });
      expect(await comments.getComment(refused.id)).toBeUndefined();
      // A refused post is not counted against its sender either.
      expect(await driver.all('SELECT * FROM comment_posts WHERE sender_hash = ?1', ['sender-new'])).toEqual([]);
      // Later, when the oldest has left the window, there is room again.
      expect((await comments.insertComment(refused, undefined, { siteLimit: { max: 3, since: at(6) } })).isStored).toBe(true);
    });

    it('holds the site-wide cap under 30 concurrent posts', async () => {
      const siteLimit = { max: 10, since: at(0) };
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          comments.insertComment(makeComment({ createdAt: at(1), ipHash: `s${index}` }), undefined, { siteLimit }),
        ),
      );
      expect(results.filter((result) => result.isStored)).toHaveLength(10);
      expect((await comments.countByStatus()).pending).toBe(10);
    });
  });
}
