import { beforeEach, describe, expect, it } from 'vitest';
import { createCommentStore, type CommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createEmailStore, type EmailStore } from '../../src/lib/email/store.ts';
import { createModerationStore, type ModerationStore } from '../../src/lib/moderation/store.ts';
import { makeComment } from './comment-store.contract.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

/**
 * What every driver must do for reply emails: the consent stored with the comment, the outbox
 * filled in the moderation action's own transaction, claimed under a lease, retried, pruned.
 */
export function describeEmailStoreContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`email store contract: ${driverName}`, () => {
    let driver: SqlDriver;
    let comments: CommentStore;
    let moderation: ModerationStore;
    let emails: EmailStore;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
      comments = createCommentStore(driver);
      moderation = createModerationStore(driver, { queueReplyEmails: true });
      emails = createEmailStore(driver);
      return () => driver.close();
    });

    const queued = async () => (await emails.outbox.list()).map(({ row, deliveredAt }) => ({ ...row, isDelivered: deliveredAt !== null }));

    it('stores the consent with the comment’s time, only with an address and only when the comment itself is stored', async () => {
      const asked = makeComment({ createdAt: at(1) });
      const noAddress = makeComment({ email: null });
      const limited = makeComment({ ipHash: 'busy-sender' });
      await comments.insertComment(asked, undefined, { notifyReplies: true });
      await comments.insertComment(noAddress, undefined, { notifyReplies: true });
      await comments.insertComment(makeComment({ ipHash: 'busy-sender' }), { max: 1, since: new Date(0) });
      expect((await comments.insertComment(limited, { max: 1, since: new Date(0) }, { notifyReplies: true })).isStored).toBe(false);
      expect(await emails.getSubscription(asked.id)).toEqual({ commentId: asked.id, consentedAt: at(1), unsubscribedAt: null });
      expect(await emails.getSubscription(noAddress.id)).toBeUndefined();
      expect(await emails.getSubscription(limited.id)).toBeUndefined();
    });

    it('queues one reply email when a reply is approved, in the approval’s transaction, and never the same one twice', async () => {
      const parent = makeComment({ status: 'approved', email: 'Parent@Example.com' });
      await comments.insertComment(parent, undefined, { notifyReplies: true });
      const reply = makeComment({ parentId: parent.id, email: 'other@example.com' });
      const ownReply = makeComment({ parentId: parent.id, email: 'parent@example.com' });
      const pending = makeComment({ parentId: parent.id });
      for (const comment of [reply, ownReply, pending]) await comments.insertComment(comment);
      expect(await queued()).toEqual([]);
      await moderation.moderateComments('alice', 'approve', [reply.id, ownReply.id], at(5));
      await moderation.moderateComments('alice', 'reject', [reply.id], at(6));
      await moderation.moderateComments('alice', 'approve', [reply.id], at(7));
      // The parent's own address answering itself sends nothing; the pending reply waits.
      expect(await queued()).toEqual([{ kind: 'reply', comment_id: reply.id, isDelivered: false }]);
    });

    it('queues the replies under a comment approved later, and the author’s reply at once', async () => {
      const parent = makeComment();
      await comments.insertComment(parent, undefined, { notifyReplies: true });
      const reply = {
        ...makeComment({ parentId: parent.id, isAuthor: true, status: 'approved', email: null, ipHash: null }),
        createdAt: at(3),
      };
      await moderation.addAuthorReply('alice', reply);
      expect(await queued()).toEqual([{ kind: 'reply', comment_id: reply.id, isDelivered: false }]);
      const unsubscribedParent = makeComment({ status: 'approved' });
      await comments.insertComment(unsubscribedParent, undefined, { notifyReplies: true });
      await emails.unsubscribe(unsubscribedParent.id, at(4));
      const late = {
        ...makeComment({ parentId: unsubscribedParent.id, isAuthor: true, status: 'approved', email: null, ipHash: null }),
        createdAt: at(5),
      };
      await moderation.addAuthorReply('alice', late);
      expect(await queued()).toHaveLength(1);
    });

    it('leaves the outbox alone when email is off', async () => {
      const quiet = createModerationStore(driver);
      const parent = makeComment({ status: 'approved' });
      await comments.insertComment(parent, undefined, { notifyReplies: true });
      const reply = makeComment({ parentId: parent.id });
      await comments.insertComment(reply);
      await quiet.moderateComments('alice', 'approve', [reply.id], at(5));
      expect(await queued()).toEqual([]);
    });

    it('unsubscribes every comment of the address, drops what was queued to it, and answers the same when asked again', async () => {
      const first = makeComment({ status: 'approved', email: 'same@example.com' });
      const second = makeComment({ status: 'approved', email: 'SAME@example.com' });
      const stranger = makeComment({ status: 'approved', email: 'stranger@example.com' });
      for (const comment of [first, second, stranger]) await comments.insertComment(comment, undefined, { notifyReplies: true });
      const replies = [first, second, stranger].map((parent) => makeComment({ parentId: parent.id }));
      for (const reply of replies) await comments.insertComment(reply);
      await moderation.moderateComments(
        'alice',
        'approve',
        replies.map((reply) => reply.id),
        at(5),
      );
      expect(await queued()).toHaveLength(3);

      expect(await emails.unsubscribe(first.id, at(9))).toBe(true);
      expect(await emails.unsubscribe(first.id, at(10))).toBe(true);
      expect((await emails.getSubscription(second.id))?.unsubscribedAt).toEqual(at(9));
      expect((await emails.getSubscription(stranger.id))?.unsubscribedAt).toBeNull();
      expect(await queued()).toEqual([{ kind: 'reply', comment_id: replies[2]!.id, isDelivered: false }]);
      expect(await emails.unsubscribe('no-such-comment', at(11))).toBe(false);
    });

    it('queues the moderators’ email once per pending comment', async () => {
      const waiting = makeComment();
      const approved = makeComment({ status: 'approved' });
      for (const comment of [waiting, approved]) await comments.insertComment(comment);
      await emails.queuePendingNotice(waiting.id, at(1));
      await emails.queuePendingNotice(waiting.id, at(2));
      await emails.queuePendingNotice(approved.id, at(3));
      expect(await queued()).toEqual([{ kind: 'pending', comment_id: waiting.id, isDelivered: false }]);
    });

    it('hands each due email to one sender at a time, retries it later, and prunes delivered and given-up ones', async () => {
      const [first, second] = [makeComment(), makeComment()];
      for (const comment of [first!, second!]) {
        await comments.insertComment(comment);
        await emails.queuePendingNotice(comment.id, at(0));
      }
      const lease = at(60);
      const claimed = await emails.outbox.claimDue(at(1), lease, 3);
      expect(claimed.map((message) => message.row.comment_id)).toEqual([first!.id, second!.id]);
      expect(await emails.outbox.claimDue(at(1), lease, 3)).toEqual([]);
      await emails.outbox.markFailed(claimed[0]!.id, 'connect ECONNREFUSED', at(2));
      await emails.outbox.markDelivered(claimed[1]!.id, at(1));
      const retried = await emails.outbox.claimDue(at(2), lease, 3);
      expect(retried).toEqual([{ id: claimed[0]!.id, attempts: 1, row: { kind: 'pending', comment_id: first!.id } }]);
      await emails.outbox.markFailed(claimed[0]!.id, 'connect ECONNREFUSED', at(3));
      await emails.outbox.markFailed(claimed[0]!.id, 'connect ECONNREFUSED', at(4));
      // Three tries, the most allowed: given up, kept with its last error until pruned.
      expect(await emails.outbox.claimDue(at(100), at(200), 3)).toEqual([]);
      expect((await emails.outbox.list())[0]).toMatchObject({ attempts: 3, lastError: 'connect ECONNREFUSED', deliveredAt: null });
      expect(await emails.outbox.forgetExpired({ deliveredBefore: at(-1), givenUpBefore: at(-1), maxAttempts: 3 })).toBe(0);
      expect(await emails.outbox.forgetExpired({ deliveredBefore: at(5), givenUpBefore: at(5), maxAttempts: 3 })).toBe(2);
      expect(await emails.outbox.list()).toEqual([]);
    });

    it('takes a message out unsent when it no longer applies, and with its comment', async () => {
      const comment = makeComment();
      const other = makeComment();
      for (const entry of [comment, other]) {
        await comments.insertComment(entry);
        await emails.queuePendingNotice(entry.id, at(0));
      }
      const [message] = await emails.outbox.claimDue(at(1), at(60), 3);
      await emails.outbox.discard(message!.id);
      await comments.deleteComment(other.id);
      expect(await emails.outbox.list()).toEqual([]);
    });
  });
}
