import { beforeEach, describe, expect, it } from 'vitest';
import { issueFormToken } from '../../src/lib/comments/fill-time.ts';
import { createReservedNameCheck } from '../../src/lib/comments/names.ts';
import type { PublicComment } from '../../src/lib/comments/schema.ts';
import { buildThreads, createCommentService, type CommentService } from '../../src/lib/comments/service.ts';
import { createCommentStore, type CommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { createEmailStore } from '../../src/lib/email/store.ts';

const secret = 'unit-test-secret-value';
const sender = { address: '203.0.113.9' };
const essays = new Set(['essay-a', 'essay-b']);

describe('submitting a comment', () => {
  let store: CommentStore;
  let service: CommentService;
  let driver: SqlDriver;
  let now: Date;
  const post = (fields: Record<string, unknown>, from = sender) =>
    service.submitComment(
      {
        essay: 'essay-a',
        lang: 'en',
        name: 'Ann',
        body: 'Hello',
        formToken: issueFormToken(secret, new Date(now.getTime() - 10_000)),
        ...fields,
      },
      from,
    );

  beforeEach(async () => {
    driver = createSqliteDriver(':memory:');
    await migrate(driver, commentMigrations);
    store = createCommentStore(driver);
    now = new Date('2025-05-01T12:00:00Z');
    service = createCommentService({
      store,
      secret,
      rateLimit: { max: 5, windowMs: 600_000 },
      minFillMs: 3000,
      isKnownEssay: (slug) => essays.has(slug),
      isReservedName: createReservedNameCheck({ names: ['对照观察者', 'The duizhao observer'], listCurrentNames: async () => ['alice'] }),
      now: () => now,
    });
    return () => driver.close();
  });

  it('stores the reply-email consent only where the server sends email, and asks for the address it needs', async () => {
    const subscribed = async (id: string) => (await createEmailStore(driver).getSubscription(id)) !== undefined;
    // This service was made without email: the box was never shown, and a ticked one is ignored.
    const ignored = await post({ notifyReplies: true });
    expect(ignored.ok && (await subscribed(ignored.comment.id))).toBe(false);

    const withEmail = createCommentService({
      store,
      secret,
      rateLimit: null,
      minFillMs: 0,
      isKnownEssay: () => true,
      canNotifyReplies: true,
    });
    const missing = await withEmail.submitComment({ essay: 'essay-a', lang: 'zh', name: 'Ann', body: 'Hi', notifyReplies: true }, sender);
    expect(missing).toEqual({
      ok: false,
      error: { status: 400, code: 'invalidInput', fields: [{ field: 'email', code: 'emailNeeded' }] },
    });
    const asked = await withEmail.submitComment(
      { essay: 'essay-a', lang: 'zh', name: 'Ann', body: 'Hi', email: 'ann@example.com', notifyReplies: true },
      sender,
    );
    expect(asked.ok && (await subscribed(asked.comment.id))).toBe(true);
    const unticked = await withEmail.submitComment(
      { essay: 'essay-a', lang: 'zh', name: 'Ann', body: 'Hi', email: 'ann@example.com' },
      sender,
    );
    expect(unticked.ok && (await subscribed(unticked.comment.id))).toBe(false);
  });

  it('refuses the author’s and the moderators’ names, with the other fields’ errors, and stores nothing', async () => {
    for (const name of ['对照 观察者', 'THE DUIZHAO OBSERVER', 'Ａｌｉｃｅ', 'ali\u200Bce']) {
      expect(await post({ name }), name).toMatchObject({
        ok: false,
        error: { status: 400, code: 'invalidInput', fields: [{ field: 'name', code: 'reserved' }] },
      });
    }
    expect(await post({ name: 'Alice', body: '' })).toMatchObject({
      ok: false,
      error: {
        fields: [
          { field: 'name', code: 'reserved' },
          { field: 'body', code: 'required' },
        ],
      },
    });
    expect(await store.listComments()).toEqual([]);
    expect(await post({ name: 'Alice Chen' })).toMatchObject({ ok: true, comment: { name: 'Alice Chen' } });
  });

  it('stores names and bodies without bidirectional controls', async () => {
    const result = await post({ name: 'Ann\u202E', body: 'a \u2066b\u2069 c' });
    expect(result).toMatchObject({ ok: true, comment: { name: 'Ann', body: 'a b c' } });
    expect((await store.listComments()).map((comment) => [comment.name, comment.body])).toEqual([['Ann', 'a b c']]);
  });

  it('stores a valid comment as pending, with the address only as a hash', async () => {
    const result = await post({ email: 'ann@example.com', private: true });
    expect(result).toMatchObject({ ok: true, comment: { status: 'pending', isPrivate: true, email: 'ann@example.com', isAuthor: false } });
    const rows = await store.listComments();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('203.0.113.9');
  });

  it('stores nothing for invalid input', async () => {
    expect(await post({ body: '' })).toMatchObject({
      ok: false,
      error: { status: 400, code: 'invalidInput', fields: [{ field: 'body', code: 'required' }] },
    });
    expect(await store.listComments()).toEqual([]);
  });

  it('answers 404 for an unknown essay', async () => {
    expect(await post({ essay: 'no-such-essay' })).toMatchObject({ ok: false, error: { status: 404, code: 'essayNotFound' } });
  });

  it('refuses a filled honeypot', async () => {
    expect(await post({ website: 'http://spam.example' })).toMatchObject({ ok: false, error: { status: 400, code: 'spamSuspected' } });
    expect(await store.listComments()).toEqual([]);
  });

  it('refuses a form sent faster than the minimum fill time, and a forged token', async () => {
    expect(await post({ formToken: issueFormToken(secret, new Date(now.getTime() - 1000)) })).toMatchObject({
      ok: false,
      error: { status: 400, code: 'tooFast', retryAfterSeconds: 2 },
    });
    expect(await post({ formToken: issueFormToken('someone-elses-secret', now) })).toMatchObject({
      ok: false,
      error: { code: 'invalidFormToken' },
    });
  });

  it('accepts replies only to approved, public comments on the same essay', async () => {
    const parent = await post({});
    if (!parent.ok) throw new Error('setup failed');
    const reply = { parent: parent.comment.id };
    expect(await post(reply)).toMatchObject({ ok: false, error: { status: 400, code: 'invalidParent' } });
    await store.setCommentStatus(parent.comment.id, 'approved');
    expect(await post(reply)).toMatchObject({ ok: true, comment: { parentId: parent.comment.id } });
    expect(await post({ ...reply, essay: 'essay-b' }, { address: '198.51.100.2' })).toMatchObject({
      ok: false,
      error: { code: 'invalidParent' },
    });
    expect(await post({ parent: 'unknown-id' })).toMatchObject({ ok: false, error: { code: 'invalidParent' } });

    const secretParent = await post({ private: true });
    if (!secretParent.ok) throw new Error('setup failed');
    await store.setCommentStatus(secretParent.comment.id, 'approved');
    expect(await post({ parent: secretParent.comment.id })).toMatchObject({ ok: false, error: { code: 'invalidParent' } });
  });

  it('limits each sender to five comments per ten minutes, without touching other senders', async () => {
    for (let count = 0; count < 5; count += 1) expect((await post({})).ok).toBe(true);
    expect(await post({})).toMatchObject({ ok: false, error: { status: 429, code: 'rateLimited', retryAfterSeconds: 600 } });
    expect((await post({}, { address: '198.51.100.2' })).ok).toBe(true);
    now = new Date(now.getTime() + 601_000);
    expect((await post({})).ok).toBe(true);
  });

  it('tells a limited sender the real wait: until their oldest post in the window leaves it', async () => {
    const start = now;
    for (let count = 0; count < 5; count += 1) {
      expect((await post({})).ok).toBe(true);
      now = new Date(now.getTime() + 60_000);
    }
    // Posts at 0, 1, 2, 3 and 4 minutes; at 7 minutes 30 seconds the first leaves the window in 2 min 30 s.
    now = new Date(start.getTime() + 450_000);
    expect(await post({})).toMatchObject({ ok: false, error: { status: 429, code: 'rateLimited', retryAfterSeconds: 150 } });
    now = new Date(start.getTime() + 599_500);
    expect(await post({})).toMatchObject({ ok: false, error: { status: 429, retryAfterSeconds: 1 } });
    now = new Date(start.getTime() + 600_000);
    expect((await post({})).ok).toBe(true);
  });

  it('does not give the allowance back when the sender’s comments are deleted, rejected or marked as spam', async () => {
    const posted: string[] = [];
    for (let count = 0; count < 5; count += 1) {
      const result = await post({});
      if (!result.ok) throw new Error('setup failed');
      posted.push(result.comment.id);
    }
    await store.setCommentStatus(posted[0] ?? '', 'rejected');
    await store.setCommentStatus(posted[1] ?? '', 'spam');
    for (const id of posted) await store.deleteComment(id);
    expect(await store.listComments()).toEqual([]);
    expect(await post({})).toMatchObject({ ok: false, error: { status: 429, code: 'rateLimited' } });
  });

  it('refuses a reply to a comment readers cannot see because its thread is hidden', async () => {
    const start = await post({});
    if (!start.ok) throw new Error('setup failed');
    await store.setCommentStatus(start.comment.id, 'approved');
    const nested = await post({ parent: start.comment.id }, { address: '198.51.100.4' });
    if (!nested.ok) throw new Error('setup failed');
    await store.setCommentStatus(nested.comment.id, 'approved');
    expect((await post({ parent: nested.comment.id }, { address: '198.51.100.5' })).ok).toBe(true);
    await store.setCommentStatus(start.comment.id, 'rejected');
    expect(await post({ parent: nested.comment.id }, { address: '198.51.100.5' })).toMatchObject({
      ok: false,
      error: { code: 'invalidParent' },
    });
  });

  it('holds the limit when requests arrive together', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => post({})));
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    expect(results.filter((result) => !result.ok && result.error.status === 429)).toHaveLength(25);
  });

  it('gives forms without a fill-time token half the allowance', async () => {
    for (let count = 0; count < 2; count += 1) expect((await post({ formToken: undefined })).ok).toBe(true);
    expect(await post({ formToken: undefined })).toMatchObject({ ok: false, error: { status: 429 } });
    // A reader whose page ran JavaScript still has the rest of the normal allowance.
    expect((await post({})).ok).toBe(true);
  });

  it('lists public threads of a known essay only', async () => {
    expect(await service.listThreads('no-such-essay')).toBeUndefined();
    expect(await service.listThreads('essay-a')).toEqual({ threads: [], count: 0 });
  });

  it('hands out the same listing until something is written', async () => {
    const first = await service.listThreads('essay-a');
    expect(await service.listThreads('essay-a')).toBe(first);
    const posted = await post({});
    if (!posted.ok) throw new Error('setup failed');
    const afterPost = await service.listThreads('essay-a');
    expect(afterPost).not.toBe(first);
    expect(afterPost?.count).toBe(0);
    await store.setCommentStatus(posted.comment.id, 'approved');
    expect((await service.listThreads('essay-a'))?.count).toBe(1);
  });
});

describe('threads', () => {
  const comment = (id: string, parentId: string | null = null): PublicComment => ({
    id,
    essay: 'e',
    lang: 'zh',
    parentId,
    name: id,
    body: id,
    format: 'plain',
    isAuthor: false,
    createdAt: new Date(0),
  });

  it('nests replies under their parents, keeping order', () => {
    const threads = buildThreads([comment('a'), comment('b'), comment('a1', 'a'), comment('a1x', 'a1'), comment('a2', 'a')]);
    expect(threads.map((thread) => thread.id)).toEqual(['a', 'b']);
    expect(threads[0]?.replies.map((reply) => reply.id)).toEqual(['a1', 'a2']);
    expect(threads[0]?.replies[0]?.replies.map((reply) => reply.id)).toEqual(['a1x']);
  });

  it('leaves out a reply whose parent is not public', () => {
    expect(buildThreads([comment('a'), comment('orphan', 'hidden'), comment('orphan-reply', 'orphan')]).map((thread) => thread.id)).toEqual(
      ['a'],
    );
    expect(buildThreads([comment('a'), comment('orphan', 'hidden')])[0]?.replies).toEqual([]);
  });
});
