import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { SqlDriver, SqlValue } from '../../src/lib/db/sql-driver.ts';
import { getWranglerEnvironment, workerConfigPath } from '../../src/lib/db/wrangler-environment.ts';

/**
 * How tests reach a test server's database besides its HTTP API. A database a server is using is
 * only ever read: a second connection writing the local D1 file under workerd makes the Worker's
 * own writes fail at once (workerd's D1 does not wait for a lock), which the Worker answers with
 * 500 or 503. Data is prepared through the site's API, or with the project's commands before the
 * server takes requests (or while nothing else uses it).
 */

const projectRoot = join(import.meta.dirname, '..', '..');
const node = join(projectRoot, 'node_modules', '.bin', 'node');

/** A moderator account: what global-setup adds to every test server, and what tests sign in with. */
export interface ModeratorAccount {
  name: string;
  password: string;
}

/** A test server's database: the Node server's SQLite file, or the local D1 kept under a Worker's state folder. */
export type ServerDatabase = { kind: 'sqlite'; path: string } | { kind: 'd1'; stateDir: string };

/** Runs a Node script of the project; rejects with its standard error when it fails. */
function runScript(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { cwd: projectRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${args.slice(0, 3).join(' ')} exited with ${code}:\n${errors || output}`)),
    );
    child.stdin.end(input);
  });
}

/**
 * Adds a moderator the way the README says (`npm run moderator -- add`, password on standard
 * input). On D1 the command opens the local database in a workerd of its own: do it before the
 * Worker takes requests.
 */
export async function addModerator(account: ModeratorAccount, database: ServerDatabase): Promise<void> {
  const script = join(projectRoot, 'scripts', 'moderator.ts');
  if (database.kind === 'sqlite')
    await runScript([script, 'add', account.name], { ...process.env, COMMENTS_DB: database.path }, `${account.password}\n`);
  else
    await runScript(
      [script, 'add', account.name, '--d1', 'local'],
      { ...process.env, CLOUDFLARE_STATE_DIR: database.stateDir },
      `${account.password}\n`,
    );
}

/**
 * Runs SQL on a Worker's local D1 with `wrangler d1 execute --local`, as the deployment guide
 * does. Its workerd writes the same file as the Worker's: only while that Worker is idle.
 */
export async function executeOnLocalD1(stateDir: string, sql: string): Promise<void> {
  const env = getWranglerEnvironment(projectRoot, { ...process.env, CLOUDFLARE_STATE_DIR: stateDir });
  const wrangler = join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  await runScript(
    [wrangler, 'd1', 'execute', 'DB', '--local', '--config', workerConfigPath, '--persist-to', stateDir, '--command', sql, '--json'],
    env,
  );
}

/**
 * A driver that only reads: a connection opened read-only, which never takes the write lock, so
 * the server's writes go on as if it were not there (WAL). Anything that would write is refused.
 */
export function openReadOnlyDriver(path: string): SqlDriver {
  const database = new DatabaseSync(path, { readOnly: true });
  const refuse = (): never => {
    throw new Error(`Tests only read ${path}: prepare data through the site's API (see tests/support/database-access.ts)`);
  };
  const toParams = (params: readonly SqlValue[]) => params as SQLInputValue[];
  return {
    run: async () => refuse(),
    batch: async () => refuse(),
    get: async <Row>(sql: string, params: readonly SqlValue[] = []) => database.prepare(sql).get(...toParams(params)) as Row | undefined,
    all: async <Row>(sql: string, params: readonly SqlValue[] = []) => database.prepare(sql).all(...toParams(params)) as Row[],
    close: async () => database.close(),
  };
}
