import { DatabaseSync } from 'node:sqlite';
import { isDataTable } from '../../src/lib/db/database-schema.ts';
import type { SqlDriver, SqlStatement } from '../../src/lib/db/sql-driver.ts';

/** Milliseconds in 2025 and 2026, as the stores write them. */
const at = (day: number, second = 0) => Date.UTC(2025, 0, day, 12, 0, second);

/**
 * Rows for every data table of the schema, with the values most likely to be bent on the way
 * through a file: Chinese and emoji, newlines, quotes and backslashes, nulls, a reply whose id
 * sorts before its parent's, gaps in AUTOINCREMENT ids and two identical rows in a table without a key.
 */
export const everyTableRows: readonly SqlStatement[] = [
  { sql: "INSERT INTO comment_settings (key, value) VALUES ('secret', 'generated-secret-0123456789abcdef')" },
  {
    sql: `INSERT INTO comments (id, essay, lang, parent_id, name, email, body, is_private, is_author, status, ip_hash, created_at, moderated_at)
          VALUES (?1, 'deadline', 'zh', NULL, '读者', 'reader@example.com', ?2, 0, 0, 'approved', 'hash-1', ?3, ?4)`,
    params: ['z-parent', '第一行\n第二行 😀 "quoted" \\ back\tslash </script>', at(1), at(2)],
  },
  {
    sql: `INSERT INTO comments (id, essay, lang, parent_id, name, email, body, is_private, is_author, status, ip_hash, created_at, moderated_at)
          VALUES (?1, 'deadline', 'en', 'z-parent', 'observer', NULL, 'Reply from the author', 1, 1, 'approved', NULL, ?2, NULL)`,
    params: ['a-reply', at(3)],
  },
  {
    sql: `INSERT INTO comments (id, essay, lang, parent_id, name, email, body, is_private, is_author, status, ip_hash, created_at, moderated_at)
          VALUES ('m-spam', 'other', 'en', NULL, 'Spam', 'x@example.com', 'buy', 0, 0, 'spam', 'hash-2', ?1, ?2)`,
    params: [at(4), at(5)],
  },
  {
    sql: "INSERT INTO moderators (name, password_hash, created_at) VALUES ('alice', 'scrypt$32768$8$1$c2FsdA$aGFzaA', ?1), ('编辑', 'scrypt$32768$8$1$b3RoZXI$b3RoZXI', ?2)",
    params: [at(1), at(2)],
  },
  {
    sql: "INSERT INTO moderator_sessions (token_hash, moderator, created_at, expires_at) VALUES ('session-hash', 'alice', ?1, ?2)",
    params: [at(6), at(6, 30)],
  },
  {
    sql: "INSERT INTO sign_in_attempts (id, account_key, address_key, pair_key, at) VALUES ('attempt-1', 'account-hash', 'address-hash', 'pair-hash', ?1), ('attempt-2', 'account-hash', 'address-hash-2', 'pair-hash-2', ?2)",
    params: [at(6), at(7)],
  },
  { sql: "INSERT INTO comment_posts (sender_hash, at) VALUES ('hash-1', ?1), ('hash-2', ?2)", params: [at(4), at(5)] },
  {
    sql: `INSERT INTO moderation_log (id, at, moderator, action, comment_id, detail) VALUES
          (1, ?1, 'alice', 'sign-in', NULL, NULL), (2, ?2, 'alice', 'approve', 'z-parent', NULL), (7, ?3, '编辑', 'reply', 'a-reply', '{"note":"回复"}')`,
    params: [at(1), at(2), at(3)],
  },
  {
    sql: "INSERT INTO spam_rules (id, kind, value, created_by, created_at) VALUES (1, 'phrase', '免费领取', 'alice', ?1), (2, 'domain', 'spam.example', 'alice', ?2)",
    params: [at(2), at(3)],
  },
  {
    sql: `INSERT INTO webhook_outbox (id, payload, attempts, next_attempt_at, created_at, delivered_at, last_error) VALUES
          (3, '{"version":1,"event":"comment.pending"}', 8, ?1, ?2, NULL, 'HTTP 500 from receiver'), (4, '{"version":1}', 1, ?1, ?2, ?3, NULL)`,
    params: [at(8), at(7), at(8, 1)],
  },
  { sql: 'INSERT INTO reply_subscriptions (comment_id, consented_at, unsubscribed_at) VALUES (?1, ?2, NULL)', params: ['z-parent', at(1)] },
  {
    sql: `INSERT INTO email_outbox (id, kind, comment_id, dedupe_key, attempts, next_attempt_at, created_at, delivered_at, last_error) VALUES
          (5, 'reply', 'a-reply', 'reply:a-reply', 2, ?1, ?2, NULL, 'connect ECONNREFUSED'), (6, 'pending', 'm-spam', 'pending:m-spam', 1, ?1, ?2, ?3, NULL)`,
    params: [at(8), at(7), at(8, 1)],
  },
  {
    sql: "INSERT INTO essay_views (essay, lang, day, views) VALUES ('deadline', 'zh', '2025-01-01', 123456789), ('deadline', 'en', '2025-01-01', 1), ('other', 'zh', '2025-01-02', 7)",
  },
  { sql: "INSERT INTO view_salts (day, salt) VALUES ('2025-01-02', 'salt-of-the-day')" },
  { sql: "INSERT INTO view_visitors (day, visitor_hash) VALUES ('2025-01-02', 'visitor-1'), ('2025-01-02', 'visitor-2')" },
  { sql: "INSERT INTO view_networks (day, network_hash, views) VALUES ('2025-01-02', 'network-1', 2)" },
  {
    sql: "INSERT INTO essay_collects (essay, reader_hash, lang, created_at) VALUES ('deadline', 'reader-1', 'zh', ?1), ('other', 'reader-1', 'en', ?2)",
    params: [at(2), at(3)],
  },
  { sql: "INSERT INTO collect_actions (sender_hash, at) VALUES ('hash-1', ?1), ('hash-1', ?2)", params: [at(2), at(3)] },
];

/** Fills every data table (one batch). */
export async function fillEveryTable(driver: SqlDriver): Promise<void> {
  await driver.batch(everyTableRows);
}

/** Every table's rows, SQLite's and the migration runner's included, in a stable order: for row-for-row comparisons. */
export function readEveryTable(path: string, { isDataOnly = false } = {}): Record<string, unknown[]> {
  const database = new DatabaseSync(path, { readOnly: true });
  try {
    const names = (database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>)
      .map((row) => row.name)
      .filter((name) => !isDataOnly || isDataTable(name));
    return Object.fromEntries(
      names.map((name) => {
        const columns = (database.prepare('SELECT name FROM pragma_table_info(?)').all(name) as Array<{ name: string }>).map(
          (row) => `"${row.name}"`,
        );
        return [name, database.prepare(`SELECT * FROM "${name}" ORDER BY ${columns.join(', ')}`).all()];
      }),
    );
  } finally {
    database.close();
  }
}
