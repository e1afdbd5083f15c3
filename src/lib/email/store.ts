import { commentSubtreeSql } from '../comments/store.ts';
import type { SqlDriver, SqlStatement } from '../db/sql-driver.ts';
import { createOutboxStore, type OutboxStore } from '../outbox/outbox-store.ts';

/** What an email is about: a reply to a subscribed comment, or a comment waiting for the moderators. */
type EmailKind = 'reply' | 'pending';

/** An email outbox row's own columns. */
export interface EmailOutboxRow extends Record<string, string> {
  kind: EmailKind;
  comment_id: string;
}

/**
 * Statements that queue emails, for the stores whose writes make them due to commit them in the
 * same transaction (a crash can then lose neither the change nor its email).
 */
export const emailWrites = {
  /**
   * A reply email for each approved comment among `ids` and every reply under them whose parent
   * asked to hear of replies (and did not unsubscribe), unless the parent's own author wrote it.
   * Whether the reply is public is decided when the email is sent; queued twice is queued once.
   */
  queueReplies(ids: readonly string[], at: Date): SqlStatement {
    return {
      sql: `WITH ${commentSubtreeSql}
            INSERT INTO email_outbox (kind, comment_id, dedupe_key, next_attempt_at, created_at)
            SELECT 'reply', reply.id, 'reply:' || reply.id, ?2, ?2
            FROM comments AS reply
            JOIN comments AS parent ON parent.id = reply.parent_id
            JOIN reply_subscriptions AS subscription ON subscription.comment_id = parent.id
            WHERE reply.id IN (SELECT id FROM subtree) AND reply.status = 'approved'
              AND subscription.unsubscribed_at IS NULL AND parent.email IS NOT NULL
              AND (reply.email IS NULL OR lower(reply.email) <> lower(parent.email))
            ON CONFLICT (dedupe_key) DO NOTHING`,
      params: [JSON.stringify(ids), at.getTime()],
    };
  },
};

/** A subscription, as the sender and the unsubscribe page see it. */
interface ReplySubscription {
  commentId: string;
  consentedAt: Date;
  unsubscribedAt: Date | null;
}

/** Email storage in domain terms: the outbox, the moderators' notices and the commenters' consent. */
export interface EmailStore {
  outbox: OutboxStore<EmailOutboxRow>;
  /** Queues the moderators' email about a new pending comment (once per comment). */
  queuePendingNotice(commentId: string, at: Date): Promise<void>;
  getSubscription(commentId: string): Promise<ReplySubscription | undefined>;
  /**
   * Withdraws the consent of every comment written with the address `commentId` was written with:
   * one click stops every email to that address. False when the comment has no subscription.
   */
  unsubscribe(commentId: string, at: Date): Promise<boolean>;
}

interface SubscriptionRow {
  comment_id: string;
  consented_at: number;
  unsubscribed_at: number | null;
}

export function createEmailStore(driver: SqlDriver): EmailStore {
  return {
    outbox: createOutboxStore<EmailOutboxRow>(driver, 'email_outbox', ['kind', 'comment_id']),

    async queuePendingNotice(commentId, at) {
      await driver.run(
        `INSERT INTO email_outbox (kind, comment_id, dedupe_key, next_attempt_at, created_at)
         SELECT 'pending', id, 'pending:' || id, ?2, ?2 FROM comments WHERE id = ?1 AND status = 'pending'
         ON CONFLICT (dedupe_key) DO NOTHING`,
        [commentId, at.getTime()],
      );
    },

    async getSubscription(commentId) {
      const row = await driver.get<SubscriptionRow>(
        'SELECT comment_id, consented_at, unsubscribed_at FROM reply_subscriptions WHERE comment_id = ?1',
        [commentId],
      );
      return (
        row && {
          commentId: row.comment_id,
          consentedAt: new Date(row.consented_at),
          unsubscribedAt: row.unsubscribed_at === null ? null : new Date(row.unsubscribed_at),
        }
      );
    },

    async unsubscribe(commentId, at) {
      if (!(await driver.get('SELECT 1 AS found FROM reply_subscriptions WHERE comment_id = ?1', [commentId]))) return false;
      await driver.batch([
        {
          sql: `UPDATE reply_subscriptions SET unsubscribed_at = ?2
                WHERE unsubscribed_at IS NULL AND comment_id IN (
                  SELECT mine.id FROM comments AS mine JOIN comments AS asked ON asked.id = ?1
                  WHERE lower(mine.email) = lower(asked.email)
                )`,
          params: [commentId, at.getTime()],
        },
        // Emails already queued to the address go too: after the click, nothing more arrives.
        {
          sql: `DELETE FROM email_outbox WHERE kind = 'reply' AND delivered_at IS NULL AND comment_id IN (
                  SELECT reply.id FROM comments AS reply JOIN reply_subscriptions AS subscription ON subscription.comment_id = reply.parent_id
                  WHERE subscription.unsubscribed_at IS NOT NULL
                )`,
        },
      ]);
      return true;
    },
  };
}
