import type { SqlDriver } from './sql-driver.ts';

/** One data table as the database itself describes it (never a list kept by hand). */
export interface TableShape {
  name: string;
  /** In declaration order. */
  columns: string[];
  /** Primary key columns in key order; empty for a table without one. */
  primaryKey: string[];
  foreignKeys: Array<{ columns: string[]; table: string; references: string[] }>;
}

export interface DatabaseSchema {
  /** The highest migration applied (comment_migrations on node:sqlite, d1_migrations on D1); 0 for none. */
  version: number;
  /** Data tables by name, alphabetical. */
  tables: TableShape[];
}

/**
 * SQLite's own tables (sqlite_sequence, sqlite_stat1), D1's (`_cf_…`) and the migration runners'
 * bookkeeping: they belong to the engine or describe the schema, not the site's data.
 */
export function isDataTable(name: string): boolean {
  return !name.startsWith('sqlite_') && !name.startsWith('_cf_') && name !== 'comment_migrations' && name !== 'd1_migrations';
}

/** `"name"`, with any `"` doubled, for names read from the schema. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The number a migration file starts with: `0005_view_networks.sql` is 5. */
function readMigrationNumber(fileName: string): number {
  return Number(/^(\d+)_/.exec(fileName)?.[1] ?? Number.NaN);
}

/** Reads the tables, their columns and keys, and the migration version from the database. */
export async function readDatabaseSchema(driver: SqlDriver): Promise<DatabaseSchema> {
  const names = (await driver.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map(
    (row) => row.name,
  );
  let version = 0;
  if (names.includes('comment_migrations')) {
    version = (await driver.get<{ version: number | null }>('SELECT max(id) AS version FROM comment_migrations'))?.version ?? 0;
  } else if (names.includes('d1_migrations')) {
    const applied = await driver.all<{ name: string }>('SELECT name FROM d1_migrations');
    version = Math.max(0, ...applied.map((row) => readMigrationNumber(row.name)).filter(Number.isFinite));
  }
  const tables: TableShape[] = [];
  for (const name of names.filter(isDataTable)) {
    const columns = await driver.all<{ name: string; pk: number }>('SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid', [name]);
    const keys = await driver.all<{ id: number; table: string; from: string; to: string | null }>(
      'SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?1) ORDER BY id, seq',
      [name],
    );
    const foreignKeys = new Map<number, TableShape['foreignKeys'][number]>();
    for (const key of keys) {
      const foreignKey = foreignKeys.get(key.id) ?? { columns: [], table: key.table, references: [] };
      foreignKey.columns.push(key.from);
      // A key that names no column refers to the other table's primary key; filled in below.
      if (key.to !== null) foreignKey.references.push(key.to);
      foreignKeys.set(key.id, foreignKey);
    }
    tables.push({
      name,
      columns: columns.map((column) => column.name),
      primaryKey: columns
        .filter((column) => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((column) => column.name),
      foreignKeys: [...foreignKeys.values()],
    });
  }
  for (const table of tables) {
    for (const foreignKey of table.foreignKeys) {
      if (foreignKey.references.length === 0)
        foreignKey.references = tables.find((other) => other.name === foreignKey.table)?.primaryKey ?? [];
    }
  }
  return { version, tables };
}
