import type { Locale } from '../../i18n/locales.ts';
import type { CommentStatus, NewComment } from '../comments/schema.ts';
import { commentSubtreeSql, commentWrites } from '../comments/store.ts';
import type { SqlDriver, SqlStatement } from '../db/sql-driver.ts';
import { emailWrites } from '../email/store.ts';
import { createOutboxStore, type OutboxStore } from '../outbox/outbox-store.ts';
import { automaticModerator, describeSpamRule, type SpamRule, type SpamRuleKind } from './spam-rules.ts';

/** The longest account name, in characters (code points). */
export const maxAccountNameLength = 60;
/** Account names: letters, digits, `_`, `.` and `-` (`npm run moderator -- add` checks). */
export const accountNamePattern = new RegExp(`^[\\p{L}\\p{N}_.-]{1,${maxAccountNameLength}}$`, 'u');

interface Moderator {
  name: string;
  passwordHash: string;
  createdAt: Date;
}

interface ModeratorSession {
  moderator: string;
  createdAt: Date;
  expiresAt: Date;
}

export const moderationActions = [
  'approve',
  'reject',
  'spam',
  'delete',
  'reply',
  'add-spam-rule',
  'remove-spam-rule',
  'sign-in',
  'sign-out',
] as const;
export type ModerationAction = (typeof moderationActions)[number];

/** What a moderator can do to comments in the queue, one or many at a time. */
export const queueActions = ['approve', 'reject', 'spam', 'delete'] as const;
export type QueueAction = (typeof queueActions)[number];

const statusOfAction: Record<Exclude<QueueAction, 'delete'>, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

/** One sign-in attempt, by keyed hashes only (see auth.ts): of the name, of the sender's network, and of both. */
interface SignInAttempt {
  /** Random: the row a successful sign-in deletes. */
  id: string;
  accountKey: string;
  addressKey: string;
  pairKey: string;
  at: Date;
}

/** Attempts allowed within `windowMs`: per name from one network, and per network across names. */
interface SignInAttemptLimits {
  perPair: number;
  perAddress: number;
  windowMs: number;
}

type SignInReservation = { isReserved: true } | { isReserved: false; retryAt: Date };

/** What `forgetExpired` deletes: rows whose window or life is over. */
interface ModerationRetention {
  now: Date;
  /** Sign-in attempts made before this. */
  attemptsBefore: Date;
  /** Delivered webhook messages delivered before this. */
  deliveredBefore: Date;
  /** Given-up webhook messages (`maxAttempts` tries) queued before this. */
  givenUpBefore: Date;
  maxAttempts: number;
}

export interface AuditEntry {
  id: number;
  at: Date;
  moderator: string;
  action: ModerationAction;
  commentId: string | null;
  detail: string | null;
  /** The comment the action was about, as it is now; null for sign-ins and for comments deleted since. */
  comment: AuditComment | null;
}

/** What the audit log shows of a comment: where it is, who wrote it, how it starts. */
export interface AuditComment {
  essay: string;
  lang: Locale;
  name: string;
  /** The body's first `auditExcerptLength` characters, white space folded, "…" when cut. */
  excerpt: string;
  isAuthor: boolean;
}

/** Characters (code points) of a comment the audit log shows. */
export const auditExcerptLength = 120;

/** Which audit rows to list: all when a field is left out, newest first, at most `limit`. */
interface AuditFilter {
  moderator?: string;
  action?: ModerationAction;
  limit?: number;
}

interface OutboxMessage {
  id: number;
  payload: string;
  attempts: number;
}

/** Moderators, sessions, failed sign-ins, the audit log and the webhook outbox; no SQL leaves this module. */
export interface ModerationStore {
  enqueueMessage(payload: string, at?: Date): Promise<void>;
  /** The webhook outbox's delivery side (claims under a lease, retries), shared with the email outbox. */
  outbox: OutboxStore<{ payload: string }>;
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
  /**
   * Reserves the attempt before its password is checked, in the one statement that counts the
   * attempts before it, so concurrent attempts cannot all pass; refused, nothing is written and
   * `retryAt` is when the oldest attempt in the way leaves the window.
   */
  reserveSignInAttempt(attempt: SignInAttempt, limits: SignInAttemptLimits): Promise<SignInReservation>;
  /** Attempts at one name (its account key) since `since`, from every network. */
  countAccountAttempts(accountKey: string, since: Date): Promise<number>;
  /** A successful sign-in: its reservation and the pair's earlier failures are forgiven. */
  clearSignInAttempts(pairKey: string): Promise<void>;
  /**
   * Sets the status of, or deletes (with every reply under them), the comments `ids` names, and
   * logs one audit row per comment changed, all in one transaction. Returns the ids that existed.
   */
  moderateComments(moderator: string, action: QueueAction, ids: readonly string[], at: Date): Promise<string[]>;
  /** Stores the author's reply and its audit row in one transaction. */
  addAuthorReply(moderator: string, reply: NewComment & { createdAt: Date }): Promise<void>;
  /** Deletes sign-in attempts, sessions and webhook messages past their time; returns how many of each. */
  forgetExpired(retention: ModerationRetention): Promise<{ signInAttempts: number; sessions: number; outbox: number }>;
  addAuditEntry(entry: Omit<AuditEntry, 'id' | 'at' | 'comment'> & { at?: Date }): Promise<void>;
  listAuditEntries(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Every moderator name in the audit log, sorted (removed accounts too: their actions stay logged). */
  listAuditModerators(): Promise<string[]>;
  /** The spam list, oldest first. */
  listSpamRules(): Promise<SpamRule[]>;
  /**
   * False when the same rule is listed already. `value` must be normalized (normalizeSpamRule).
   * The audit log gets a row in the same transaction, only when the rule was added.
   */
  addSpamRule(kind: SpamRuleKind, value: string, moderator: string, at?: Date): Promise<boolean>;
  /** False when no rule has that id (any more); a removal is logged, with the rule it removed, in the same transaction. */
  removeSpamRule(id: number, moderator: string, at?: Date): Promise<boolean>;
}

/**
 * The audit row of a comment a spam rule sent to Spam, to be written in the transaction that stores
 * the comment: written only if the comment was (a refused post leaves no row).
 */
export function writeAutomaticSpamAudit(commentId: string, detail: string, at: Date): SqlStatement {
  return {
    sql: `INSERT INTO moderation_log (at, moderator, action, comment_id, detail)
          SELECT ?1, ?2, 'spam', ?3, ?4 WHERE EXISTS (SELECT 1 FROM comments WHERE id = ?3)`,
    params: [at.getTime(), automaticModerator, commentId, detail],
  };
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
  essay: string | null;
  lang: string | null;
  name: string | null;
  body_start: string | null;
  is_author: number | null;
}

function toAuditComment(row: AuditRow): AuditComment | null {
  if (row.essay === null || row.name === null || row.body_start === null) return null;
  const characters = [...row.body_start.replace(/\s+/gu, ' ').trim()];
  const excerpt =
    characters.length > auditExcerptLength ? `${characters.slice(0, auditExcerptLength).join('').trimEnd()}…` : characters.join('');
  return { essay: row.essay, lang: row.lang as Locale, name: row.name, excerpt, isAuthor: row.is_author === 1 };
}

const toModerator = (row: ModeratorRow): Moderator => ({
  name: row.name,
  passwordHash: row.password_hash,
  createdAt: new Date(row.created_at),
});

export interface ModerationStoreOptions {
  /** Approving a comment, or the author's reply, queues the reply emails it makes due in the same transaction (SMTP_URL set). */
  queueReplyEmails?: boolean;
}

export function createModerationStore(driver: SqlDriver, { queueReplyEmails = false }: ModerationStoreOptions = {}): ModerationStore {
  const outbox = createOutboxStore<{ payload: string }>(driver, 'webhook_outbox', ['payload']);
  return {
    outbox,

    async enqueueMessage(payload, at = new Date()) {
      await driver.run('INSERT INTO webhook_outbox (payload, next_attempt_at, created_at) VALUES (?1, ?2, ?2)', [payload, at.getTime()]);
    },

    async listOutbox() {
      const messages = await outbox.list();
      return messages.map(({ id, attempts, deliveredAt, lastError, row }) => ({
        id,
        payload: row.payload,
        attempts,
        deliveredAt,
        lastError,
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

    async reserveSignInAttempt(attempt, limits) {
      const at = attempt.at.getTime();
      const since = at - limits.windowMs;
      // ?1 id, ?2 account, ?3 address, ?4 pair, ?5 at, ?6 since, ?7 per pair, ?8 per address.
      const { changes } = await driver.run(
        `INSERT INTO sign_in_attempts (id, account_key, address_key, pair_key, at)
         SELECT ?1, ?2, ?3, ?4, ?5
         WHERE (SELECT count(*) FROM sign_in_attempts WHERE pair_key = ?4 AND at > ?6) < ?7
           AND (SELECT count(*) FROM sign_in_attempts WHERE address_key = ?3 AND at > ?6) < ?8`,
        [attempt.id, attempt.accountKey, attempt.addressKey, attempt.pairKey, at, since, limits.perPair, limits.perAddress],
      );
      if (changes > 0) return { isReserved: true };
      // Refused: the wait lasts until enough of the attempts in the way have left the window.
      const limited = [
        ['pair_key', attempt.pairKey, limits.perPair],
        ['address_key', attempt.addressKey, limits.perAddress],
      ] as const;
      const waits = await Promise.all(
        limited.map(async ([column, key, max]) => {
          const row = await driver.get<{ count: number; freed_at: number | null }>(
            `WITH recent AS (SELECT at FROM sign_in_attempts WHERE ${column} = ?1 AND at > ?2)
             SELECT (SELECT count(*) FROM recent) AS count,
                    (SELECT at FROM recent ORDER BY at LIMIT 1 OFFSET max((SELECT count(*) FROM recent) - ?3, 0)) AS freed_at`,
            [key, since, max],
          );
          return row && row.count >= max && row.freed_at !== null ? row.freed_at + limits.windowMs : at;
        }),
      );
      return { isReserved: false, retryAt: new Date(Math.max(...waits)) };
    },

    async countAccountAttempts(accountKey, since) {
      const row = await driver.get<{ count: number }>('SELECT count(*) AS count FROM sign_in_attempts WHERE account_key = ?1 AND at > ?2', [
        accountKey,
        since.getTime(),
      ]);
      return row?.count ?? 0;
    },

    async clearSignInAttempts(pairKey) {
      await driver.run('DELETE FROM sign_in_attempts WHERE pair_key = ?1', [pairKey]);
    },

    async moderateComments(moderator, action, ids, at) {
      const asked = JSON.stringify([...new Set(ids)]);
      // Which of them exist, for the answer; the writes below check again inside their transaction.
      const existing = await driver.all<{ id: string }>(
        'SELECT comments.id FROM json_each(?1) AS asked JOIN comments ON comments.id = asked.value ORDER BY asked.key',
        [asked],
      );
      if (existing.length === 0) return [];
      // ?1 ids (JSON), ?2 at, ?3 moderator, ?4 action. Audit rows are written first, from the
      // comments as they are before the change, and in the same transaction as the change.
      const audit =
        action === 'delete'
          ? {
              // A reply deleted with its thread names, as its detail, the comment the moderator deleted.
              sql: `WITH ${commentSubtreeSql}
                    INSERT INTO moderation_log (at, moderator, action, comment_id, detail)
                    SELECT ?2, ?3, ?4, id, CASE WHEN max(id = root) = 1 THEN NULL ELSE min(root) END FROM subtree
                    GROUP BY id ORDER BY max(id = root) DESC, min(root), id`,
              params: [asked, at.getTime(), moderator, action],
            }
          : {
              sql: `INSERT INTO moderation_log (at, moderator, action, comment_id, detail)
                    SELECT ?2, ?3, ?4, comments.id, NULL FROM json_each(?1) AS asked JOIN comments ON comments.id = asked.value ORDER BY asked.key`,
              params: [asked, at.getTime(), moderator, action],
            };
      const idList = existing.map((row) => row.id);
      const change =
        action === 'delete' ? commentWrites.deleteWithReplies(idList) : commentWrites.setStatus(idList, statusOfAction[action], at);
      const emails = queueReplyEmails && action === 'approve' ? [emailWrites.queueReplies(idList, at)] : [];
      await driver.batch([audit, change, ...emails]);
      return idList;
    },

    async addAuthorReply(moderator, reply) {
      await driver.batch([
        ...commentWrites.insert(reply),
        {
          sql: "INSERT INTO moderation_log (at, moderator, action, comment_id, detail) VALUES (?1, ?2, 'reply', ?3, ?4)",
          params: [reply.createdAt.getTime(), moderator, reply.id, reply.parentId],
        },
        ...(queueReplyEmails ? [emailWrites.queueReplies([reply.id], reply.createdAt)] : []),
      ]);
    },

    async forgetExpired({ now, attemptsBefore, deliveredBefore, givenUpBefore, maxAttempts }) {
      const [signInAttempts, sessions] = await driver.batch([
        { sql: 'DELETE FROM sign_in_attempts WHERE at <= ?1', params: [attemptsBefore.getTime()] },
        { sql: 'DELETE FROM moderator_sessions WHERE expires_at <= ?1', params: [now.getTime()] },
      ]);
      const outboxDeleted = await outbox.forgetExpired({ deliveredBefore, givenUpBefore, maxAttempts });
      return {
        signInAttempts: signInAttempts?.changes ?? 0,
        sessions: sessions?.changes ?? 0,
        outbox: outboxDeleted,
      };
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

    async listAuditEntries({ moderator, action, limit = 200 } = {}) {
      // ?1 limit, ?2 moderator, ?3 action (NULL: any). A little more of the body than the excerpt
      // shows, so that a cut can be told from a body of exactly that length (and white space folded).
      const rows = await driver.all<AuditRow>(
        `SELECT log.id, log.at, log.moderator, log.action, log.comment_id, log.detail,
                comments.essay, comments.lang, comments.name, substr(comments.body, 1, ?4) AS body_start, comments.is_author
         FROM moderation_log AS log LEFT JOIN comments ON comments.id = log.comment_id
         WHERE (?2 IS NULL OR log.moderator = ?2) AND (?3 IS NULL OR log.action = ?3)
         ORDER BY log.at DESC, log.id DESC LIMIT ?1`,
        [limit, moderator ?? null, action ?? null, auditExcerptLength * 2],
      );
      return rows.map((row) => ({
        id: row.id,
        at: new Date(row.at),
        moderator: row.moderator,
        action: row.action as ModerationAction,
        commentId: row.comment_id,
        detail: row.detail,
        comment: toAuditComment(row),
      }));
    },

    async listSpamRules() {
      const rows = await driver.all<{ id: number; kind: string; value: string; created_by: string; created_at: number }>(
        'SELECT id, kind, value, created_by, created_at FROM spam_rules ORDER BY created_at, id',
      );
      return rows.map((row) => ({
        id: row.id,
        kind: row.kind as SpamRuleKind,
        value: row.value,
        createdBy: row.created_by,
        createdAt: new Date(row.created_at),
      }));
    },

    async addSpamRule(kind, value, moderator, at = new Date()) {
      // The audit row first, while the rule is not there yet: an added rule is logged, a duplicate is not.
      const [, added] = await driver.batch([
        {
          sql: `INSERT INTO moderation_log (at, moderator, action, comment_id, detail)
                SELECT ?1, ?2, 'add-spam-rule', NULL, ?3 WHERE NOT EXISTS (SELECT 1 FROM spam_rules WHERE kind = ?4 AND value = ?5)`,
          params: [at.getTime(), moderator, describeSpamRule({ kind, value }), kind, value],
        },
        {
          sql: 'INSERT INTO spam_rules (kind, value, created_by, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (kind, value) DO NOTHING',
          params: [kind, value, moderator, at.getTime()],
        },
      ]);
      return (added?.changes ?? 0) > 0;
    },

    async removeSpamRule(id, moderator, at = new Date()) {
      const rule = await driver.get<{ kind: string; value: string }>('SELECT kind, value FROM spam_rules WHERE id = ?1', [id]);
      if (!rule) return false;
      // Ids are never reused: if another moderator removed it meanwhile, neither statement finds it.
      const [, removed] = await driver.batch([
        {
          sql: `INSERT INTO moderation_log (at, moderator, action, comment_id, detail)
                SELECT ?1, ?2, 'remove-spam-rule', NULL, ?3 WHERE EXISTS (SELECT 1 FROM spam_rules WHERE id = ?4)`,
          params: [at.getTime(), moderator, describeSpamRule({ kind: rule.kind as SpamRuleKind, value: rule.value }), id],
        },
        { sql: 'DELETE FROM spam_rules WHERE id = ?1', params: [id] },
      ]);
      return (removed?.changes ?? 0) > 0;
    },

    async listAuditModerators() {
      const rows = await driver.all<{ moderator: string }>('SELECT DISTINCT moderator FROM moderation_log ORDER BY moderator');
      return rows.map((row) => row.moderator);
    },
  };
}
