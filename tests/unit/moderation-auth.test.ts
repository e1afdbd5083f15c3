import { describe, expect, it } from 'vitest';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { createModerationAuth, sessionLifetimeMs } from '../../src/lib/moderation/auth.ts';
import { getSafeReturnPath, isSameOriginRequest } from '../../src/lib/moderation/http.ts';
import { checkNewPassword, hashPassword, verifyPassword } from '../../src/lib/moderation/password.ts';
import { createReplySignature } from '../../src/lib/moderation/reply-signature.ts';
import { createModerationService } from '../../src/lib/moderation/service.ts';
import { createModerationStore } from '../../src/lib/moderation/store.ts';
import { getCsrfToken, hashSessionToken, isValidCsrfToken } from '../../src/lib/moderation/tokens.ts';
import { makeComment } from '../contract/comment-store.contract.ts';

async function setUp(now = () => new Date()) {
  const driver = createSqliteDriver(':memory:');
  await migrate(driver, commentMigrations);
  const store = createModerationStore(driver);
  const sleeps: number[] = [];
  const auth = createModerationAuth({
    store,
    secret: 'a secret of some length',
    now,
    limits: { perName: 3, perAddress: 5, windowMs: 60_000, maxDelayMs: 3000 },
    sleep: async (ms) => void sleeps.push(ms),
  });
  await store.addModerator('alice', await hashPassword('correct horse battery'));
  return { driver, store, auth, sleeps };
}

describe('password hashing', () => {
  it('stores scrypt with a per-hash salt, never the password', async () => {
    const [first, second] = [await hashPassword('correct horse battery'), await hashPassword('correct horse battery')];
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it('refuses short passwords', () => {
    expect(checkNewPassword('short')).toBe('tooShort');
    expect(checkNewPassword('long enough password')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('signs in, keeps only a hash of the token, and signs out', async () => {
    const { driver, auth } = await setUp();
    const result = await auth.signIn('alice', 'correct horse battery', '192.0.2.1');
    if (!result.ok) throw new Error('sign-in failed');
    const rows = await driver.all<{ token_hash: string }>('SELECT token_hash FROM moderator_sessions');
    expect(rows).toEqual([{ token_hash: hashSessionToken(result.token) }]);
    const session = await auth.getSession(result.token);
    expect(session?.moderator).toBe('alice');
    expect(session?.csrfToken).toBe(getCsrfToken(result.token));
    expect(await auth.getSession('made-up')).toBeUndefined();
    if (session) await auth.signOut(session);
    expect(await auth.getSession(result.token)).toBeUndefined();
  });

  it('expires, and slides forward while in use', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { auth } = await setUp(() => new Date(clock));
    const result = await auth.signIn('alice', 'correct horse battery', '192.0.2.1');
    if (!result.ok) throw new Error('sign-in failed');
    clock += sessionLifetimeMs * 0.75;
    expect((await auth.getSession(result.token))?.expiresAt.getTime()).toBe(clock + sessionLifetimeMs);
    clock += sessionLifetimeMs + 1;
    expect(await auth.getSession(result.token)).toBeUndefined();
  });
});

// Each sign-in hashes with scrypt (about 100 ms, more on a busy machine).
describe('sign-in throttling', { timeout: 30_000 }, () => {
  it('gives the same answer for an unknown name and a wrong password, and slows the name down', async () => {
    const { auth, sleeps } = await setUp();
    expect(await auth.signIn('nobody', 'correct horse battery', '192.0.2.1')).toEqual({ ok: false, code: 'invalidCredentials' });
    expect(await auth.signIn('alice', 'wrong password!!', '192.0.2.2')).toEqual({ ok: false, code: 'invalidCredentials' });
    expect(await auth.signIn('alice', 'wrong password!!', '192.0.2.3')).toEqual({ ok: false, code: 'invalidCredentials' });
    expect(await auth.signIn('alice', 'wrong password!!', '192.0.2.4')).toEqual({ ok: false, code: 'invalidCredentials' });
    // No wait for a name nobody tried lately; then 250 ms, doubling, per earlier attempt at it from anywhere.
    expect(sleeps).toEqual([250, 500]);
  });

  it('refuses a name longer than any account name unlooked-up and unrecorded, with the wrong-password answer', async () => {
    const { auth, driver } = await setUp();
    for (const name of ['a'.repeat(61), '名'.repeat(61), 'x'.repeat(5_000_000), '']) {
      expect(await auth.signIn(name, 'wrong password!!', '192.0.2.1')).toEqual({ ok: false, code: 'invalidCredentials' });
    }
    expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 0 });
    // 60 characters is a possible name, so it counts.
    expect(await auth.signIn('名'.repeat(60), 'wrong password!!', '192.0.2.1')).toEqual({ ok: false, code: 'invalidCredentials' });
    expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 1 });
  });

  it('stores keyed hashes of the name and address, never what was typed', async () => {
    const { auth, driver } = await setUp();
    await auth.signIn('Mallory-Typed-This', 'wrong password!!', '203.0.113.77');
    const rows = await driver.all<Record<string, string>>('SELECT id, account_key, address_key, pair_key FROM sign_in_attempts');
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows).toLowerCase();
    expect(stored).not.toContain('mallory');
    expect(stored).not.toContain('203.0.113');
    expect(new Set(Object.values(rows[0] ?? {})).size).toBe(4);
  });

  it('locks a name from one address after its limit, with the real time left, even with the right password', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const { auth } = await setUp(() => new Date(clock));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await auth.signIn('Alice', 'wrong password!!', '192.0.2.1');
      clock += 10_000;
    }
    // The first failure leaves the 60-second window 60 s after it was made: 30 s from now.
    expect(await auth.signIn('alice', 'correct horse battery', '192.0.2.1')).toEqual({
      ok: false,
      code: 'throttled',
      retryAfterSeconds: 30,
    });
    clock += 30_001;
    expect((await auth.signIn('alice', 'correct horse battery', '192.0.2.1')).ok).toBe(true);
  });

  it('does not let failures from elsewhere lock a moderator out: they only add a capped wait', async () => {
    const { auth, sleeps } = await setUp();
    for (let network = 0; network < 8; network += 1) {
      for (let attempt = 0; attempt < 3; attempt += 1) await auth.signIn('alice', 'wrong password!!', `198.51.100.${network}`);
      expect(await auth.signIn('alice', 'wrong password!!', `198.51.100.${network}`)).toMatchObject({ code: 'throttled' });
    }
    sleeps.length = 0;
    expect((await auth.signIn('alice', 'correct horse battery', '203.0.113.50')).ok).toBe(true);
    expect(sleeps).toEqual([3000]);
  }, 60_000);

  it('limits one address across names', async () => {
    const { auth } = await setUp();
    for (let attempt = 0; attempt < 5; attempt += 1) await auth.signIn(`user${attempt}`, 'wrong password!!', '203.0.113.9');
    expect(await auth.signIn('alice', 'correct horse battery', '203.0.113.9')).toMatchObject({ ok: false, code: 'throttled' });
    // An IPv6 /64 is one network: another address in it is the same sender.
    for (let attempt = 0; attempt < 5; attempt += 1)
      await auth.signIn(`user${attempt}`, 'wrong password!!', `2001:db8:1:2::${attempt + 1}`);
    expect(await auth.signIn('alice', 'correct horse battery', '2001:db8:1:2::ff')).toMatchObject({ ok: false, code: 'throttled' });
    expect((await auth.signIn('alice', 'correct horse battery', '203.0.113.10')).ok).toBe(true);
  });

  it('evaluates at most the limit of 50 parallel guesses at one name from one address', async () => {
    const { auth, driver } = await setUp();
    const results = await Promise.all(Array.from({ length: 50 }, () => auth.signIn('alice', 'wrong password!!', '192.0.2.7')));
    expect(results.filter((result) => !result.ok && result.code === 'invalidCredentials')).toHaveLength(3);
    expect(results.filter((result) => !result.ok && result.code === 'throttled')).toHaveLength(47);
    expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 3 });
  });

  it('holds the address limit under 50 parallel guesses at different names', async () => {
    const { auth } = await setUp();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => auth.signIn(`name${index}`, 'wrong password!!', '192.0.2.8')),
    );
    expect(results.filter((result) => !result.ok && result.code === 'invalidCredentials')).toHaveLength(5);
  });

  it('gives a successful sign-in its reservation back, so signing in again and again works', async () => {
    const { auth, driver } = await setUp();
    await auth.signIn('alice', 'wrong password!!', '192.0.2.9');
    await auth.signIn('alice', 'wrong password!!', '192.0.2.9');
    // More successes than the limit (3 here) allows attempts.
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await auth.signIn('alice', 'correct horse battery', '192.0.2.9')).ok).toBe(true);
    expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 0 });
  });

  it('refuses a password longer than any that can be set, as a counted failure', async () => {
    const { auth, driver } = await setUp();
    expect(await auth.signIn('alice', 'x'.repeat(10_000), '192.0.2.10')).toEqual({ ok: false, code: 'invalidCredentials' });
    expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 1 });
  });
});

describe('CSRF and origin checks', () => {
  it('accepts only the session’s own token', () => {
    expect(isValidCsrfToken(getCsrfToken('session-a'), 'session-a')).toBe(true);
    expect(isValidCsrfToken(getCsrfToken('session-b'), 'session-a')).toBe(false);
    expect(isValidCsrfToken('', 'session-a')).toBe(false);
    expect(isValidCsrfToken(undefined, 'session-a')).toBe(false);
  });

  it('refuses cross-site requests', () => {
    const url = new URL('https://duizhao.example/api/moderation/actions/');
    const request = (headers: Record<string, string>) => new Request(url, { method: 'POST', headers });
    expect(isSameOriginRequest(request({ origin: 'https://duizhao.example' }), url)).toBe(true);
    expect(isSameOriginRequest(request({ origin: 'https://evil.example' }), url)).toBe(false);
    expect(isSameOriginRequest(request({ 'sec-fetch-site': 'cross-site' }), url)).toBe(false);
    expect(isSameOriginRequest(request({}), url)).toBe(true);
  });

  it('returns only to console pages', () => {
    const fallback = '/en/moderate/queue/';
    expect(getSafeReturnPath('/zh/moderate/queue/?status=spam', fallback)).toBe('/zh/moderate/queue/?status=spam');
    expect(getSafeReturnPath('https://evil.example/', fallback)).toBe(fallback);
    expect(getSafeReturnPath('//evil.example/zh/moderate/', fallback)).toBe(fallback);
    expect(getSafeReturnPath('/zh/essays/x/', fallback)).toBe(fallback);
  });
});

describe('moderation actions', () => {
  it('approves, logs who did it, and publishes author replies (private under private comments)', async () => {
    const { driver, store } = await setUp();
    const comments = createCommentStore(driver);
    const catalog = [{ slug: 'essay-a', titles: { zh: '甲' }, authorNames: { zh: '对照观察者', en: 'The observer' } }];
    const service = createModerationService({
      comments,
      moderation: store,
      signReply: createReplySignature({ configuredName: undefined, catalog, genericName: () => 'Author' }),
    });
    const open = makeComment();
    const secret = makeComment({ isPrivate: true });
    await comments.insertComment(open);
    await comments.insertComment(secret);
    expect(await service.moderate('alice', 'approve', [open.id, 'missing'])).toEqual([open.id]);
    expect((await comments.getComment(open.id))?.status).toBe('approved');
    const reply = await service.reply('alice', secret.id, ' Thank you \r\n');
    if (!reply.ok) throw new Error(reply.code);
    // Signed with the essay author's name in the comment's language, never the moderator's account name.
    expect(reply.comment).toMatchObject({
      isAuthor: true,
      isPrivate: true,
      status: 'approved',
      parentId: secret.id,
      body: 'Thank you',
      name: '对照观察者',
    });
    expect((await comments.getComment(reply.comment.id))?.name).toBe('对照观察者');
    expect(await service.reply('alice', secret.id, '   ')).toEqual({ ok: false, code: 'emptyReply' });
    expect(await service.moderate('alice', 'delete', [secret.id])).toEqual([secret.id]);
    // The reply went with the comment it answered, logged as deleted with it.
    expect(await comments.getComment(reply.comment.id)).toBeUndefined();
    const log = await store.listAuditEntries();
    expect(log.map((entry) => [entry.moderator, entry.action, entry.commentId, entry.detail])).toEqual([
      ['alice', 'delete', reply.comment.id, secret.id],
      ['alice', 'delete', secret.id, null],
      ['alice', 'reply', reply.comment.id, secret.id],
      ['alice', 'approve', open.id, null],
    ]);
  });
});

describe('reply signature', () => {
  const catalog = [
    { slug: 'both', titles: { zh: '甲', en: 'A' }, authorNames: { zh: '对照观察者', en: 'The duizhao observer' } },
    { slug: 'nameless', titles: { zh: '乙' } },
  ];
  const genericName = (lang: string) => (lang === 'zh' ? '作者' : 'Author');

  it('signs with the essay author’s display name in the comment’s language', () => {
    const sign = createReplySignature({ configuredName: undefined, catalog, genericName });
    expect(sign('both', 'zh')).toBe('对照观察者');
    expect(sign('both', 'en')).toBe('The duizhao observer');
  });

  it('lets MODERATION_AUTHOR_NAME override it, and falls back to the word for author, never a login', () => {
    expect(createReplySignature({ configuredName: 'Lin', catalog, genericName })('both', 'zh')).toBe('Lin');
    const sign = createReplySignature({ configuredName: undefined, catalog, genericName });
    expect(sign('nameless', 'en')).toBe('Author');
    expect(sign('gone-since', 'zh')).toBe('作者');
  });
});
