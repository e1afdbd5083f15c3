import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteDriver, defaultLockWaitMilliseconds } from '../../src/lib/db/sqlite.ts';
import { startServer, type TestServer } from '../support/built-server.ts';
import { holdDatabaseLock, isMachineOverloaded } from '../support/lock-holder.ts';

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
// The old driver answered in seconds here: the whole server slept in SQLite's busy handler.
const fastP95Ms = isMachineOverloaded() ? 1000 : 200;

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
    if (!existsSync(join(projectRoot, distDir, 'server/entry.mjs')))
      throw new Error(`${distDir}/server/entry.mjs is missing: run \`npm run build\` first`);
    folder = mkdtempSync(join(tmpdir(), 'duizhao-busy-server-'));
    databasePath = join(folder, 'comments.db');
    server = await startServer({
      COMMENTS_DB: databasePath,
      COMMENTS_RATE_LIMIT: '0',
      COMMENTS_MIN_FILL_SECONDS: '0',
      VIEWS_PER_NETWORK: '0',
    });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const post = (label: string) =>
    fetch(`${server.baseURL}/api/comments/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({
        essay,
        lang: 'en',
        name: 'Lock test',
        email: 'lock@example.com',
        body: `Written while the database was locked: ${label}`,
        private: false,
        website: '',
      }),
      signal: AbortSignal.timeout(holdMs + 5000),
    });

  async function countComments(): Promise<number> {
    const driver = createSqliteDriver(databasePath);
    try {
      return (await driver.get<{ count: number }>('SELECT count(*) AS count FROM comments'))?.count ?? 0;
    } finally {
      await driver.close();
    }
  }

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
    const storedDuringLock = outcomes.filter((outcome) => outcome.status === 201).length;
    expect(await countComments()).toBe(2 + storedDuringLock);
  }, 60_000);

  it('refuses bad requests at once while the lock is held: checking a request never waits for the lock', async () => {
    const holder = await holdDatabaseLock(databasePath, { holdMs: 10_000 });
    const url = `${server.baseURL}/api/comments/`;
    const json = { 'content-type': 'application/json', 'accept-language': 'en' };
    const requests: Array<[string, RequestInit, number, string | undefined]> = [
      ['invalid JSON', { method: 'POST', headers: json, body: '{"essay":' }, 400, 'invalid_json'],
      [
        'invalid UTF-8',
        { method: 'POST', headers: json, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
        400,
        'invalid_encoding',
      ],
      [
        'deeply nested JSON',
        { method: 'POST', headers: json, body: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
        413,
        'payload_too_large',
      ],
      [
        'a body over 32 KB',
        { method: 'POST', headers: json, body: JSON.stringify({ essay, body: 'x'.repeat(40_000) }) },
        413,
        'payload_too_large',
      ],
      [
        'an unknown essay',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            essay: 'no-such-essay',
            lang: 'en',
            name: 'A',
            email: 'a@example.com',
            body: 'b',
            private: false,
            website: '',
          }),
        },
        404,
        'essay_not_found',
      ],
      ['a missing essay in the list', { method: 'GET' }, 400, 'invalid_input'],
    ];
    const answers = await Promise.all(
      requests.map(async ([label, init, status, code]) => {
        const startedAt = performance.now();
        const response = await fetch(url, init);
        const body = (await response.json()) as { error?: { code?: string; message?: string } };
        return {
          label,
          status: response.status,
          code: body.error?.code,
          hasMessage: Boolean(body.error?.message),
          ms: performance.now() - startedAt,
          expected: { status, code },
        };
      }),
    );
    await holder.release();
    for (const answer of answers) {
      expect({ label: answer.label, status: answer.status, code: answer.code, hasMessage: answer.hasMessage }).toEqual({
        label: answer.label,
        ...answer.expected,
        hasMessage: true,
      });
      // Far below the driver's bound: none of them waited for the lock.
      expect(answer.ms, answer.label).toBeLessThan(defaultLockWaitMilliseconds / 2);
    }
  }, 30_000);

  it('stores 50 posts sent at once while the lock is held for less than the bound, each answered 201 after the release', async () => {
    const before = await countComments();
    const holdMs = 1500;
    const holder = await holdDatabaseLock(databasePath, { holdMs });
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        const response = await post(`burst ${index}`);
        return { status: response.status, answeredAt: performance.now() - holder.lockedAt };
      }),
    );
    await holder.released;
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 50 }, () => 201));
    expect(Math.min(...answers.map((answer) => answer.answeredAt))).toBeGreaterThan(holdMs - 100);
    expect((await countComments()) - before).toBe(50);
  }, 30_000);
});
