import type { Locale } from '../../i18n/locales.ts';
import type { SqlDriver, SqlStatement, SqlValue } from '../db/sql-driver.ts';
import type { SenderLimit } from '../http/rate-limit.ts';
import type { Comment, CommentFormat, CommentStatus, NewComment, PublicComment, StoredComment } from './schema.ts';

export type { StoredComment };

interface InsertOptions {
  /** The commenter asked to be emailed about replies: their consent is stored with its time, with the comment. */
  notifyReplies?: boolean;
  /** Readers' comments across the site (spam and the author's aside), checked in the same statement as `limit`. */
  siteLimit?: SenderLimit;
  /** Statements run in the same transaction, after the comment (its audit row, say). */
  alongside?: readonly SqlStatement[];
}

interface CommentFilter {
  essay?: string;
  status?: CommentStatus;
  lang?: Locale;
}

type InsertResult =
  | { isStored: true; comment: Comment }
  /** `recentPosts`: the sender's posts, or with `site` the site's comments, that fill the window. */
  | { isStored: false; limitedBy: 'sender' | 'site'; recentPosts: Date[] };

/** Comment storage in domain terms; no SQL leaves this module. */
export interface CommentStore {
  /** Every comment with every stored field, oldest first. */
  exportComments(): Promise<StoredComment[]>;
  /** Adds all of them in one transaction, or none (for example when an id exists already). Returns how many. */
  importComments(comments: readonly StoredComment[]): Promise<number>;
  /**
   * Stores a comment unless its sender is over `limit`. The sender's posts are counted from a record
   * of their own (kept for the window, whatever becomes of the comments), checked and added in the
   * same transaction as the comment. Refused, it returns the times of the sender's `limit.max`
   * newest posts in the window, which tell when they may post again (getRetryAfterMs). The
   * options' `siteLimit` caps readers' comments across the site the same way, in the same statement.
   */
  insertComment(comment: NewComment, limit?: SenderLimit, options?: InsertOptions): Promise<InsertResult>;
  getComment(id: string): Promise<Comment | undefined>;
  /**
   * What readers see of an essay (every language version), oldest first: comments that are approved
   * and not private, and whose parent, and its parent up to the thread's start, are too. A reply
   * under a pending, rejected or spam comment stays out until that one is approved.
   */
  listPublicComments(essay: string): Promise<PublicComment[]>;
  /** Whether readers see the comment (the rule of `listPublicComments`). */
  isPublicComment(id: string): Promise<boolean>;
  /** For moderation and tests; newest first. */
  listComments(filter?: CommentFilter): Promise<Comment[]>;
  /** The moderation queue: oldest first. */
  listQueue(filter?: CommentFilter): Promise<Comment[]>;
  /** How many comments have each status (essay and language filters apply). */
  countByStatus(filter?: Omit<CommentFilter, 'status'>): Promise<Record<CommentStatus, number>>;
  /** Removes a comment and every reply under it. False when there is no such comment. */
  deleteComment(id: string): Promise<boolean>;
  /** Returns false when there is no such comment. */
  setCommentStatus(id: string, status: CommentStatus, at?: Date): Promise<boolean>;
  /** The stored secret, storing `candidate` first if there is none yet (the first caller wins). */
  getOrCreateSecret(candidate: string): Promise<string>;
  /** Changes whenever the stored comments may have; undefined when the driver cannot tell. */
  getChangeMarker(): Promise<string | undefined>;
  /** Deletes the rate-limit records of posts made before `before`; returns how many. */
  forgetPostsBefore(before: Date): Promise<number>;
}

interface CommentRow {
  id: string;
  essay: string;
  lang: string;
  parent_id: string | null;
  name: string;
  email: string | null;
  body: string;
  format: string;
  is_private: number;
  is_author: number;
  status: string;
  created_at: number;
  moderated_at: number | null;
}

type PublicCommentRow = Pick<CommentRow, 'id' | 'essay' | 'lang' | 'parent_id' | 'name' | 'body' | 'format' | 'is_author' | 'created_at'>;

const commentColumns = 'id, essay, lang, parent_id, name, email, body, format, is_private, is_author, status, created_at, moderated_at';
const publicColumns = 'id, essay, lang, parent_id, name, body, format, is_author, created_at';

function toPublicComment(row: PublicCommentRow): PublicComment {
  return {
    id: row.id,
    essay: row.essay,
    lang: row.lang as Locale,
    parentId: row.parent_id,
    name: row.name,
    body: row.body,
    format: row.format as CommentFormat,
    isAuthor: row.is_author === 1,
    createdAt: new Date(row.created_at),
  };
}

function toComment(row: CommentRow): Comment {
  return {
    ...toPublicComment(row),
    email: row.email,
    isPrivate: row.is_private === 1,
    status: row.status as CommentStatus,
    moderatedAt: row.moderated_at === null ? null : new Date(row.moderated_at),
  };
}

/** Whether the comment row `table` may be shown to readers by itself (its thread decides the rest). */
const isShownSql = (table: string) => `(${table}.status = 'approved' AND ${table}.is_private = 0)`;

/** The comments the site-wide cap counts: readers' (not the author's), spam aside, written after `since`. */
const siteLimitedSql = (since: string) => `created_at > ${since} AND is_author = 0 AND status != 'spam'`;

/**
 * `subtree (id, root)`: the comments whose ids are in the JSON array ?1, and every reply under them,
 * each with the asked-for comment it descends from. UNION (not UNION ALL) ends even on a cycle an
 * import could have made.
 */
export const commentSubtreeSql = `RECURSIVE subtree (id, root) AS (
  SELECT comments.id, comments.id FROM json_each(?1) AS asked JOIN comments ON comments.id = asked.value
  UNION
  SELECT reply.id, subtree.root FROM comments AS reply JOIN subtree ON reply.parent_id = subtree.id
)`;

/** The columns a new or imported comment is written with, in the order of toRowValues (?1–?12). */
const rowValueColumns = 'id, essay, lang, name, email, body, is_private, is_author, status, ip_hash, created_at, format';
const rowValuePlaceholders = Array.from({ length: 12 }, (_, index) => `?${index + 1}`).join(', ');

function toRowValues(comment: Omit<NewComment, 'createdAt'> & { createdAt: Date; ipHash: string | null }): SqlValue[] {
  return [
    comment.id,
    comment.essay,
    comment.lang,
    comment.name,
    comment.email,
    comment.body,
    comment.isPrivate ? 1 : 0,
    comment.isAuthor ? 1 : 0,
    comment.status,
    comment.ipHash,
    comment.createdAt.getTime(),
    comment.format ?? 'plain',
  ];
}

/**
 * The statements behind comment writes, for a store that commits them in one transaction together
 * with rows of its own (moderation: an action and its audit rows). Ids travel as one JSON array
 * bound to ?1 (`json_each`), so an action on 500 comments is still one statement, well inside D1's
 * limit on statements per request.
 */
export const commentWrites = {
  /**
   * The comment, and with a limit the sender's post record. Both statements repeat one guard over
   * `comment_posts`, which neither of them changes before the other has run, so inside the
   * transaction they agree: both rows are written or neither.
   */
  insert(
    comment: NewComment & { createdAt: Date },
    limit?: SenderLimit,
    { notifyReplies = false, siteLimit }: Omit<InsertOptions, 'alongside'> = {},
  ): SqlStatement[] {
    // ?1–?12 the row (?10 the sender's hash, ?11 the time), ?13 the parent, ?14–?15 the sender's limit, ?16–?17 the site's.
    const params = [
      ...toRowValues(comment),
      comment.parentId,
      limit ? limit.max : null,
      limit ? limit.since.getTime() : null,
      siteLimit ? siteLimit.max : null,
      siteLimit ? siteLimit.since.getTime() : null,
    ];
    const isUnderLimit = `(?14 IS NULL OR (SELECT count(*) FROM comment_posts WHERE sender_hash = ?10 AND at > ?15) < ?14)
      AND (?16 IS NULL OR (SELECT count(*) FROM comments WHERE ${siteLimitedSql('?17')}) < ?16)`;
    const statements: SqlStatement[] = [
      {
        sql: `INSERT INTO comments (${rowValueColumns}, parent_id) SELECT ${rowValuePlaceholders}, ?13 WHERE ${isUnderLimit}`,
        params,
      },
    ];
    if (limit && comment.ipHash !== null) {
      statements.push({ sql: `INSERT INTO comment_posts (sender_hash, at) SELECT ?10, ?11 WHERE ${isUnderLimit}`, params });
    }
    if (notifyReplies && comment.email !== null) {
      // Only when the comment itself went in (the limit may have refused it).
      statements.push({
        sql: 'INSERT INTO reply_subscriptions (comment_id, consented_at) SELECT id, created_at FROM comments WHERE id = ?1',
        params: [comment.id],
      });
    }
    return statements;
  },

  setStatus(ids: readonly string[], status: CommentStatus, at: Date): SqlStatement {
    return {
      sql: 'UPDATE comments SET status = ?2, moderated_at = ?3 WHERE id IN (SELECT value FROM json_each(?1))',
      params: [JSON.stringify(ids), status, at.getTime()],
    };
  },

  /** A reply without the comment it answers makes no sense to a reader, so it goes with it. */
  deleteWithReplies(ids: readonly string[]): SqlStatement {
    return { sql: `DELETE FROM comments WHERE id IN (WITH ${commentSubtreeSql} SELECT id FROM subtree)`, params: [JSON.stringify(ids)] };
  },
};

/** The comment store over any driver. */
export function createCommentStore(driver: SqlDriver): CommentStore {
  return {
    async exportComments() {
      const rows = await driver.all<CommentRow & { ip_hash: string | null }>(
        `SELECT ${commentColumns}, ip_hash FROM comments ORDER BY created_at, id`,
      );
      return rows.map((row) => ({ ...toComment(row), ipHash: row.ip_hash }));
    },

    async importComments(comments) {
      if (comments.length === 0) return 0;
      // Parents are linked after every row exists, so the order inside the file does not matter.
      const statements: SqlStatement[] = comments.map((comment) => ({
        sql: `INSERT INTO comments (${rowValueColumns}, moderated_at) VALUES (${rowValuePlaceholders}, ?13)`,
        params: [...toRowValues(comment), comment.moderatedAt?.getTime() ?? null],
      }));
      for (const comment of comments) {
        if (comment.parentId !== null)
          statements.push({ sql: 'UPDATE comments SET parent_id = ?2 WHERE id = ?1', params: [comment.id, comment.parentId] });
      }
      await driver.batch(statements);
      return comments.length;
    },

    async insertComment(comment, limit, { alongside = [], ...options } = {}) {
      const createdAt = comment.createdAt ?? new Date();
      const { siteLimit } = options;
      const [inserted] = await driver.batch([...commentWrites.insert({ ...comment, createdAt }, limit, options), ...alongside]);
      if ((inserted?.changes ?? 0) === 0) {
        if (siteLimit) {
          const filling = await driver.all<{ created_at: number }>(
            `SELECT created_at FROM comments WHERE ${siteLimitedSql('?1')} ORDER BY created_at DESC LIMIT ?2`,
            [siteLimit.since.getTime(), siteLimit.max],
          );
          if (filling.length >= siteLimit.max)
            return { isStored: false, limitedBy: 'site', recentPosts: filling.map((row) => new Date(row.created_at)) };
        }
        const posts = await driver.all<{ at: number }>(
          'SELECT at FROM comment_posts WHERE sender_hash = ?1 AND at > ?2 ORDER BY at DESC LIMIT ?3',
          [comment.ipHash, limit?.since.getTime() ?? 0, limit?.max ?? 0],
        );
        return { isStored: false, limitedBy: 'sender', recentPosts: posts.map((post) => new Date(post.at)) };
      }
      const { ipHash: _ipHash, ...stored } = comment;
      return { isStored: true, comment: { ...stored, format: comment.format ?? 'plain', createdAt, moderatedAt: null } };
    },

    async getComment(id) {
      const row = await driver.get<CommentRow>(`SELECT ${commentColumns} FROM comments WHERE id = ?1`, [id]);
      return row && toComment(row);
    },

    async listPublicComments(essay) {
      // Down from the thread starts: a reply is reached only through a parent that is public itself.
      const rows = await driver.all<PublicCommentRow>(
        `WITH RECURSIVE visible (id) AS (
           SELECT id FROM comments WHERE essay = ?1 AND parent_id IS NULL AND ${isShownSql('comments')}
           UNION
           SELECT reply.id FROM comments AS reply JOIN visible ON reply.parent_id = visible.id
           WHERE reply.essay = ?1 AND ${isShownSql('reply')}
         )
         SELECT ${publicColumns} FROM comments WHERE id IN (SELECT id FROM visible)
         ORDER BY created_at, id`,
        [essay],
      );
      return rows.map(toPublicComment);
    },

    async isPublicComment(id) {
      // Up from the comment to its thread's start: every step shown, and the chain reaches a start.
      const row = await driver.get<{ steps: number; shown: number | null; starts: number | null }>(
        `WITH RECURSIVE chain (id, parent_id, is_shown) AS (
           SELECT id, parent_id, ${isShownSql('comments')} FROM comments WHERE id = ?1
           UNION
           SELECT parent.id, parent.parent_id, ${isShownSql('parent')}
           FROM comments AS parent JOIN chain ON parent.id = chain.parent_id
         )
         SELECT count(*) AS steps, sum(is_shown) AS shown, sum(parent_id IS NULL) AS starts FROM chain`,
        [id],
      );
      return row !== undefined && row.steps > 0 && row.shown === row.steps && row.starts === 1;
    },

    async listComments(filter = {}) {
      const rows = await driver.all<CommentRow>(
        `SELECT ${commentColumns} FROM comments
         WHERE (?1 IS NULL OR essay = ?1) AND (?2 IS NULL OR status = ?2)
         ORDER BY created_at DESC, id DESC`,
        [filter.essay ?? null, filter.status ?? null],
      );
      return rows.map(toComment);
    },

    async listQueue(filter = {}) {
      const rows = await driver.all<CommentRow>(
        `SELECT ${commentColumns} FROM comments
         WHERE (?1 IS NULL OR essay = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR lang = ?3)
         ORDER BY created_at, id`,
        [filter.essay ?? null, filter.status ?? null, filter.lang ?? null],
      );
      return rows.map(toComment);
    },

    async countByStatus(filter = {}) {
      const rows = await driver.all<{ status: CommentStatus; count: number }>(
        `SELECT status, count(*) AS count FROM comments
         WHERE (?1 IS NULL OR essay = ?1) AND (?2 IS NULL OR lang = ?2)
         GROUP BY status`,
        [filter.essay ?? null, filter.lang ?? null],
      );
      const counts: Record<CommentStatus, number> = { pending: 0, approved: 0, rejected: 0, spam: 0 };
      for (const row of rows) counts[row.status] = row.count;
      return counts;
    },

    async deleteComment(id) {
      const [deleted] = await driver.batch([commentWrites.deleteWithReplies([id])]);
      return (deleted?.changes ?? 0) > 0;
    },

    async setCommentStatus(id, status, at = new Date()) {
      const [changed] = await driver.batch([commentWrites.setStatus([id], status, at)]);
      return (changed?.changes ?? 0) > 0;
    },

    async forgetPostsBefore(before) {
      return (await driver.run('DELETE FROM comment_posts WHERE at < ?1', [before.getTime()])).changes;
    },

    async getChangeMarker() {
      return driver.getChangeMarker?.();
    },

    async getOrCreateSecret(candidate) {
      await driver.run("INSERT INTO comment_settings (key, value) VALUES ('secret', ?1) ON CONFLICT (key) DO NOTHING", [candidate]);
      const row = await driver.get<{ value: string }>("SELECT value FROM comment_settings WHERE key = 'secret'");
      if (!row) throw new Error('comment_settings lost its secret');
      return row.value;
    },
  };
}
