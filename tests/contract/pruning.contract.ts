import { beforeEach, describe, expect, it } from 'vitest';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { pruneExpiredRows, type Retention } from '../../src/lib/db/pruning.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createEmailStore } from '../../src/lib/email/store.ts';
import { createModerationStore } from '../../src/lib/moderation/store.ts';
import { createSignalStore } from '../../src/lib/signals/store.ts';
import { makeComment } from './comment-store.contract.ts';

const now = new Date(Date.UTC(2026, 2, 10, 12));
const ago = (ms: number) => new Date(now.getTime() - ms);
const minute = 60_000;
const day = 86_400_000;

const retention: Retention = {
  signInWindowMs: 15 * minute,
  commentRateWindowMs: 10 * minute,
  collectRateWindowMs: 60 * minute,
  deliveredMessagesMs: day,
  givenUpMessagesMs: 30 * day,
  maxWebhookAttempts: 2,
  maxEmailAttempts: 2,
};

const countRows = async (driver: SqlDriver, table: string) =>
  (await driver.get<{ count: number }>(`SELECT count(*) AS count FROM ${table}`))?.count;

/** What pruning deletes and keeps, on every driver; call with a function that opens an empty database. */
export function describePruningContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`pruning contract: ${driverName}`, () => {
    let driver: SqlDriver;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
    });

    /** Two rows in every table that only serves a limit, a session or a delivery: one past its time, one not. */
    async function seed() {
      const moderation = createModerationStore(driver);
      const comments = createCommentStore(driver);
      const signals = createSignalStore(driver);
      const attemptLimits = { perPair: 10, perAddress: 10, windowMs: retention.signInWindowMs };
      await moderation.reserveSignInAttempt(
        { id: 'stale', accountKey: 'a', addressKey: 'b', pairKey: 'c', at: ago(16 * minute) },
        attemptLimits,
      );
      await moderation.reserveSignInAttempt(
        { id: 'recent', accountKey: 'a', addressKey: 'b', pairKey: 'c', at: ago(minute) },
        attemptLimits,
      );
      await moderation.addModerator('alice', 'scrypt$hash');
      await moderation.createSession('expired', 'alice', ago(1), ago(day));
      await moderation.createSession('live', 'alice', new Date(now.getTime() + minute), ago(day));
      await moderation.enqueueMessage('delivered', ago(3 * day));
      await moderation.enqueueMessage('waiting', ago(3 * day));
      const [delivered] = await moderation.listOutbox();
      await moderation.outbox.markDelivered(delivered!.id, ago(2 * day));

      const postLimit = (at: Date) => ({ max: 10, since: new Date(at.getTime() - (retention.commentRateWindowMs ?? 0)) });
      const oldComment = makeComment({ createdAt: ago(11 * minute), status: 'approved' });
      const newComment = makeComment({ createdAt: ago(minute) });
      await comments.insertComment(oldComment, postLimit(oldComment.createdAt!));
      await comments.insertComment(newComment, postLimit(newComment.createdAt!));
      // An email delivered two days ago goes; one still waiting stays.
      const emails = createEmailStore(driver);
      await emails.queuePendingNotice(newComment.id, ago(3 * day));
      const [sent] = await emails.outbox.claimDue(now, now, 8);
      await emails.outbox.markDelivered(sent!.id, ago(2 * day));
      const waitingComment = makeComment({ createdAt: ago(minute) });
      await comments.insertComment(waitingComment);
      await emails.queuePendingNotice(waitingComment.id, ago(3 * day));

      const collect = (at: Date, readerHash: string) =>
        signals.setCollected(
          { essay: 'essay-a', lang: 'zh', readerHash, senderHash: 'sender', isCollected: true, at },
          { max: 10, since: new Date(at.getTime() - (retention.collectRateWindowMs ?? 0)) },
        );
      // Newest first: each limited collect deletes what is older than its own window.
      await collect(ago(minute), 'reader-2');
      await collect(ago(61 * minute), 'reader-1');

      // Yesterday's salt and visitors, as a site nobody opened today leaves them.
      await signals.getDaySalt('2026-03-09', 'salt-of-yesterday');
      await signals.recordView({ essay: 'essay-a', lang: 'zh', day: '2026-03-09', visitorHash: 'v', networkHash: 'n' }, { perNetwork: 5 });
      return { oldComment, newComment, waitingComment };
    }

    it('deletes each row past its time, keeps the rest, and never touches comments or counts', async () => {
      const { oldComment, newComment, waitingComment } = await seed();
      expect(await pruneExpiredRows(driver, retention, now)).toEqual({
        signInAttempts: 1,
        sessions: 1,
        outbox: 1,
        emailOutbox: 1,
        commentPosts: 1,
        collectActions: 1,
      });
      expect(await driver.all('SELECT id FROM sign_in_attempts')).toEqual([{ id: 'recent' }]);
      expect(await driver.all('SELECT token_hash FROM moderator_sessions')).toEqual([{ token_hash: 'live' }]);
      expect((await createModerationStore(driver).listOutbox()).map((message) => message.payload)).toEqual(['waiting']);
      expect((await createEmailStore(driver).outbox.list()).map((message) => message.row.comment_id)).toEqual([waitingComment.id]);
      expect(await driver.all('SELECT at FROM comment_posts')).toEqual([{ at: newComment.createdAt!.getTime() }]);
      expect(await driver.all('SELECT at FROM collect_actions')).toEqual([{ at: ago(minute).getTime() }]);
      for (const table of ['view_salts', 'view_visitors', 'view_networks']) expect(await countRows(driver, table), table).toBe(0);

      const comments = createCommentStore(driver);
      expect((await comments.listComments()).map((comment) => comment.id).sort()).toEqual(
        [oldComment.id, newComment.id, waitingComment.id].sort(),
      );
      expect(await createSignalStore(driver).getCounts('essay-a')).toEqual({ views: 1, collects: 2 });
      expect(await pruneExpiredRows(driver, retention, now)).toEqual({
        signInAttempts: 0,
        sessions: 0,
        outbox: 0,
        emailOutbox: 0,
        commentPosts: 0,
        collectActions: 0,
      });
    });

    it('keeps no rate-limit records when the limits are off', async () => {
      await seed();
      const counts = await pruneExpiredRows(driver, { ...retention, commentRateWindowMs: null, collectRateWindowMs: null }, now);
      expect(counts).toMatchObject({ commentPosts: 2, collectActions: 2 });
      expect(await countRows(driver, 'comment_posts')).toBe(0);
      expect(await countRows(driver, 'collect_actions')).toBe(0);
    });
  });
}
