import { z } from 'astro/zod';
import type { StoredComment } from '../comments/store.ts';
import { exportFormat as commentsExportFormat, parseExportFile as parseCommentsExportFile } from '../comments/transfer.ts';
import { quoteIdentifier, readDatabaseSchema, type DatabaseSchema, type TableShape } from './database-schema.ts';
import type { SnapshotReader } from './snapshot-reader.ts';
import type { SqlDriver, SqlStatement, SqlValue } from './sql-driver.ts';

/**
 * The whole-site export (README, "Export and import"): every data table of the schema as columns
 * and rows, so the file does not change shape when a migration adds a column:
 * `{ format: "duizhao-export", version: 1, exportedAt, schemaVersion, tables: { name: { columns, rows } }, omitted: { name: reason } }`.
 */
const siteExportFormat = 'duizhao-export';
const siteExportVersion = 1;

type TablePolicy = { isCarried: true } | { isCarried: false; reason: string };
const carried: TablePolicy = { isCarried: true };
const omitted = (reason: string): TablePolicy => ({ isCarried: false, reason });

/**
 * Every data table the migrations create, and whether an export carries it. Columns are read from
 * the database, but a table must be named here: one that is not stops every export (and a unit
 * test), so a new migration cannot quietly leave its rows out of backups and moves.
 */
export const exportTablePolicies: Readonly<Record<string, TablePolicy>> = {
  comments: carried,
  // Holds the generated secret. It keys the stored sender hashes, the collectors' reader hashes and
  // the form tokens: a site moved without it would take every reader who collected an essay for a
  // new one (they could no longer un-collect) and start every rate limit afresh. So it travels,
  // and an export file is as private as the database.
  comment_settings: carried,
  // scrypt hashes only; the database never held a password.
  moderators: carried,
  moderator_sessions: omitted(
    'sign-ins to one server: they end within 8 hours anyway, and a copied session would stay signed in on a host its moderator never signed in to; moderators sign in again',
  ),
  // Only in databases from before migration 0006, which replaced it: it held raw submitted names.
  sign_in_failures: omitted('failed sign-ins under the raw submitted names, from before migration 0006 replaced them with keyed attempts'),
  // Throttle and rate-limit records, HMACs under the carried secret: a move does not reset them.
  sign_in_attempts: carried,
  comment_posts: carried,
  moderation_log: carried,
  // The moderators' spam list: a moved site keeps sending the same comments to Spam.
  spam_rules: carried,
  webhook_outbox: carried,
  // The consent to reply emails and its time is a record the site must keep; the addresses are in comments, carried anyway.
  reply_subscriptions: carried,
  email_outbox: carried,
  essay_views: carried,
  essay_collects: carried,
  collect_actions: carried,
  view_salts: omitted(
    "today's salt for the view hashes, which the site deletes when the UTC day ends so that no hash can be tied to a reader again; a file kept for years must not keep it (readers counted today may be counted once more after a move)",
  ),
  view_visitors: omitted("today's readers as hashes keyed by today's salt, which is not exported (see view_salts)"),
  view_networks: omitted("today's views per network as hashes keyed by today's salt, which is not exported (see view_salts)"),
};

/** D1 takes at most 100 bound values a statement; rows are inserted in groups that fit. */
const maxBoundValues = 100;

const sqlValueSchema = z.union([z.string(), z.number(), z.null()]);

const siteExportSchema = z.strictObject({
  format: z.literal(siteExportFormat),
  version: z.literal(siteExportVersion),
  exportedAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.number().int().min(1),
  tables: z.record(z.string(), z.strictObject({ columns: z.array(z.string().min(1)).min(1), rows: z.array(z.array(sqlValueSchema)) })),
  omitted: z.record(z.string(), z.string()),
});

export type SiteExport = z.infer<typeof siteExportSchema>;

/** What an import file holds: a whole-site export, or the comments-only file of earlier versions. */
export type ImportFile = { kind: 'site'; file: SiteExport } | { kind: 'comments'; comments: StoredComment[] };

/** The tables an export carries; throws, naming them, when the database has a table the export does not know. */
function selectCarriedTables(schema: DatabaseSchema): TableShape[] {
  const unknown = schema.tables.filter((table) => !Object.hasOwn(exportTablePolicies, table.name)).map((table) => table.name);
  if (unknown.length > 0) {
    throw new Error(
      `The database has table(s) ${unknown.map((name) => `"${name}"`).join(', ')} that the export does not know: add each to exportTablePolicies in src/lib/db/site-export.ts (carried, or omitted with the reason), or its rows would be missing from every export.`,
    );
  }
  return schema.tables.filter((table) => exportTablePolicies[table.name]?.isCarried);
}

function toExportValue(value: unknown, where: string): SqlValue {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number' && (Number.isSafeInteger(value) || !Number.isInteger(value))) return value;
  if (typeof value === 'number' || typeof value === 'bigint')
    throw new Error(`${where} holds ${String(value)}, larger than JSON numbers carry exactly.`);
  throw new Error(`${where} holds binary data, which the export cannot carry.`);
}

/** Reads every carried table in one snapshot; rows in key order, so two exports of the same data are equal. */
export async function exportSite(driver: SqlDriver, readSnapshot: SnapshotReader, at = new Date()): Promise<SiteExport> {
  const schema = await readDatabaseSchema(driver);
  const tables = selectCarriedTables(schema);
  const results = await readSnapshot(
    tables.map((table) => {
      const order = (table.primaryKey.length > 0 ? table.primaryKey : table.columns).map(quoteIdentifier).join(', ');
      return { sql: `SELECT ${table.columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(table.name)} ORDER BY ${order}` };
    }),
  );
  const exported: SiteExport['tables'] = {};
  tables.forEach((table, index) => {
    const rows = results[index] ?? [];
    exported[table.name] = {
      columns: table.columns,
      rows: rows.map((row, rowIndex) =>
        table.columns.map((column) => toExportValue(row[column], `${table.name} row ${rowIndex + 1}, column ${column},`)),
      ),
    };
  });
  const omittedTables: SiteExport['omitted'] = {};
  for (const table of schema.tables) {
    const policy = exportTablePolicies[table.name];
    if (policy && !policy.isCarried) omittedTables[table.name] = policy.reason;
  }
  return {
    format: siteExportFormat,
    version: siteExportVersion,
    exportedAt: at.toISOString(),
    schemaVersion: schema.version,
    tables: exported,
    omitted: omittedTables,
  };
}

/**
 * The file's text: indented like JSON.stringify(file, null, 2), except that each row stays on one
 * line, so a large export remains readable and a diff of two shows changed rows, not changed values.
 */
export function formatSiteExport(file: SiteExport): string {
  const json = (value: unknown) => JSON.stringify(value);
  const tables = Object.entries(file.tables).map(([name, table]) => {
    const rows = table.rows.length === 0 ? '[]' : `[\n${table.rows.map((row) => `        ${json(row)}`).join(',\n')}\n      ]`;
    return `    ${json(name)}: {\n      "columns": ${json(table.columns)},\n      "rows": ${rows}\n    }`;
  });
  const omittedTables = Object.entries(file.omitted).map(([name, reason]) => `    ${json(name)}: ${json(reason)}`);
  const block = (lines: string[]) => (lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`);
  return [
    '{',
    `  "format": ${json(file.format)},`,
    `  "version": ${json(file.version)},`,
    `  "exportedAt": ${json(file.exportedAt)},`,
    `  "schemaVersion": ${json(file.schemaVersion)},`,
    `  "tables": ${block(tables)},`,
    `  "omitted": ${block(omittedTables)}`,
    '}',
    '',
  ].join('\n');
}

/** Reads an import file of either kind; throws an Error that says what is wrong and where. */
export function parseImportFile(text: string): ImportFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('The file is not JSON (is it cut short?).');
  }
  const format = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { format?: unknown }).format : undefined;
  if (format === commentsExportFormat) return { kind: 'comments', comments: parseCommentsExportFile(text) };
  if (format !== siteExportFormat) {
    throw new Error(
      `The file is not a duizhao export (format must be "${siteExportFormat}", or "${commentsExportFormat}" for a comments-only file).`,
    );
  }
  const version = (value as { version?: unknown }).version;
  if (version !== siteExportVersion)
    throw new Error(`Unsupported export version ${JSON.stringify(version)}; this version of duizhao reads ${siteExportVersion}.`);
  // JSON.parse keeps "__proto__" as a key, but copying it into a new object (as zod does) sets the prototype instead: it would vanish unnoticed.
  const tables = (value as { tables?: unknown }).tables;
  if (typeof tables === 'object' && tables !== null && Object.hasOwn(tables, '__proto__'))
    throw new Error('Invalid export file at tables: a table named "__proto__".');
  const parsed = siteExportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid export file at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  for (const [name, table] of Object.entries(parsed.data.tables)) {
    const columns = new Set(table.columns);
    if (columns.size !== table.columns.length) throw new Error(`Invalid export file at tables.${name}.columns: a column is named twice.`);
    table.rows.forEach((row, index) => {
      if (row.length !== table.columns.length) {
        throw new Error(`Invalid export file at tables.${name}.rows.${index}: ${row.length} values for ${table.columns.length} columns.`);
      }
      const inexact = row.find((cell) => typeof cell === 'number' && Number.isInteger(cell) && !Number.isSafeInteger(cell));
      if (inexact !== undefined)
        throw new Error(`Invalid export file at tables.${name}.rows.${index}: ${String(inexact)} is too large to have been read exactly.`);
    });
  }
  return { kind: 'site', file: parsed.data };
}

const keyOf = (row: readonly SqlValue[], indexes: readonly number[]) => JSON.stringify(indexes.map((index) => row[index]));

/**
 * Checks a file against the database's schema and turns it into one batch: foreign keys checked at
 * the commit (rows may come in any order), with `shouldReplace` every data table emptied first, then
 * every row. Throws, before anything is written, on a table or column the database lacks, a
 * repeated key, or a reference to a row that is not in the file.
 */
export function planSiteImport(file: SiteExport, schema: DatabaseSchema, { shouldReplace = false } = {}): SqlStatement[] {
  if (file.schemaVersion > schema.version) {
    throw new Error(
      `The file comes from a newer schema (migration ${file.schemaVersion}) than this database (migration ${schema.version}): update duizhao and migrate first.`,
    );
  }
  const carriedTables = selectCarriedTables(schema);
  const byName = new Map(schema.tables.map((table) => [table.name, table]));
  for (const [name, table] of Object.entries(file.tables)) {
    const shape = byName.get(name);
    const policy = exportTablePolicies[name];
    if (!shape || !policy) throw new Error(`The file has a table "${name}" that this database does not have.`);
    if (!policy.isCarried) throw new Error(`The file has rows for "${name}", which exports never carry (${policy.reason}).`);
    const unknownColumn = table.columns.find((column) => !shape.columns.includes(column));
    if (unknownColumn) throw new Error(`The file's table "${name}" has a column "${unknownColumn}" that this database does not have.`);
  }
  // A file of the same schema must have every table; an older one lacks those that came later.
  if (file.schemaVersion === schema.version) {
    const missing = carriedTables.filter((table) => !file.tables[table.name]).map((table) => table.name);
    if (missing.length > 0) throw new Error(`The file lacks table(s) ${missing.join(', ')} (is it cut short or edited?).`);
  }

  for (const [name, table] of Object.entries(file.tables)) {
    const shape = byName.get(name);
    if (!shape || shape.primaryKey.length === 0) continue;
    const indexes = shape.primaryKey.map((column) => table.columns.indexOf(column));
    if (indexes.includes(-1)) throw new Error(`The file's table "${name}" lacks its key column(s) ${shape.primaryKey.join(', ')}.`);
    const seen = new Set<string>();
    table.rows.forEach((row, index) => {
      const key = keyOf(row, indexes);
      if (seen.has(key))
        throw new Error(`The file's table "${name}" has the key ${shape.primaryKey.join(', ')} = ${key} twice (rows.${index}).`);
      seen.add(key);
    });
  }
  // The database is empty or emptied, so every reference must point at a row of the file.
  for (const [name, table] of Object.entries(file.tables)) {
    for (const foreignKey of byName.get(name)?.foreignKeys ?? []) {
      const indexes = foreignKey.columns.map((column) => table.columns.indexOf(column));
      if (indexes.includes(-1)) continue;
      const target = file.tables[foreignKey.table];
      const targetIndexes = foreignKey.references.map((column) => target?.columns.indexOf(column) ?? -1);
      const present = new Set(targetIndexes.includes(-1) ? [] : (target?.rows ?? []).map((row) => keyOf(row, targetIndexes)));
      table.rows.forEach((row, index) => {
        if (indexes.some((columnIndex) => row[columnIndex] === null)) return;
        const key = keyOf(row, indexes);
        if (!present.has(key)) {
          throw new Error(
            `The file's table "${name}" (rows.${index}) refers to ${foreignKey.table} ${foreignKey.references.join(', ')} = ${key}, which is not in the file.`,
          );
        }
      });
    }
  }

  const statements: SqlStatement[] = [{ sql: 'PRAGMA defer_foreign_keys = ON' }];
  if (shouldReplace) for (const table of schema.tables) statements.push({ sql: `DELETE FROM ${quoteIdentifier(table.name)}` });
  for (const [name, table] of Object.entries(file.tables)) {
    const rowsPerStatement = Math.max(1, Math.floor(maxBoundValues / table.columns.length));
    const placeholders = `(${table.columns.map(() => '?').join(', ')})`;
    for (let start = 0; start < table.rows.length; start += rowsPerStatement) {
      const rows = table.rows.slice(start, start + rowsPerStatement);
      statements.push({
        sql: `INSERT INTO ${quoteIdentifier(name)} (${table.columns.map(quoteIdentifier).join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')}`,
        params: rows.flat(),
      });
    }
  }
  return statements;
}

/** Tables an export carries that already hold rows, with their counts. */
async function countCarriedRows(driver: SqlDriver, schema: DatabaseSchema): Promise<Array<{ name: string; rows: number }>> {
  const counts: Array<{ name: string; rows: number }> = [];
  for (const table of selectCarriedTables(schema)) {
    const row = await driver.get<{ rows: number }>(`SELECT count(*) AS rows FROM ${quoteIdentifier(table.name)}`);
    if (row && row.rows > 0) counts.push({ name: table.name, rows: row.rows });
  }
  return counts;
}

/**
 * Imports a whole-site export in one batch (one transaction: all or nothing). Into an empty
 * database, or with `shouldReplace` into one emptied in the same transaction. Returns rows per table.
 */
export async function importSite(driver: SqlDriver, file: SiteExport, { shouldReplace = false } = {}): Promise<Record<string, number>> {
  const schema = await readDatabaseSchema(driver);
  const statements = planSiteImport(file, schema, { shouldReplace });
  if (!shouldReplace) {
    const occupied = await countCarriedRows(driver, schema);
    if (occupied.length > 0) {
      const list = occupied.map(({ name, rows }) => `${name}: ${rows} row${rows === 1 ? '' : 's'}`).join(', ');
      throw new Error(
        `The database already holds data (${list}). Import into an empty database, or add --replace to delete everything in it first.`,
      );
    }
  }
  await driver.batch(statements);
  return Object.fromEntries(Object.entries(file.tables).map(([name, table]) => [name, table.rows.length]));
}
