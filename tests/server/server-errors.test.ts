import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/built-server.ts';

// What a reader and a client see when the server fails, against the built Node server (run
// `npm run build` first): never an empty answer; JSON for the API, a page in the page's language.

// A published essay in both languages (content/essays/<slug>/).
const essay = 'tiktok-refugees-on-rednote';
const folder = mkdtempSync(join(tmpdir(), 'duizhao-errors-'));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function postJson(server: TestServer, path: string, body: unknown, language: string): Promise<Response> {
  return fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': language },
  });
}

/** The comment form as a browser without JavaScript posts it. */
function postForm(server: TestServer, fields: Record<string, string>): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return fetch(`${server.baseURL}/api/comments/`, {
    method: 'POST',
    body: form,
    headers: { accept: 'text/html,application/xhtml+xml', 'accept-language': 'en' },
    redirect: 'manual',
  });
}

describe('a database that breaks while the server runs', () => {
  let server: TestServer;

  beforeAll(async () => {
    // The server checks its database before it listens (one that cannot be opened stops start-up:
    // tests/server/robustness.test.ts). Broken afterwards (its tables gone, as after a wrong file was
    // copied over it by hand), every use of it throws.
    const databasePath = join(folder, 'broken.db');
    server = await startServer({ COMMENTS_DB: databasePath }, { readyPath: '/zh/' });
    const database = new DatabaseSync(databasePath);
    database.exec('PRAGMA foreign_keys = OFF');
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string;
    }>;
    for (const { name } of tables) database.exec(`DROP TABLE "${name}"`);
    database.close();
  }, 60_000);
  afterAll(() => server?.stop());

  it('answers the API with 500 JSON in the request’s language, logged once with its date', async () => {
    const comment = await postJson(server, '/api/comments/', { essay, lang: 'en', name: 'Ann', body: 'Hello' }, 'en');
    expect(comment.status).toBe(500);
    expect(comment.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await comment.json()).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side and nothing was saved. Try again later.' },
    });
    const view = await postJson(server, '/api/signals/views/', { essay, lang: 'zh' }, 'zh-CN');
    expect(view.status).toBe(500);
    expect(await view.json()).toEqual({ error: { code: 'internal', message: '服务器出错了，什么都没有保存。请稍后再试。' } });
    const list = await fetch(`${server.baseURL}/api/comments/?essay=${essay}`, { headers: { 'accept-language': 'en' } });
    expect(list.status).toBe(500);
    expect((await list.json()).error.code).toBe('internal');
    // The server process dates every line it logs (src/lib/node-server/log.ts).
    const logged = server
      .output()
      .split('\n')
      .filter((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z error .*POST \/api\/comments\/ failed: /.test(line));
    expect(logged).toHaveLength(1);
  }, 30_000);

  it('renders the localized error page for a page, in the URL’s language', async () => {
    for (const [lang, title] of [
      ['en', 'Something went wrong'],
      ['zh', '出错了'],
    ] as const) {
      const page = await fetch(`${server.baseURL}/${lang}/essays/${essay}/comments/`, {
        headers: { accept: 'text/html', 'accept-language': lang === 'en' ? 'zh' : 'en' },
      });
      expect(page.status).toBe(500);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain(`<h1>${title}</h1>`);
      expect(html).toContain(`lang="${lang === 'zh' ? 'zh-Hans' : 'en'}"`);
    }
  }, 30_000);

  it('gives a reader posting without JavaScript the error page, not JSON', async () => {
    const answer = await postForm(server, { essay, lang: 'en', name: 'Ann', body: 'Hello' });
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await answer.text()).toContain('<p>Something went wrong on our side. Try again in a moment.</p>');
  }, 30_000);

  it('keeps serving the static site', async () => {
    expect((await fetch(`${server.baseURL}/zh/`)).status).toBe(200);
  }, 30_000);
});

describe('a database another process holds locked', () => {
  let server: TestServer;
  const databasePath = join(folder, 'locked.db');

  beforeAll(async () => {
    server = await startServer({ COMMENTS_DB: databasePath, COMMENTS_RATE_LIMIT: 'off' });
  }, 60_000);
  afterAll(() => server?.stop());

  /** Another process takes the write lock for `seconds` (as a large import or a second server would). */
  async function holdWriteLock(seconds: number): Promise<{ released: Promise<void> }> {
    const script = `
      const { DatabaseSync } = require('node:sqlite');
      const database = new DatabaseSync(${JSON.stringify(databasePath)});
      database.exec('BEGIN IMMEDIATE');
      console.log('locked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${seconds * 1000});
      database.exec('COMMIT');`;
    const child = spawn(join(import.meta.dirname, '..', '..', 'node_modules/.bin/node'), ['-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    return { released: new Promise((resolve) => child.once('exit', () => resolve())) };
  }

  // Until the node:sqlite driver gives up after a bounded wait (DatabaseBusyError, another branch),
  // a write waits for the lock and succeeds; then it is 503 `busy`. Either way: never empty, never lost.
  it('answers a comment posted meanwhile with 201 once the lock is gone, or 503 busy (500 internal) JSON; the form keeps the reader’s text', async () => {
    const { released } = await holdWriteLock(8);
    const json = await postJson(server, '/api/comments/', { essay, lang: 'en', name: 'Ann', body: 'Held back' }, 'en');
    expect([201, 500, 503]).toContain(json.status);
    const answer = (await json.json()) as { status?: string; error?: { code: string; message: string } };
    if (json.status === 201) expect(answer.status).toBe('pending');
    else if (json.status === 503) {
      expect(answer.error?.code).toBe('busy');
      expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.error?.message).toMatch(
        /^The site is busy and your comment was not saved\. Your text is still here: send it again in \d+ seconds?\.$/,
      );
    } else {
      expect(answer.error).toMatchObject({
        code: 'internal',
        message: 'Something went wrong on our side and your comment was not saved. Your text is still here: try again later.',
      });
    }

    const page = await postForm(server, { essay, lang: 'en', name: 'Ann', body: 'Words I do not want to lose' });
    expect([303, 500, 503]).toContain(page.status);
    if (page.status !== 303) {
      const html = await page.text();
      expect(html).toContain('Your comment was not sent');
      expect(html).toMatch(/Your text is still here: (send it again in \d+ seconds?|try again later)\./);
      expect(html).toMatch(/<textarea[^>]*>Words I do not want to lose<\/textarea/);
    }

    await released;
    const after = await postJson(server, '/api/comments/', { essay, lang: 'en', name: 'Ann', body: 'Now it goes through' }, 'en');
    expect(after.status).toBe(201);
    expect((await fetch(`${server.baseURL}/zh/`)).status).toBe(200);
  }, 60_000);
});
