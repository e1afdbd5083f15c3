import type { SqlDriver } from '../comments/store.ts';

export interface Moderator {
  name: string;
  passwordHash: string;
  createdAt: Date;
}

export interface ModeratorSession {
  moderator: string;
  createdAt: Date;
  expiresAt: Date;
}

export const moderationActions = ['approve', 'reject', 'spam', 'delete', 'reply', 'sign-in', 'sign-out'] as const;
export type ModerationAction = (typeof moderationActions)[number];

export interface AuditEntry {
  id: number;
  at: Date;
  moderator: string;
  action: ModerationAction;
  commentId: string | null;
  detail: string | null;
}

export interface OutboxMessage {
  id: number;
  payload: string;
  attempts: number;
}

/** Moderators, sessions, failed sign-ins, the audit log and the webhook outbox; no SQL leaves this module. */
export interface ModerationStore {
  enqueueMessage(payload: string, at?: Date): Promise<void>;
  /** Messages due by `now` with fewer than `maxAttempts` tries, each leased until `leaseUntil` so no other sender takes it. */
  claimDueMessages(now: Date, leaseUntil: Date, maxAttempts: number, limit?: number): Promise<OutboxMessage[]>;
  markDelivered(id: number, at?: Date): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  listOutbox(): Promise<(OutboxMessage & { deliveredAt: Date | null; lastError: string | null })[]>;
  /** False when the name is taken. */
  addModerator(name: string, passwordHash: string, at?: Date): Promise<boolean>;
  getModerator(name: string): Promise<Moderator | undefined>;
  listModerators(): Promise<Moderator[]>;
  /** Also ends the moderator's sessions. False when there is no such moderator. */
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  removeModerator(name: string): Promise<boolean>;
  createSession(tokenHash: string, moderator: string, expiresAt: Date, at?: Date): Promise<void>;
  /** A live session; expired ones are not returned. */
  getSession(tokenHash: string, now?: Date): Promise<ModeratorSession | undefined>;
  /** Moves the expiry forward (sliding sessions). */
  extendSession(tokenHash: string, expiresAt: Date): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  recordFailure(keys: readonly string[], at?: Date): Promise<void>;
  countFailures(key: string, since: Date): Promise<number>;
  clearFailures(key: string): Promise<void>;
  addAuditEntry(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: Date }): Promise<void>;
  listAuditEntries(limit?: number): Promise<AuditEntry[]>;
}

interface ModeratorRow {
  name: string;
  password_hash: string;
  created_at: number;
}

interface AuditRow {
  id: number;
  at: number;
  moderator: string;
  action: string;
  comment_id: string | null;
  detail: string | null;
}

const toModerator = (row: ModeratorRow): Moderator => ({ name: row.name, passwordHash: row.password_hash, createdAt: new Date(row.created_at) });

export function createModerationStore(driver: SqlDriver): ModerationStore {
  return {
    async enqueueMessage(payload, at = new Date()) {
      await driver.run('INSERT INTO webhook_outbox (payload, next_attempt_at, created_at) VALUES (?1, ?2, ?2)', [payload, at.getTime()]);
    },

    async claimDueMessages(now, leaseUntil, maxAttempts, limit = 20) {
      const due = await driver.all<OutboxMessage>(
        `SELECT id, payload, attempts FROM webhook_outbox
         WHERE delivered_at IS NULL AND attempts < ?2 AND next_attempt_at <= ?1
         ORDER BY next_attempt_at, id LIMIT ?3`,
        [now.getTime(), maxAttempts, limit],
      );
      const claimed: OutboxMessage[] = [];
      for (const message of due) {
        const { changes } = await driver.run(
          'UPDATE webhook_outbox SET next_attempt_at = ?3 WHERE id = ?1 AND delivered_at IS NULL AND next_attempt_at <= ?2',
          [message.id, now.getTime(), leaseUntil.getTime()],
        );
        if (changes > 0) claimed.push(message);
      }
      return claimed;
    },

    async markDelivered(id, at = new Date()) {
      await driver.run('UPDATE webhook_outbox SET delivered_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1', [id, at.getTime()]);
    },

    async markFailed(id, error, nextAttemptAt) {
      await driver.run('UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1', [
        id,
        error.slice(0, 500),
        nextAttemptAt.getTime(),
      ]);
    },

    async listOutbox() {
      const rows = await driver.all<{ id: number; payload: string; attempts: number; delivered_at: number | null; last_error: string | null }>(
        'SELECT id, payload, attempts, delivered_at, last_error FROM webhook_outbox ORDER BY id',
      );
      return rows.map((row) => ({
        id: row.id,
        payload: row.payload,
        attempts: row.attempts,
        deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
        lastError: row.last_error,
      }));
    },

    async addModerator(name, passwordHash, at = new Date()) {
      const { changes } = await driver.run(
        'INSERT INTO moderators (name, password_hash, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING',
        [name, passwordHash, at.getTime()],
      );
      return changes > 0;
    },

    async getModerator(name) {
      const row = await driver.get<ModeratorRow>('SELECT name, password_hash, created_at FROM moderators WHERE name = ?1', [name]);
      return row && toModerator(row);
    },

    async listModerators() {
      return (await driver.all<ModeratorRow>('SELECT name, password_hash, created_at FROM moderators ORDER BY name')).map(toModerator);
    },

    async setPassword(name, passwordHash) {
      const [updated] = await driver.batch([
        { sql: 'UPDATE moderators SET password_hash = ?2 WHERE name = ?1', params: [name, passwordHash] },
        { sql: 'DELETE FROM moderator_sessions WHERE moderator = ?1', params: [name] },
      ]);
      return (updated?.changes ?? 0) > 0;
    },

    async removeModerator(name) {
      const [, removed] = await driver.batch([
        { sql: 'DELETE FROM moderator_sessions WHERE moderator = ?1', params: [name] },
        { sql: 'DELETE FROM moderators WHERE name = ?1', params: [name] },
      ]);
      return (removed?.changes ?? 0) > 0;
    },

    async createSession(tokenHash, moderator, expiresAt, at = new Date()) {
      await driver.run('INSERT INTO moderator_sessions (token_hash, moderator, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)', [
        tokenHash,
        moderator,
        at.getTime(),
        expiresAt.getTime(),
      ]);
    },

    async getSession(tokenHash, now = new Date()) {
      const row = await driver.get<{ moderator: string; created_at: number; expires_at: number }>(
        'SELECT moderator, created_at, expires_at FROM moderator_sessions WHERE token_hash = ?1 AND expires_at > ?2',
        [tokenHash, now.getTime()],
      );
      return row && { moderator: row.moderator, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) };
    },

    async extendSession(tokenHash, expiresAt) {
      await driver.run('UPDATE moderator_sessions SET expires_at = ?2 WHERE token_hash = ?1', [tokenHash, expiresAt.getTime()]);
    },

    async deleteSession(tokenHash) {
      await driver.run('DELETE FROM moderator_sessions WHERE token_hash = ?1', [tokenHash]);
    },

    async recordFailure(keys, at = new Date()) {
      await driver.batch(keys.map((key) => ({ sql: 'INSERT INTO sign_in_failures (key, at) VALUES (?1, ?2)', params: [key, at.getTime()] })));
    },

    async countFailures(key, since) {
      const row = await driver.get<{ count: number }>('SELECT count(*) AS count FROM sign_in_failures WHERE key = ?1 AND at > ?2', [key, since.getTime()]);
      return row?.count ?? 0;
    },

    async clearFailures(key) {
      await driver.run('DELETE FROM sign_in_failures WHERE key = ?1', [key]);
    },

    async addAuditEntry({ at = new Date(), moderator, action, commentId, detail }) {
      await driver.run('INSERT INTO moderation_log (at, moderator, action, comment_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)', [
        at.getTime(),
        moderator,
        action,
        commentId,
        detail,
      ]);
    },

    async listAuditEntries(limit = 200) {
      const rows = await driver.all<AuditRow>(
        'SELECT id, at, moderator, action, comment_id, detail FROM moderation_log ORDER BY at DESC, id DESC LIMIT ?1',
        [limit],
      );
      return rows.map((row) => ({
        id: row.id,
        at: new Date(row.at),
        moderator: row.moderator,
        action: row.action as ModerationAction,
        commentId: row.comment_id,
        detail: row.detail,
      }));
    },
  };
}
