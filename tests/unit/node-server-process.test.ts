import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../src/lib/db/cli-database.ts';
import { checkDatabaseHealth } from '../../src/lib/db/health.ts';
import type { DatabaseHealth } from '../../src/lib/db/health.ts';
import { openServerDatabase } from '../../src/lib/db/server-database.ts';
import { loadEnvFile } from '../../src/lib/env-file.ts';
import { createNodeServer, type NodeServer, type SiteHandler } from '../../src/lib/node-server/create-node-server.ts';

const root = join(import.meta.dirname, '..', '..');
const migrations = readMigrationFiles(root);
const healthy: DatabaseHealth = { status: 'ok', database: 'ok', migrations: 'current' };
const config = {
  siteUrl: undefined,
  port: 4321,
  trustedProxyHops: 0,
  logRequests: false,
  headersTimeoutMs: 2000,
  requestTimeoutMs: 5000,
  shutdownTimeoutMs: 1000,
};

let running: NodeServer | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

async function serve(handler: SiteHandler, options: { siteUrl?: URL; health?: DatabaseHealth; logs?: string[] } = {}): Promise<string> {
  const logs = options.logs ?? [];
  running = createNodeServer({
    handler,
    config: { ...config, siteUrl: options.siteUrl },
    logger: { info: (line) => logs.push(line), warn: (line) => logs.push(line), error: (line) => logs.push(line) },
    checkHealth: async () => options.health ?? healthy,
  });
  await new Promise<void>((resolve) => running?.server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(running.server.address() as AddressInfo).port}`;
}

describe('the server around the site handler', () => {
  it('answers what the handler answers, with the headers rewritten before it reads them', async () => {
    const base = await serve((request, response) => response.end(JSON.stringify(request.headers)));
    const response = await fetch(`${base}/zh/`, { headers: { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'evil.example' } });
    const seen = (await response.json()) as Record<string, string>;
    expect(seen.host).toBe(new URL(base).host);
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-for']).toBeUndefined();
    expect(seen['x-forwarded-host']).toBeUndefined();
  });

  it('turns a thrown error into a localized 500, logs it once with the path, and keeps serving', async () => {
    const logs: string[] = [];
    let calls = 0;
    const base = await serve(
      (request, response) => {
        calls += 1;
        if (request.url?.startsWith('/api/')) return Promise.reject(new Error('async boom'));
        if (calls === 1) throw new Error('sync boom');
        response.end('fine');
      },
      { logs },
    );
    const page = await fetch(`${base}/en/essays/x/?secret=1`);
    expect(page.status).toBe(500);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Something went wrong on our side.');
    const api = await fetch(`${base}/api/comments/`, { headers: { 'accept-language': 'zh' } });
    expect(api.status).toBe(500);
    expect(await api.json()).toEqual({ error: { code: 'internal', message: '服务器出了点问题，请稍后再试。' } });
    expect(await (await fetch(`${base}/zh/`)).text()).toBe('fine');
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^GET \/en\/essays\/x\/: Error: sync boom/);
    expect(logs[0]).not.toContain('secret');
  });

  it('replaces a bare 500 from Astro or the adapter, and leaves a route’s own 500 alone', async () => {
    const base = await serve((request, response) => {
      if (request.url === '/bare/') {
        response.statusCode = 500;
        response.end('Internal Server Error');
      } else if (request.url === '/empty/') {
        response.writeHead(500, {});
        response.end();
      } else {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end('{"error":{"code":"database_busy"}}');
      }
    });
    for (const path of ['/bare/', '/empty/']) {
      const response = await fetch(`${base}${path}`, { headers: { 'accept-language': 'en' } });
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('Something went wrong on our side.');
    }
    expect(await (await fetch(`${base}/api/own/`)).text()).toBe('{"error":{"code":"database_busy"}}');
  });

  it('sends HSTS on every answer when the site is https, refusals included', async () => {
    const base = await serve((_request, response) => response.end('ok'), { siteUrl: new URL('https://example.com') });
    expect((await fetch(`${base}/zh/`)).headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect((await fetch(`${base}/zh/`, { method: 'DELETE' })).headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('answers /healthz itself: 200 when the database is current, 503 with the problem, never cached', async () => {
    const base = await serve(() => {
      throw new Error('the site handler must not see /healthz');
    });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(healthy);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    await running?.shutdown();
    const missing: DatabaseHealth = { status: 'error', database: 'ok', migrations: 'missing: 0005_view_networks.sql' };
    const sick = await serve(() => undefined, { health: missing });
    const failing = await fetch(`${sick}/healthz`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toEqual(missing);
  });

  it('on shutdown lets a request in flight finish, then stops', async () => {
    const base = await serve((_request, response) => void setTimeout(() => response.end('slow but whole'), 300));
    const slow = fetch(`${base}/zh/`).then((response) => response.text());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = running!.shutdown();
    expect(await slow).toBe('slow but whole');
    expect(await stopping).toEqual({ isForced: false });
    await expect(fetch(`${base}/zh/`)).rejects.toThrow();
    running = undefined;
  });

  it('cuts off what is still running after the shutdown timeout', async () => {
    const base = await serve(() => undefined);
    const hanging = fetch(`${base}/zh/`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    expect(await running!.shutdown()).toEqual({ isForced: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await hanging).toBeInstanceOf(Error);
    running = undefined;
  });
});

describe('the server’s database', () => {
  it('is opened, migrated and healthy', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'duizhao-server-db-'));
    const driver = await openServerDatabase(join(folder, 'data', 'comments.db'), migrations);
    expect(await checkDatabaseHealth(driver, migrations)).toEqual(healthy);
    await driver.run('DELETE FROM comment_migrations WHERE id = ?1', [migrations.at(-1)?.id ?? 0]);
    expect(await checkDatabaseHealth(driver, migrations)).toEqual({
      status: 'error',
      database: 'ok',
      migrations: `missing: ${migrations.at(-1)?.fileName}`,
    });
    await driver.close();
    expect((await checkDatabaseHealth(driver, migrations)).database).toMatch(/^unreachable: /);
  });

  it('refuses a place it cannot write, in one line naming the file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'duizhao-server-db-'));
    writeFileSync(join(folder, 'not-a-folder'), '');
    const path = join(folder, 'not-a-folder', 'comments.db');
    await expect(openServerDatabase(path, migrations)).rejects.toThrow(`the database ${path} cannot be written: `);
    await expect(openServerDatabase(path, migrations)).rejects.toThrow(/^[^\n]+$/);
  });
});

describe('.env', () => {
  it('fills in variables that are not set, and leaves those that are', () => {
    const folder = mkdtempSync(join(tmpdir(), 'duizhao-env-'));
    writeFileSync(join(folder, '.env'), 'DUIZHAO_TEST_FROM_FILE=file\nDUIZHAO_TEST_SET=file\n# a comment\n');
    process.env.DUIZHAO_TEST_SET = 'environment';
    expect(loadEnvFile(join(folder, '.env'))).toBe(true);
    expect(process.env.DUIZHAO_TEST_FROM_FILE).toBe('file');
    expect(process.env.DUIZHAO_TEST_SET).toBe('environment');
    expect(loadEnvFile(join(folder, 'missing.env'))).toBe(false);
    delete process.env.DUIZHAO_TEST_FROM_FILE;
    delete process.env.DUIZHAO_TEST_SET;
  });
});
