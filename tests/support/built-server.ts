import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Starting the built Node server for tests: the browser suites (tests/e2e) and the server suites (tests/server) share it. */
const projectRoot = join(import.meta.dirname, '..', '..');

export interface TestServer {
  baseURL: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts another production server on 127.0.0.1 (for tests that kill one or need other settings).
 * It counts as started once `readyPath` answers 2xx (a server with a broken database never does: give a
 * static page). It starts in about a second; `startTimeoutMs` is for suites that start one while a
 * build runs beside them on a crowded machine.
 */
export async function startServer(
  env: Record<string, string>,
  { readyPath = '/api/comments/token/', startTimeoutMs = 20_000 }: { readyPath?: string; startTimeoutMs?: number } = {},
): Promise<TestServer> {
  const port = await getFreePort();
  // The launcher serves DUIZHAO_DIST_DIR (default dist/), as `npm run serve` does.
  const child = spawn(join(projectRoot, 'node_modules/.bin/node'), [join(projectRoot, 'scripts/serve.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      TRUST_PROXY: '',
      COMMENTS_MIN_FILL_SECONDS: '',
      COMMENTS_RATE_LIMIT: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const baseURL = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${baseURL}${readyPath}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`Server did not start within ${startTimeoutMs / 1000} s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { baseURL, process: child, output: () => log, stop };
}
