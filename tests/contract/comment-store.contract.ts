import { beforeEach, describe, expect, it } from 'vitest';
import type { CommentFormat, NewComment } from '../../src/lib/comments/schema.ts';
import { createCommentStore, type CommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { auditExcerptLength, createModerationStore, type ModerationStore } from '../../src/lib/moderation/store.ts';

// Dozens of writes at once go through the local D1 simulator in seconds when the machine is busy.
const concurrentTimeoutMs = 30_000;

let sequence = 0;

/** A valid pending comment; override what the test is about. */
export function makeComment(overrides: Partial<NewComment> = {}): NewComment & { format: CommentFormat } {
  sequence += 1;
  return {
    id: `c${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    essay: 'essay-a',
    lang: 'zh',
    parentId: null,
    name: `Reader ${sequence}`,
    email: `reader${sequence}@example.com`,
    body: `Comment ${sequence}`,
    format: 'plain',
    isPrivate: false,
    isAuthor: false,
    status: 'pending',
    ipHash: 'sender-1',
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)),
    ...overrides,
  };
}

/**
 * What every comment store driver must do. Call it from `tests/contract/<driver>.test.ts` with a
 * function that opens a fresh, empty database on that driver.
 */
export function describeCommentStoreContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`comment store contract: ${driverName}`, () => {
    let driver: SqlDriver;
    let store: CommentStore;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
      store = createCommentStore(driver);
      return () => driver.close();
    });

    it('migrates once: running the migrations again changes nothing', async () => {
      await migrate(driver, commentMigrations);
      const applied = await driver.all<{ id: number }>('SELECT id FROM comment_migrations ORDER BY id');
      expect(applied.map((row) => row.id)).toEqual(commentMigrations.map((migration) => migration.id));
    });

    it('stores a comment and reads it back in domain terms', async () => {
      const draft = makeComment({ body: '第一行\n第二行 😀 e\u0301', isPrivate: true, email: null, lang: 'en' });
      const result = await store.insertComment(draft);
      expect(result.isStored).toBe(true);
      const stored = await store.getComment(draft.id);
      expect(stored).toEqual({
        id: draft.id,
        essay: 'essay-a',
        lang: 'en',
        parentId: null,
        name: draft.name,
        email: null,
        body: '第一行\n第二行 😀 e\u0301',
        format: 'plain',
        isPrivate: true,
        isAuthor: false,
        status: 'pending',
        createdAt: draft.createdAt,
        moderatedAt: null,
      });
      expect(stored?.createdAt).toBeInstanceOf(Date);
    });

    it('answers undefined for an unknown id', async () => {
      expect(await store.getComment('missing')).toBeUndefined();
    });

    it('lists only approved, public comments of every language, oldest first, without private fields', async () => {
      const approvedZh = makeComment({ lang: 'zh' });
      const approvedEn = makeComment({ lang: 'en' });
      const pending = makeComment();
      const rejected = makeComment();
      const spam = makeComment();
      const approvedPrivate = makeComment({ isPrivate: true });
      const otherEssay = makeComment({ essay: 'essay-b' });
      for (const comment of [approvedEn, approvedZh, pending, rejected, spam, approvedPrivate, otherEssay])
        await store.insertComment(comment);
      for (const comment of [approvedZh, approvedEn, approvedPrivate, otherEssay]) await store.setCommentStatus(comment.id, 'approved');
      await store.setCommentStatus(rejected.id, 'rejected');
      await store.setCommentStatus(spam.id, 'spam');

      const listed = await store.listPublicComments('essay-a');
      // approvedZh was written first (makeComment counts time up), though stored second.
      expect(listed.map((comment) => comment.id)).toEqual([approvedZh.id, approvedEn.id]);
      for (const comment of listed) {
        expect(Object.keys(comment).sort()).toEqual(['body', 'createdAt', 'essay', 'format', 'id', 'isAuthor', 'lang', 'name', 'parentId']);
      }
    });

    it('orders public comments by time', async () => {
      const later = makeComment({ createdAt: new Date('2025-03-02T00:00:00Z') });
      const earlier = makeComment({ createdAt: new Date('2025-03-01T00:00:00Z') });
      for (const comment of [later, earlier]) {
        await store.insertComment(comment);
        await store.setCommentStatus(comment.id, 'approved');
      }
      expect((await store.listPublicComments('essay-a')).map((comment) => comment.id)).toEqual([earlier.id, later.id]);
    });

    it('keeps a reply’s parent and an author’s mark', async () => {
      const parent = makeComment();
      await store.insertComment(parent);
      await store.setCommentStatus(parent.id, 'approved');
      const reply = makeComment({ parentId: parent.id, isAuthor: true, status: 'approved', ipHash: null });
      await store.insertComment(reply);
      const listed = await store.listPublicComments('essay-a');
      expect(listed.find((comment) => comment.id === reply.id)).toMatchObject({ parentId: parent.id, isAuthor: true });
    });

    it('filters comments for moderation, newest first', async () => {
      const first = makeComment();
      const second = makeComment({ essay: 'essay-b' });
      const third = makeComment();
      for (const comment of [first, second, third]) await store.insertComment(comment);
      await store.setCommentStatus(third.id, 'spam');
      expect((await store.listComments()).map((comment) => comment.id)).toEqual([third.id, second.id, first.id]);
      expect((await store.listComments({ essay: 'essay-a', status: 'pending' })).map((comment) => comment.id)).toEqual([first.id]);
      expect((await store.listComments({ status: 'spam' })).map((comment) => comment.id)).toEqual([third.id]);
    });

    it('records moderation and reports unknown ids', async () => {
      const comment = makeComment();
      await store.insertComment(comment);
      const at = new Date('2025-02-01T12:00:00Z');
      expect(await store.setCommentStatus(comment.id, 'approved', at)).toBe(true);
      expect(await store.getComment(comment.id)).toMatchObject({ status: 'approved', moderatedAt: at });
      expect(await store.setCommentStatus('missing', 'approved')).toBe(false);
    });

    it('refuses a comment over its sender’s limit and counts only that sender within the window', async () => {
      const now = new Date('2025-05-01T12:00:00Z');
      const limit = { max: 2, since: new Date(now.getTime() - 600_000) };
      const old = makeComment({ createdAt: new Date(now.getTime() - 700_000) });
      expect((await store.insertComment(old, limit)).isStored).toBe(true);
      expect((await store.insertComment(makeComment({ createdAt: now }), limit)).isStored).toBe(true);
      expect((await store.insertComment(makeComment({ createdAt: now }), limit)).isStored).toBe(true);
      const refused = makeComment({ createdAt: now });
      // Refused, it tells the times of the sender's newest posts in the window (the limit's worth), newest first.
      expect(await store.insertComment(refused, limit)).toEqual({ isStored: false, limitedBy: 'sender', recentPosts: [now, now] });
      expect(await store.getComment(refused.id)).toBeUndefined();
      expect((await store.insertComment(makeComment({ createdAt: now, ipHash: 'sender-2' }), limit)).isStored).toBe(true);
    });

    it('tells a refused sender which posts hold the limit: the newest ones in the window, at most the limit’s worth', async () => {
      const now = new Date('2025-05-01T12:00:00Z');
      const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
      for (const minutesAgo of [12, 9, 7, 4, 2]) {
        expect(
          (
            await store.insertComment(makeComment({ createdAt: at(minutesAgo) }), {
              max: 5,
              since: new Date(at(minutesAgo).getTime() - 600_000),
            })
          ).isStored,
        ).toBe(true);
      }
      const refused = await store.insertComment(makeComment({ createdAt: now }), { max: 3, since: at(10) });
      expect(refused).toEqual({ isStored: false, limitedBy: 'sender', recentPosts: [at(2), at(4), at(7)] });
    });

    it(
      'holds the sender limit under concurrent inserts',
      async () => {
        const now = new Date();
        const limit = { max: 5, since: new Date(now.getTime() - 600_000) };
        const results = await Promise.all(
          Array.from({ length: 40 }, () => store.insertComment(makeComment({ createdAt: now, ipHash: 'busy' }), limit)),
        );
        expect(results.filter((result) => result.isStored)).toHaveLength(5);
        expect(await store.listComments()).toHaveLength(5);
        expect(await driver.get('SELECT count(*) AS count FROM comment_posts')).toEqual({ count: 5 });
      },
      concurrentTimeoutMs,
    );

    it('counts a sender’s allowance from records that deleting, rejecting or marking spam leaves alone', async () => {
      const now = new Date('2025-05-01T12:00:00Z');
      const limit = { max: 3, since: new Date(now.getTime() - 600_000) };
      const posted = [makeComment({ createdAt: now }), makeComment({ createdAt: now }), makeComment({ createdAt: now })];
      for (const comment of posted) expect((await store.insertComment(comment, limit)).isStored).toBe(true);
      await store.setCommentStatus(posted[0]!.id, 'rejected');
      await store.setCommentStatus(posted[1]!.id, 'spam');
      for (const comment of posted) expect(await store.deleteComment(comment.id)).toBe(true);
      expect(await store.listComments()).toEqual([]);
      expect(await store.insertComment(makeComment({ createdAt: now }), limit)).toEqual({
        isStored: false,
        limitedBy: 'sender',
        recentPosts: [now, now, now],
      });
      // Once the window has passed, and the records with it, the sender may post again.
      const later = new Date(now.getTime() + 600_001);
      expect(await store.forgetPostsBefore(new Date(later.getTime() - 600_000))).toBe(3);
      expect(
        (await store.insertComment(makeComment({ createdAt: later }), { max: 3, since: new Date(later.getTime() - 600_000) })).isStored,
      ).toBe(true);
      // An unlimited insert (the author's reply) leaves no record.
      await store.insertComment(makeComment({ createdAt: later, ipHash: null, isAuthor: true }));
      expect(await driver.get('SELECT count(*) AS count FROM comment_posts')).toEqual({ count: 1 });
    });

    it('shows a reply only while every comment above it is approved and public, and again once it is', async () => {
      const start = makeComment();
      const reply = makeComment({ parentId: start.id, isAuthor: true, status: 'approved', ipHash: null });
      const nested = makeComment({ parentId: reply.id, status: 'approved' });
      const other = makeComment({ status: 'approved' });
      for (const comment of [start, reply, nested, other]) await store.insertComment(comment);
      const publicIds = async () => (await store.listPublicComments('essay-a')).map((comment) => comment.id);
      const visibility = async () => Promise.all([start, reply, nested].map((comment) => store.isPublicComment(comment.id)));

      // A reply to a pending comment waits for it.
      expect(await publicIds()).toEqual([other.id]);
      expect(await visibility()).toEqual([false, false, false]);
      await store.setCommentStatus(start.id, 'approved');
      expect(await publicIds()).toEqual([start.id, reply.id, nested.id, other.id]);
      expect(await visibility()).toEqual([true, true, true]);
      for (const status of ['rejected', 'spam', 'pending'] as const) {
        await store.setCommentStatus(start.id, status);
        expect(await publicIds(), status).toEqual([other.id]);
        expect(await visibility(), status).toEqual([false, false, false]);
      }
      await store.setCommentStatus(start.id, 'approved');
      await store.setCommentStatus(reply.id, 'spam');
      expect(await publicIds()).toEqual([start.id, other.id]);
      await store.setCommentStatus(reply.id, 'approved');
      expect(await publicIds()).toEqual([start.id, reply.id, nested.id, other.id]);
      expect(await store.isPublicComment('missing')).toBe(false);
    });

    it('keeps the thread under a private comment out of public view', async () => {
      const secret = makeComment({ isPrivate: true, status: 'approved' });
      const reply = makeComment({ parentId: secret.id, status: 'approved', isAuthor: true, ipHash: null });
      await store.insertComment(secret);
      await store.insertComment(reply);
      expect(await store.listPublicComments('essay-a')).toEqual([]);
      expect(await store.isPublicComment(reply.id)).toBe(false);
    });

    it('runs a batch as one transaction: a failing statement undoes the others', async () => {
      await expect(
        driver.batch([
          { sql: "INSERT INTO comment_settings (key, value) VALUES ('a', '1')" },
          { sql: "INSERT INTO comment_settings (key, value) VALUES ('a', '2')" },
        ]),
      ).rejects.toThrow();
      expect(await driver.get("SELECT value FROM comment_settings WHERE key = 'a'")).toBeUndefined();
      const results = await driver.batch([
        { sql: 'INSERT INTO comment_settings (key, value) VALUES (?1, ?2)', params: ['b', '1'] },
        { sql: "UPDATE comment_settings SET value = '2' WHERE key = 'b'" },
      ]);
      expect(results).toEqual([{ changes: 1 }, { changes: 1 }]);
    });

    it(
      'keeps concurrent writes apart: one that fails undoes only itself',
      async () => {
        const first = makeComment();
        const second = makeComment();
        const outcomes = await Promise.allSettled([
          store.insertComment(first),
          store.insertComment(makeComment({ parentId: 'no-such-comment' })),
          store.insertComment(second),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.listComments()).map((comment) => comment.id).sort()).toEqual([first.id, second.id].sort());
      },
      concurrentTimeoutMs,
    );

    it('refuses rows the schema forbids', async () => {
      await expect(store.insertComment(makeComment({ status: 'published' as never }))).rejects.toThrow();
      await expect(store.insertComment(makeComment({ parentId: 'no-such-comment' }))).rejects.toThrow();
    });

    it('moves its change marker on every write and only then, if the driver has one', async () => {
      const before = await store.getChangeMarker();
      if (before === undefined) return;
      expect(await store.getChangeMarker()).toBe(before);
      const comment = makeComment();
      await store.insertComment(comment);
      const afterInsert = await store.getChangeMarker();
      expect(afterInsert).not.toBe(before);
      await store.setCommentStatus(comment.id, 'approved');
      expect(await store.getChangeMarker()).not.toBe(afterInsert);
    });

    it('keeps the first secret it is given', async () => {
      expect(await store.getOrCreateSecret('first-secret-value')).toBe('first-secret-value');
      expect(await store.getOrCreateSecret('second-secret-value')).toBe('first-secret-value');
    });
  });
}

/** The moderation queue's store methods, on every driver. */
export function describeModerationStoreContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`comment store contract, moderation: ${driverName}`, () => {
    let driver: SqlDriver;
    let store: CommentStore;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
      store = createCommentStore(driver);
      return () => driver.close();
    });

    it('lists the queue oldest first, filtered by status, essay and language, with counts', async () => {
      const first = makeComment({ lang: 'zh' });
      const second = makeComment({ lang: 'en' });
      const other = makeComment({ essay: 'essay-b', status: 'spam' });
      for (const comment of [second, other, first]) await store.insertComment(comment);
      expect((await store.listQueue({ status: 'pending' })).map((comment) => comment.id)).toEqual([first.id, second.id]);
      expect((await store.listQueue({ status: 'pending', lang: 'en' })).map((comment) => comment.id)).toEqual([second.id]);
      expect((await store.listQueue({ essay: 'essay-b' })).map((comment) => comment.id)).toEqual([other.id]);
      expect(await store.countByStatus()).toEqual({ pending: 2, approved: 0, rejected: 0, spam: 1 });
      expect(await store.countByStatus({ essay: 'essay-a', lang: 'zh' })).toEqual({ pending: 1, approved: 0, rejected: 0, spam: 0 });
    });

    it('exports everything and imports it all or nothing', async () => {
      const parent = makeComment({ isPrivate: true, email: 'a@example.com' });
      const reply = makeComment({ parentId: parent.id, isAuthor: true, status: 'approved', email: null, ipHash: null });
      await store.insertComment(parent);
      await store.insertComment(reply);
      await store.setCommentStatus(parent.id, 'approved', new Date(Date.UTC(2025, 5, 1)));
      const exported = await store.exportComments();
      expect(exported).toHaveLength(2);
      expect(exported[0]).toMatchObject({
        id: parent.id,
        isPrivate: true,
        ipHash: 'sender-1',
        moderatedAt: new Date(Date.UTC(2025, 5, 1)),
      });

      const copy = await openDriver();
      await migrate(copy, commentMigrations);
      const copyStore = createCommentStore(copy);
      // Replies first: the order of the file must not matter.
      expect(await copyStore.importComments([...exported].reverse())).toBe(2);
      expect(await copyStore.exportComments()).toEqual(exported);
      await expect(copyStore.importComments([{ ...exported[0]!, id: 'new-one' }, exported[1]!])).rejects.toThrow();
      expect(await copyStore.exportComments()).toHaveLength(2);
      await copy.close();
    });

    it('deletes a comment with every reply under it, and nothing else', async () => {
      const parent = makeComment();
      const reply = makeComment({ parentId: parent.id });
      const nested = makeComment({ parentId: reply.id });
      const neighbour = makeComment();
      const neighbourReply = makeComment({ parentId: neighbour.id });
      for (const comment of [parent, reply, nested, neighbour, neighbourReply]) await store.insertComment(comment);
      expect(await store.deleteComment(parent.id)).toBe(true);
      expect(await store.deleteComment(parent.id)).toBe(false);
      expect((await store.listComments()).map((comment) => comment.id).sort()).toEqual([neighbour.id, neighbourReply.id].sort());
    });
  });
}

/** The moderation store (accounts, sessions, failed sign-ins, audit log, webhook outbox), on every driver. */
export function describeModerationAccountsContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`moderation store contract: ${driverName}`, () => {
    let driver: SqlDriver;
    let store: ModerationStore;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
      store = createModerationStore(driver);
      return () => driver.close();
    });

    it('adds, lists, re-keys and removes moderators; a new password or removal ends their sessions', async () => {
      expect(await store.addModerator('alice', 'scrypt$hash-1')).toBe(true);
      expect(await store.addModerator('alice', 'scrypt$other')).toBe(false);
      await store.createSession('token-1', 'alice', new Date(Date.now() + 60_000));
      expect((await store.getSession('token-1'))?.moderator).toBe('alice');
      expect(await store.setPassword('alice', 'scrypt$hash-2')).toBe(true);
      expect((await store.getModerator('alice'))?.passwordHash).toBe('scrypt$hash-2');
      expect(await store.getSession('token-1')).toBeUndefined();
      await store.createSession('token-2', 'alice', new Date(Date.now() + 60_000));
      expect(await store.removeModerator('alice')).toBe(true);
      expect(await store.getSession('token-2')).toBeUndefined();
      expect(await store.listModerators()).toEqual([]);
      expect(await store.setPassword('nobody', 'x')).toBe(false);
    });

    it('does not return expired sessions, and extends live ones', async () => {
      await store.addModerator('alice', 'scrypt$hash');
      const now = new Date(Date.UTC(2026, 0, 1));
      await store.createSession('token', 'alice', new Date(now.getTime() + 1000), now);
      expect(await store.getSession('token', new Date(now.getTime() + 1000))).toBeUndefined();
      await store.extendSession('token', new Date(now.getTime() + 5000));
      expect((await store.getSession('token', new Date(now.getTime() + 1000)))?.expiresAt).toEqual(new Date(now.getTime() + 5000));
      await store.deleteSession('token');
      expect(await store.getSession('token', now)).toBeUndefined();
    });

    it('reserves sign-in attempts up to each limit, and says when the oldest in the way leaves the window', async () => {
      const at = new Date(Date.UTC(2026, 0, 1));
      const limits = { perPair: 2, perAddress: 3, windowMs: 60_000 };
      let sequence = 0;
      const attempt = (pairKey: string, addressKey: string, offsetMs: number, accountKey = 'account-a') =>
        store.reserveSignInAttempt(
          { id: `attempt-${(sequence += 1)}`, accountKey, addressKey, pairKey, at: new Date(at.getTime() + offsetMs) },
          limits,
        );
      expect(await attempt('pair-1', 'address-1', 0)).toEqual({ isReserved: true });
      expect(await attempt('pair-1', 'address-1', 1000)).toEqual({ isReserved: true });
      expect(await attempt('pair-1', 'address-1', 5000)).toEqual({ isReserved: false, retryAt: new Date(at.getTime() + 60_000) });
      expect(await attempt('pair-2', 'address-1', 6000, 'account-b')).toEqual({ isReserved: true });
      // The address is full now: its wait ends when its oldest attempt leaves the window.
      expect(await attempt('pair-3', 'address-1', 7000, 'account-c')).toEqual({
        isReserved: false,
        retryAt: new Date(at.getTime() + 60_000),
      });
      expect(await attempt('pair-4', 'address-2', 7000)).toEqual({ isReserved: true });
      expect(await store.countAccountAttempts('account-a', at)).toBe(2);
      expect(await store.countAccountAttempts('account-a', new Date(at.getTime() - 1))).toBe(3);
      // After the window, room again.
      expect(await attempt('pair-1', 'address-1', 60_001)).toEqual({ isReserved: true });
      await store.clearSignInAttempts('pair-1');
      expect(await store.countAccountAttempts('account-a', new Date(0))).toBe(1);
      expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 2 });
    });

    it(
      'reserves at most the limit of 50 concurrent attempts',
      async () => {
        const at = new Date();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            store.reserveSignInAttempt(
              {
                id: `burst-${index}`,
                accountKey: 'account',
                addressKey: 'address',
                pairKey: index % 2 === 0 ? 'pair-even' : 'pair-odd',
                at,
              },
              { perPair: 5, perAddress: 8, windowMs: 60_000 },
            ),
          ),
        );
        expect(results.filter((result) => result.isReserved)).toHaveLength(8);
        expect(await driver.get('SELECT count(*) AS count FROM sign_in_attempts')).toEqual({ count: 8 });
      },
      concurrentTimeoutMs,
    );

    it('applies a bulk action and its audit rows together, and names the comments that existed', async () => {
      const comments = createCommentStore(driver);
      const [first, second] = [makeComment(), makeComment()];
      for (const comment of [first, second]) await comments.insertComment(comment);
      const at = new Date(Date.UTC(2026, 0, 2));
      expect(await store.moderateComments('alice', 'approve', [second.id, 'missing', first.id, second.id], at)).toEqual([
        second.id,
        first.id,
      ]);
      expect((await comments.getComment(first.id))?.status).toBe('approved');
      expect((await comments.getComment(second.id))?.moderatedAt).toEqual(at);
      expect((await store.listAuditEntries()).map((entry) => [entry.action, entry.commentId, entry.at])).toEqual([
        ['approve', first.id, at],
        ['approve', second.id, at],
      ]);
      expect(await store.moderateComments('alice', 'spam', ['missing'], at)).toEqual([]);
      expect(await store.listAuditEntries()).toHaveLength(2);
    });

    it('deletes with every reply under it, each logged with the comment it went with', async () => {
      const comments = createCommentStore(driver);
      const parent = makeComment();
      const reply = makeComment({ parentId: parent.id });
      const nested = makeComment({ parentId: reply.id });
      const alone = makeComment();
      for (const comment of [parent, reply, nested, alone]) await comments.insertComment(comment);
      expect(await store.moderateComments('alice', 'delete', [parent.id, alone.id], new Date())).toEqual([parent.id, alone.id]);
      expect(await comments.listComments()).toEqual([]);
      const logged = (await store.listAuditEntries()).map((entry) => [entry.commentId, entry.detail]);
      expect(logged).toHaveLength(4);
      expect(logged).toEqual(
        expect.arrayContaining([
          [parent.id, null],
          [alone.id, null],
          [reply.id, parent.id],
          [nested.id, parent.id],
        ]),
      );
    });

    it('leaves nothing when a statement inside the action’s transaction fails', async () => {
      const comments = createCommentStore(driver);
      const [first, poison, last] = [makeComment(), makeComment({ id: 'poison' }), makeComment()];
      for (const comment of [first, poison, last]) await comments.insertComment(comment);
      // The change fails after the audit rows were written, inside the same transaction.
      await driver.run(
        "CREATE TRIGGER refuse_poison_update BEFORE UPDATE ON comments WHEN NEW.id = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END",
      );
      await driver.run(
        "CREATE TRIGGER refuse_poison_delete BEFORE DELETE ON comments WHEN OLD.id = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END",
      );
      for (const action of ['approve', 'reject', 'delete'] as const) {
        await expect(store.moderateComments('alice', action, [first.id, poison.id, last.id], new Date()), action).rejects.toThrow();
      }
      expect((await comments.listComments()).map((comment) => comment.status)).toEqual(['pending', 'pending', 'pending']);
      expect(await store.listAuditEntries()).toEqual([]);

      // The author's reply and its audit row: one cannot be written without the other.
      await driver.run(
        "CREATE TRIGGER refuse_reply_audit BEFORE INSERT ON moderation_log WHEN NEW.action = 'reply' BEGIN SELECT RAISE(ABORT, 'refused'); END",
      );
      const reply = { ...makeComment({ parentId: first.id, isAuthor: true, status: 'approved', ipHash: null }), createdAt: new Date() };
      await expect(store.addAuthorReply('alice', reply)).rejects.toThrow();
      expect(await comments.getComment(reply.id)).toBeUndefined();
      await driver.run('DROP TRIGGER refuse_reply_audit');
      await store.addAuthorReply('alice', reply);
      expect(await comments.getComment(reply.id)).toMatchObject({ isAuthor: true, parentId: first.id });
      expect((await store.listAuditEntries()).map((entry) => [entry.action, entry.commentId, entry.detail])).toEqual([
        ['reply', reply.id, first.id],
      ]);
    });

    it('forgets attempts after their window, expired sessions, and delivered or given-up messages after theirs', async () => {
      const now = new Date(Date.UTC(2026, 0, 10));
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const limits = { perPair: 10, perAddress: 10, windowMs: 60_000 };
      await store.reserveSignInAttempt({ id: 'old', accountKey: 'a', addressKey: 'b', pairKey: 'c', at: ago(60_001) }, limits);
      await store.reserveSignInAttempt({ id: 'new', accountKey: 'a', addressKey: 'b', pairKey: 'c', at: ago(1000) }, limits);
      await store.addModerator('alice', 'scrypt$hash');
      await store.createSession('expired', 'alice', ago(1), ago(10_000));
      await store.createSession('live', 'alice', new Date(now.getTime() + 1000), ago(10_000));
      for (const payload of ['delivered-long-ago', 'delivered-lately', 'given-up-long-ago', 'given-up-lately', 'waiting-long-ago']) {
        await store.enqueueMessage(payload, payload.endsWith('long-ago') ? ago(40 * 86_400_000) : ago(1000));
      }
      const ids = new Map((await store.listOutbox()).map((message) => [message.payload, message.id]));
      await store.outbox.markDelivered(ids.get('delivered-long-ago')!, ago(2 * 86_400_000));
      await store.outbox.markDelivered(ids.get('delivered-lately')!, ago(1000));
      for (const payload of ['given-up-long-ago', 'given-up-lately']) {
        for (let attempt = 0; attempt < 3; attempt += 1) await store.outbox.markFailed(ids.get(payload)!, 'HTTP 500', now);
      }
      await store.outbox.markFailed(ids.get('waiting-long-ago')!, 'HTTP 500', now);

      expect(
        await store.forgetExpired({
          now,
          attemptsBefore: ago(60_000),
          deliveredBefore: ago(86_400_000),
          givenUpBefore: ago(30 * 86_400_000),
          maxAttempts: 3,
        }),
      ).toEqual({ signInAttempts: 1, sessions: 1, outbox: 2 });
      expect(await driver.all('SELECT id FROM sign_in_attempts')).toEqual([{ id: 'new' }]);
      expect(await store.getSession('live', now)).toBeDefined();
      expect(await driver.all('SELECT token_hash FROM moderator_sessions')).toEqual([{ token_hash: 'live' }]);
      expect((await store.listOutbox()).map((message) => message.payload)).toEqual([
        'delivered-lately',
        'given-up-lately',
        'waiting-long-ago',
      ]);
    });

    it('keeps the audit log newest first', async () => {
      await store.addAuditEntry({ at: new Date(1000), moderator: 'alice', action: 'approve', commentId: 'c1', detail: null });
      await store.addAuditEntry({ at: new Date(2000), moderator: 'bob', action: 'reply', commentId: 'c2', detail: 'c1' });
      expect(await store.listAuditEntries()).toEqual([
        { id: 2, at: new Date(2000), moderator: 'bob', action: 'reply', commentId: 'c2', detail: 'c1', comment: null },
        { id: 1, at: new Date(1000), moderator: 'alice', action: 'approve', commentId: 'c1', detail: null, comment: null },
      ]);
    });

    it('lists the audit log with each comment’s essay, author and excerpt, filtered by moderator and action', async () => {
      const comments = createCommentStore(driver);
      const long = makeComment({ essay: 'essay-b', lang: 'en', name: 'Sam', body: `${'界'.repeat(auditExcerptLength - 1)}😀\n\n  tail` });
      const short = makeComment({ name: '林', body: '第一行\n\n第二行' });
      const gone = makeComment();
      for (const comment of [long, short, gone]) await comments.insertComment(comment);
      await store.addAuditEntry({ at: new Date(1000), moderator: 'alice', action: 'sign-in', commentId: null, detail: null });
      await store.moderateComments('alice', 'approve', [long.id], new Date(2000));
      await store.moderateComments('bob', 'reject', [short.id], new Date(3000));
      const reply = {
        ...makeComment({ parentId: long.id, name: 'The observer', body: 'Thanks', isAuthor: true, status: 'approved', ipHash: null }),
        createdAt: new Date(4000),
      };
      await store.addAuthorReply('bob', reply);
      await store.moderateComments('alice', 'delete', [gone.id], new Date(5000));

      const all = await store.listAuditEntries();
      expect(all.map((entry) => [entry.moderator, entry.action, entry.commentId])).toEqual([
        ['alice', 'delete', gone.id],
        ['bob', 'reply', reply.id],
        ['bob', 'reject', short.id],
        ['alice', 'approve', long.id],
        ['alice', 'sign-in', null],
      ]);
      const [deleted, replied, rejected, approved, signedIn] = all;
      // A deleted comment and a sign-in have no comment to show.
      expect(deleted?.comment).toBeNull();
      expect(signedIn?.comment).toBeNull();
      expect(replied?.comment).toEqual({ essay: 'essay-a', lang: 'zh', name: 'The observer', excerpt: 'Thanks', isAuthor: true });
      // White space folded; cut after the excerpt's length in characters (not UTF-16 units), marked with "…".
      expect(rejected?.comment).toEqual({ essay: 'essay-a', lang: 'zh', name: '林', excerpt: '第一行 第二行', isAuthor: false });
      expect(approved?.comment).toEqual({
        essay: 'essay-b',
        lang: 'en',
        name: 'Sam',
        excerpt: `${'界'.repeat(auditExcerptLength - 1)}😀…`,
        isAuthor: false,
      });

      expect((await store.listAuditEntries({ moderator: 'bob' })).map((entry) => entry.action)).toEqual(['reply', 'reject']);
      expect((await store.listAuditEntries({ action: 'approve' })).map((entry) => entry.commentId)).toEqual([long.id]);
      expect(await store.listAuditEntries({ moderator: 'alice', action: 'reject' })).toEqual([]);
      expect(await store.listAuditEntries({ moderator: 'nobody' })).toEqual([]);
      expect((await store.listAuditEntries({ limit: 2 })).map((entry) => entry.action)).toEqual(['delete', 'reply']);
      expect(await store.listAuditModerators()).toEqual(['alice', 'bob']);
    });

    it('hands each due outbox message to one sender at a time', async () => {
      const now = new Date(Date.UTC(2026, 0, 1));
      await store.enqueueMessage('{"n":1}', now);
      const lease = new Date(now.getTime() + 10_000);
      expect(await store.outbox.claimDue(now, lease, 3)).toEqual([{ id: 1, attempts: 0, row: { payload: '{"n":1}' } }]);
      expect(await store.outbox.claimDue(now, lease, 3)).toEqual([]);
      await store.outbox.markFailed(1, 'HTTP 500', new Date(now.getTime() + 1000));
      expect(await store.outbox.claimDue(new Date(now.getTime() + 1000), lease, 3)).toHaveLength(1);
      await store.outbox.markDelivered(1, now);
      expect(await store.outbox.claimDue(new Date(now.getTime() + 100_000), lease, 3)).toEqual([]);
      expect((await store.listOutbox())[0]).toMatchObject({ attempts: 2, deliveredAt: now, lastError: null });
    });
  });
}
