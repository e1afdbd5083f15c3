import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Another process holding a SQLite file's lock, as a second server, a large
 * `npm run comments -- import` or `sqlite3` with `BEGIN IMMEDIATE` would. `write` holds the write
 * lock (readers under WAL go on); `exclusive` holds the whole file (locking_mode=EXCLUSIVE, which
 * SQLite grants only while no other connection has the file open): even reads and opening meet it.
 */
export interface LockHolder {
  /** performance.now() of this process when the child reported the lock taken. */
  lockedAt: number;
  /** Resolves with performance.now() when the child has given the lock up and exited. */
  released: Promise<number>;
  /** Gives the lock up now rather than at the end of its time. */
  release(): Promise<number>;
}

// The child's whole program: take the lock, say so, give it up after `holdMs` or when stdin closes.
const holderProgram = `
const { DatabaseSync } = require('node:sqlite');
const [path, mode, holdMs] = process.argv.slice(1);
const database = new DatabaseSync(path);
database.exec('PRAGMA busy_timeout = 10000');
if (mode === 'exclusive') database.exec('PRAGMA locking_mode = EXCLUSIVE');
database.exec(mode === 'exclusive' ? 'BEGIN EXCLUSIVE' : 'BEGIN IMMEDIATE');
if (mode === 'exclusive') database.prepare('SELECT count(*) FROM sqlite_master').get();
process.stdout.write('locked\\n');
const release = () => {
  database.exec('ROLLBACK');
  database.close();
  process.exit(0);
};
setTimeout(release, Number(holdMs));
process.stdin.on('end', release);
process.stdin.resume();
`;

export async function holdDatabaseLock(
  path: string,
  { holdMs, mode = 'write' }: { holdMs: number; mode?: 'write' | 'exclusive' },
): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', holderProgram, path, mode, String(holdMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const released = once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`the lock holder exited with ${code}: ${output}`);
    return performance.now();
  });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('locked\n')) resolve();
    });
    released.then(() => reject(new Error(`the lock holder exited before taking the lock: ${output}`)), reject);
  });
  await locked;
  return {
    lockedAt: performance.now(),
    released,
    release() {
      child.stdin.end();
      return released;
    },
  };
}

/**
 * The longest the event loop went without running a timer while `work` ran: a timer every 10 ms
 * notes each gap. SQLite's busy handler, sleeping on the event loop, shows as a gap of its timeout.
 * `maxDelayMs` is perf_hooks' own figure (event-loop delay, sampled every 10 ms), for reports.
 */
export async function measureLongestStall<Result>(
  work: () => Promise<Result>,
): Promise<{ result: Result; longestStallMs: number; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let longestStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    longestStallMs = Math.max(longestStallMs, performance.now() - last);
    return { result, longestStallMs, maxDelayMs: histogram.max / 1e6 };
  } finally {
    clearInterval(ticker);
    histogram.disable();
  }
}

/**
 * Whether the machine runs more than twice as many processes as it has cores (load average over
 * the last minute). A process there waits its turn for the CPU now and then: a 10 ms timer can
 * come 100 ms late with nothing blocking the event loop. Timing limits are loosened then, never
 * as far as a wait for the lock (at least 400 ms in these tests) would pass.
 */
export function isMachineOverloaded(): boolean {
  return (loadavg()[0] ?? 0) > 2 * availableParallelism();
}
