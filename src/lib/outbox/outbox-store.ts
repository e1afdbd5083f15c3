import type { SqlDriver, SqlValue } from '../db/sql-driver.ts';

/** The outbox tables (migrations 0003 and 0007): the same delivery columns, a different message. */
export type OutboxTable = 'webhook_outbox' | 'email_outbox';

/** A message taken for one try; `row` holds the table's own columns (`columns` below). */
export interface ClaimedMessage<Row> {
  id: number;
  attempts: number;
  row: Row;
}

interface OutboxListing {
  id: number;
  attempts: number;
  createdAt: Date;
  deliveredAt: Date | null;
  lastError: string | null;
}

/** Delivered and given-up messages to delete (see pruning.ts). */
interface OutboxRetention {
  deliveredBefore: Date;
  givenUpBefore: Date;
  maxAttempts: number;
}

/**
 * The delivery side of an outbox table: claiming due messages under a lease, recording a delivery
 * or a failure with its next try, listing and pruning. The webhook and the email outbox share it;
 * each table's own columns are read through `columns`.
 */
export interface OutboxStore<Row> {
  /** Messages due by `now` with fewer than `maxAttempts` tries, each leased until `leaseUntil` so no other sender takes it. */
  claimDue(now: Date, leaseUntil: Date, maxAttempts: number, limit?: number): Promise<ClaimedMessage<Row>[]>;
  markDelivered(id: number, at: Date): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  /** Takes a message out without sending it (it no longer applies). */
  discard(id: number): Promise<void>;
  list(): Promise<(OutboxListing & { row: Row })[]>;
  forgetExpired(retention: OutboxRetention): Promise<number>;
}

export function createOutboxStore<Row extends Record<string, SqlValue>>(
  driver: SqlDriver,
  table: OutboxTable,
  columns: readonly (keyof Row & string)[],
): OutboxStore<Row> {
  const own = columns.join(', ');
  const pick = (row: Record<string, SqlValue>) => Object.fromEntries(columns.map((column) => [column, row[column]])) as Row;
  return {
    async claimDue(now, leaseUntil, maxAttempts, limit = 20) {
      const due = await driver.all<Record<string, SqlValue> & { id: number; attempts: number }>(
        `SELECT id, attempts, ${own} FROM ${table}
         WHERE delivered_at IS NULL AND attempts < ?2 AND next_attempt_at <= ?1
         ORDER BY next_attempt_at, id LIMIT ?3`,
        [now.getTime(), maxAttempts, limit],
      );
      const claimed: ClaimedMessage<Row>[] = [];
      for (const message of due) {
        // Only the sender whose update moved the lease forward tries it: two processes never send one message.
        const { changes } = await driver.run(
          `UPDATE ${table} SET next_attempt_at = ?3 WHERE id = ?1 AND delivered_at IS NULL AND next_attempt_at <= ?2`,
          [message.id, now.getTime(), leaseUntil.getTime()],
        );
        if (changes > 0) claimed.push({ id: message.id, attempts: message.attempts, row: pick(message) });
      }
      return claimed;
    },

    async markDelivered(id, at) {
      await driver.run(`UPDATE ${table} SET delivered_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1`, [
        id,
        at.getTime(),
      ]);
    },

    async markFailed(id, error, nextAttemptAt) {
      await driver.run(`UPDATE ${table} SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1`, [
        id,
        error.slice(0, 500),
        nextAttemptAt.getTime(),
      ]);
    },

    async discard(id) {
      await driver.run(`DELETE FROM ${table} WHERE id = ?1 AND delivered_at IS NULL`, [id]);
    },

    async list() {
      const rows = await driver.all<
        Record<string, SqlValue> & {
          id: number;
          attempts: number;
          created_at: number;
          delivered_at: number | null;
          last_error: string | null;
        }
      >(`SELECT id, attempts, created_at, delivered_at, last_error, ${own} FROM ${table} ORDER BY id`);
      return rows.map((row) => ({
        id: row.id,
        attempts: row.attempts,
        createdAt: new Date(row.created_at),
        deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
        lastError: row.last_error,
        row: pick(row),
      }));
    },

    async forgetExpired({ deliveredBefore, givenUpBefore, maxAttempts }) {
      const [delivered, givenUp] = await driver.batch([
        { sql: `DELETE FROM ${table} WHERE delivered_at IS NOT NULL AND delivered_at <= ?1`, params: [deliveredBefore.getTime()] },
        {
          sql: `DELETE FROM ${table} WHERE delivered_at IS NULL AND attempts >= ?2 AND created_at <= ?1`,
          params: [givenUpBefore.getTime(), maxAttempts],
        },
      ]);
      return (delivered?.changes ?? 0) + (givenUp?.changes ?? 0);
    },
  };
}
