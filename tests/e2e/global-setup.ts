import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerDatabase } from '../support/database-access.ts';
import { addModerator, getFreePort, moderator, secondModerator, startWorker, targetModerator, testServerSettings } from './fixtures.ts';

const projectRoot = join(import.meta.dirname, '..', '..');

async function waitForServer(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`Server did not answer at ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

/** The accounts tests sign in with, in a server's database. */
async function addModerators(database: ServerDatabase): Promise<void> {
  for (const account of [moderator, targetModerator, secondModerator]) await addModerator(account, database);
}

/** The Cloudflare target with its own local D1 in the scratch folder, and the same moderators. */
async function startCloudflareWorker(dataDir: string): Promise<() => Promise<void>> {
  const stateDir = join(dataDir, 'cloudflare-state');
  const worker = await startWorker(testServerSettings, stateDir);
  try {
    // Before any test sends a request: the command writes the D1 file from a workerd of its own.
    await addModerators({ kind: 'd1', stateDir });
  } catch (error) {
    await worker.stop();
    throw error;
  }
  process.env.DUIZHAO_CLOUDFLARE_BASE_URL = worker.baseURL;
  process.env.DUIZHAO_CLOUDFLARE_COMMENTS_DB = worker.databasePath;
  return async () => {
    await worker.stop();
    // For a failed run: what workerd said, including the errors behind any 500.
    mkdirSync(join(projectRoot, 'tests/.output'), { recursive: true });
    writeFileSync(join(projectRoot, 'tests/.output/worker.log'), worker.output());
  };
}

/** Starts the production build (dist/ unless DUIZHAO_DIST_DIR says otherwise) on 127.0.0.1 and a free port, with a scratch data folder. */
export default async function globalSetup() {
  const port = await getFreePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'duizhao-e2e-'));
  let log = '';
  await addModerators({ kind: 'sqlite', path: join(dataDir, 'comments.db') });
  // DUIZHAO_DIST_DIR lets parallel work trees test their own build (`astro build --outDir …`).
  // Through the launcher, as `npm run serve` does; it serves DUIZHAO_DIST_DIR when set.
  const child = spawn(join(projectRoot, 'node_modules/.bin/node'), [join(projectRoot, 'scripts/serve.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DUIZHAO_DATA_DIR: dataDir,
      COMMENTS_DB: join(dataDir, 'comments.db'),
      ...testServerSettings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForServer(`${baseURL}/zh/`, child, () => log);
  process.env.DUIZHAO_BASE_URL = baseURL;
  process.env.DUIZHAO_E2E_DATA_DIR = dataDir;
  process.env.DUIZHAO_COMMENTS_DB = join(dataDir, 'comments.db');
  // The comment and moderation suites run against the Worker too (project "cloudflare" in playwright.config.ts).
  // Without a Cloudflare build (npm run build:cloudflare) those tests say so and fail.
  const stopWorker = existsSync(join(projectRoot, 'dist-cloudflare/server/wrangler.json'))
    ? await startCloudflareWorker(dataDir)
    : undefined;
  return async () => {
    await stopWorker?.();
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
}
