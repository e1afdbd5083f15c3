import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSiteConfig } from '../server-config.ts';
import { createD1Driver, type D1DatabaseLike } from './d1.ts';
import { checkWranglerMigrations, migrate, parseMigrationFiles, type Migration } from './migrate.ts';
import { createD1SnapshotReader, createSqliteSnapshotReader, type SnapshotReader } from './snapshot-reader.ts';
import type { SqlDriver } from './sql-driver.ts';
import { createSqliteDriver } from './sqlite.ts';
import { getWranglerEnvironment } from './wrangler-environment.ts';

/** Where a command-line tool reads and writes comments: the Node server's SQLite file, or the Worker's D1. */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'd1'; location: 'local' | 'remote' };

export const d1Usage = '--d1 local|remote works on the Cloudflare D1 database instead of COMMENTS_DB';

/** The project's wrangler config (see astro.config.mjs). */
export const cloudflareConfigPath = 'scripts/cloudflare/wrangler.jsonc';

/** Takes `--d1 local|remote` out of a tool's arguments; without it the target is COMMENTS_DB. */
export function readDatabaseTarget(
  args: readonly string[],
  env: Record<string, string | undefined>,
): { target: DatabaseTarget; rest: string[] } {
  const index = args.indexOf('--d1');
  if (index === -1) return { target: { kind: 'sqlite', path: readSiteConfig(env).databasePath }, rest: [...args] };
  const location = args[index + 1];
  if (location !== 'local' && location !== 'remote')
    throw new Error(`--d1 takes "local" or "remote"; got ${location === undefined ? 'nothing' : `"${location}"`}`);
  return { target: { kind: 'd1', location }, rest: [...args.slice(0, index), ...args.slice(index + 2)] };
}

export function describeDatabaseTarget(target: DatabaseTarget): string {
  return target.kind === 'sqlite' ? `database ${target.path}` : `${target.location} D1 database DB`;
}

/** The numbered SQL files, read from disk (the server has them bundled). */
export function readMigrationFiles(projectRoot: string): Migration[] {
  const folder = join(projectRoot, 'src', 'lib', 'db', 'migrations');
  const files = readdirSync(folder).filter((file) => file.endsWith('.sql'));
  return parseMigrationFiles(Object.fromEntries(files.map((file) => [file, readFileSync(join(folder, file), 'utf8')])));
}

/** For --d1 remote: the same config with the DB binding marked remote, in a scratch file. */
async function writeRemoteConfig(projectRoot: string): Promise<string> {
  const { experimental_readRawConfig: readRawConfig } = await import('wrangler');
  const { rawConfig } = readRawConfig({ config: join(projectRoot, cloudflareConfigPath) });
  const declared = (rawConfig.d1_databases ?? []) as Array<{ binding: string }>;
  const d1Databases = declared.map((database) => (database.binding === 'DB' ? { ...database, remote: true } : database));
  const folder = join(projectRoot, 'data', 'cloudflare');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'remote-wrangler.json');
  writeFileSync(file, `${JSON.stringify({ ...rawConfig, d1_databases: d1Databases }, null, 2)}\n`);
  return file;
}

export interface OpenDatabaseTarget {
  driver: SqlDriver;
  /** Reads that see one snapshot, for an export of several tables while a server writes. */
  readSnapshot: SnapshotReader;
  close(): Promise<void>;
}

/**
 * Opens the target with its schema current: the SQLite file is migrated like the server does; a D1
 * database must have had `wrangler d1 migrations apply` (the Worker never migrates it either).
 */
export async function openDatabaseTarget(target: DatabaseTarget, projectRoot: string): Promise<OpenDatabaseTarget> {
  const migrations = readMigrationFiles(projectRoot);
  if (target.kind === 'sqlite') {
    const driver = createSqliteDriver(target.path);
    await migrate(driver, migrations);
    return { driver, readSnapshot: createSqliteSnapshotReader(target.path), close: () => driver.close() };
  }
  // Offline and inside the project, like npm run preview:cloudflare; the local data is the preview's (CLOUDFLARE_STATE_DIR).
  const wranglerEnv = getWranglerEnvironment(projectRoot, process.env);
  Object.assign(process.env, wranglerEnv);
  const { getPlatformProxy } = await import('wrangler');
  const isRemote = target.location === 'remote';
  const proxy = await getPlatformProxy<{ DB?: D1DatabaseLike }>({
    configPath: isRemote ? await writeRemoteConfig(projectRoot) : join(projectRoot, cloudflareConfigPath),
    // wrangler dev --persist-to X keeps its data in X/v3; the proxy takes that folder itself.
    persist: isRemote ? false : { path: join(wranglerEnv.CLOUDFLARE_STATE_DIR ?? '', 'v3') },
    remoteBindings: isRemote,
  });
  try {
    if (!proxy.env.DB) throw new Error(`${cloudflareConfigPath} declares no D1 binding named DB`);
    const driver = createD1Driver(proxy.env.DB);
    await checkWranglerMigrations(driver, migrations);
    return { driver, readSnapshot: createD1SnapshotReader(proxy.env.DB), close: () => proxy.dispose() };
  } catch (error) {
    await proxy.dispose();
    throw error;
  }
}
