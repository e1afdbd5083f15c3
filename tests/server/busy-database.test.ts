import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteDriver, defaultLockWaitMilliseconds } from '../../src/lib/comments/sqlite.ts';
import { startServer, type TestServer } from '../support/built-server.ts';
import { holdDatabaseLock } from '../support/lock-holder.ts';

/**
 * The built Node server (`npm run build` first) while another process holds its database's write
 * lock for 10 s, as a large `npm run comments -- import` or a second server would: pages and
 * comment lists keep answering at once, and every comment post gets an answer, stored once the lock
 * is free or refused as busy after the driver's bound.
 */
const projectRoot = join(import.meta.dirname, '..', '..');
const distDir = process.env.DUIZHAO_DIST_DIR ?? 'dist';
const essay = 'who-welcomed-them';
const holdMs = 10_000;
const fastP95Ms = 200;

// The 503 answer comes from src/middleware.ts (the HTTP part of issue 15, another branch). Until that
// is merged, a DatabaseBusyError reaches Astro, which answers a bare 500; once middleware.ts handles
// DatabaseBusyError, only the 503 passes.
const isBusyMapped = /DatabaseBusyError/.test(readFileSync(join(projectRoot, 'src/middleware.ts'), 'utf8'));
const busyStatuses = isBusyMapped ? [503] : [503, 500];

interface Timed {
  path: string;
  status: number;
  ms: number;
}

const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
};

describe('built Node server with its database write-locked by another process', () => {
  let server: TestServer;
  let folder: string;
  let databasePath: string;

  beforeAll(async () => {
    if (!existsSync(join(projectRoot, distDir, 'server/entry.mjs'))) throw new Error(`${distDir}/server/entry.mjs is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'duizhao-busy-server-'));
    databasePath = join(folder, 'comments.db');
    server = await startServer({ COMMENTS_DB: databasePath, COMMENTS_RATE_LIMIT: '0', COMMENTS_MIN_FILL_SECONDS: '0', VIEWS_PER_NETWORK: '0' });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const post = (label: string) =>
    fetch(`${server.baseURL}/api/comments/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ essay, lang: 'en', name: 'Lock test', email: 'lock@example.com', body: `Written while the database was locked: ${label}`, private: false, website: '' }),
      signal: AbortSignal.timeout(holdMs + 5000),
    });

  async function getTimed(path: string): Promise<Timed> {
    const startedAt = performance.now();
    const response = await fetch(`${server.baseURL}${path}`, { signal: AbortSignal.timeout(holdMs + 5000) });
    await response.arrayBuffer();
    return { path, status: response.status, ms: performance.now() - startedAt };
  }

  it('answers pages and comment lists at once, and every post within the bound, then writes again once the lock is gone', async () => {
    expect((await post('before the lock')).status).toBe(201);
    const holder = await holdDatabaseLock(databasePath, { holdMs });
    const isHeld = () => performance.now() < holder.lockedAt + holdMs - 100;

    // Readers: each path asked again and again, one request at a time, while the lock is held.
    const paths = ['/zh/', `/zh/essays/${essay}/`, `/en/essays/${essay}/`, `/api/comments/?essay=${essay}`];
    const readers = paths.map(async (path) => {
      const answers: Timed[] = [];
      while (isHeld()) {
        answers.push(await getTimed(path));
        await sleep(20);
      }
      return answers;
    });

    // Writers: one post a second, each waited for on its own.
    const posts: Array<Promise<{ sentAt: number; answeredAt: number; status: number; retryAfter: string | null; body: string }>> = [];
    for (let second = 0; second < holdMs / 1000; second += 1) {
      const sentAt = performance.now() - holder.lockedAt;
      posts.push(
        post(`second ${second}`).then(async (response) => ({
          sentAt,
          answeredAt: performance.now() - holder.lockedAt,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: await response.text(),
        })),
      );
      await sleep(1000);
    }

    const answers = (await Promise.all(readers)).flat();
    const outcomes = await Promise.all(posts);
    const releasedAt = (await holder.released) - holder.lockedAt;

    // Reads never waited for the lock.
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    for (const path of paths) {
      const times = answers.filter((answer) => answer.path === path).map((answer) => answer.ms);
      expect(times.length, path).toBeGreaterThan(10);
      expect(percentile(times, 0.95), `p95 of ${path}`).toBeLessThan(fastP95Ms);
    }

    for (const outcome of outcomes) {
      const waitedMs = outcome.answeredAt - outcome.sentAt;
      // No post hangs: each is answered after the bound at most (plus the answer's own time).
      expect(waitedMs, JSON.stringify(outcome)).toBeLessThan(defaultLockWaitMilliseconds + 1000);
      if (outcome.status === 201) {
        // Stored only once the lock was free.
        expect(outcome.answeredAt, JSON.stringify(outcome)).toBeGreaterThan(holdMs - 100);
        continue;
      }
      expect(busyStatuses, JSON.stringify(outcome)).toContain(outcome.status);
      expect(waitedMs, JSON.stringify(outcome)).toBeGreaterThanOrEqual(defaultLockWaitMilliseconds - 100);
      if (outcome.status === 503) {
        expect(Number(outcome.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(outcome.body)).toMatchObject({ error: { code: 'busy', message: expect.any(String) } });
      }
    }
    // A post sent well within the bound of the release waited and was stored; one sent long before it could not be.
    for (const outcome of outcomes) {
      if (outcome.sentAt > releasedAt - defaultLockWaitMilliseconds + 500) expect(outcome.status, JSON.stringify(outcome)).toBe(201);
      if (outcome.sentAt < releasedAt - defaultLockWaitMilliseconds - 500) expect(outcome.status, JSON.stringify(outcome)).not.toBe(201);
    }

    // The server is itself again: posts are stored, pages answer, and what the posts said is what was stored.
    expect((await post('after the lock')).status).toBe(201);
    expect((await getTimed('/zh/')).status).toBe(200);
    const driver = createSqliteDriver(databasePath);
    const stored = await driver.all<{ body: string }>('SELECT body FROM comments ORDER BY created_at');
    await driver.close();
    const storedDuringLock = outcomes.filter((outcome) => outcome.status === 201).length;
    expect(stored).toHaveLength(2 + storedDuringLock);
    expect(stored.at(-1)?.body).toMatch(/after the lock/);
  }, 60_000);
});
