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

/** Moderators, sessions, failed sign-ins and the audit log; no SQL leaves this module. */
export interface ModerationStore {
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
