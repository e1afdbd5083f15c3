import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBuildSite, resolveSiteUrl } from '../../src/lib/node-server/build-site.ts';
import { checkNodeVersion } from '../../src/lib/node-server/node-version.ts';
import { parseSiteUrl, readServerConfig, readSiteConfig } from '../../src/lib/server-config.ts';

describe('server settings', () => {
  it('has defaults for everything', () => {
    expect(readServerConfig({})).toEqual({
      ...readSiteConfig({}),
      host: '127.0.0.1',
      port: 4321,
      siteUrl: undefined,
      trustedProxyHops: 0,
      logRequests: false,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      shutdownTimeoutMs: 10_000,
      distDirectory: 'dist',
    });
  });

  it('reads each variable', () => {
    const config = readServerConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      SITE_URL: 'https://example.com/',
      TRUST_PROXY: '1',
      LOG_REQUESTS: '1',
      SERVER_HEADERS_TIMEOUT_SECONDS: '0.5',
      SERVER_REQUEST_TIMEOUT_SECONDS: '2',
      SERVER_SHUTDOWN_SECONDS: '3',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      trustedProxyHops: 1,
      logRequests: true,
      headersTimeoutMs: 500,
      requestTimeoutMs: 2000,
      shutdownTimeoutMs: 3000,
    });
    expect(config.siteUrl?.href).toBe('https://example.com/');
  });

  it('names the variable of a value it refuses', () => {
    expect(() => readServerConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readServerConfig({ LOG_REQUESTS: 'yes please' })).toThrow(/LOG_REQUESTS/);
    expect(() => readServerConfig({ SERVER_HEADERS_TIMEOUT_SECONDS: '-1' })).toThrow(/SERVER_HEADERS_TIMEOUT_SECONDS/);
    expect(() => readServerConfig({ TRUST_PROXY: 'all' })).toThrow(/TRUST_PROXY/);
  });

  it('checks the site’s settings too, so that a bad one stops start-up rather than a request', () => {
    expect(readServerConfig({ COMMENTS_DB: '/srv/site.db', COMMENTS_RATE_LIMIT: 'off', COMMENTS_SITE_LIMIT: '0' })).toMatchObject({
      databasePath: '/srv/site.db',
      rateLimit: null,
      siteCommentLimit: null,
    });
    expect(readServerConfig({}).siteCommentLimit).toEqual({ max: 200, windowMs: 3_600_000 });
    expect(readServerConfig({ COMMENTS_SITE_LIMIT: '50/30m' }).siteCommentLimit).toEqual({ max: 50, windowMs: 1_800_000 });
    expect(() => readServerConfig({ COMMENTS_RATE_LIMIT: 'many' })).toThrow(/COMMENTS_RATE_LIMIT must look like "5\/10m"/);
    expect(() => readServerConfig({ COMMENTS_SITE_LIMIT: 'lots' })).toThrow(/COMMENTS_SITE_LIMIT must look like "5\/10m"/);
    expect(() => readServerConfig({ MODERATION_WEBHOOK_URL: 'ftp://hooks.example/x' })).toThrow(
      'MODERATION_WEBHOOK_URL must be an http(s) URL; got "ftp://hooks.example/x"',
    );
    expect(() => readServerConfig({ MODERATION_WEBHOOK_URL: 'https://hooks.example/x', MODERATION_WEBHOOK_RETRY_SECONDS: '0' })).toThrow(
      /MODERATION_WEBHOOK_RETRY_SECONDS/,
    );
  });

  it('takes SITE_URL only as an http(s) origin', () => {
    expect(parseSiteUrl('  ')).toBeUndefined();
    expect(parseSiteUrl('http://localhost:4321')?.origin).toBe('http://localhost:4321');
    for (const bad of [
      'example.com',
      'ftp://example.com',
      'https://example.com/blog/',
      'https://user:pw@example.com',
      'https://example.com/?a=1',
      'https://example.com/#top',
    ]) {
      expect(() => parseSiteUrl(bad), bad).toThrow(/SITE_URL/);
    }
  });
});

describe('the build the server serves', () => {
  function writeBuild(robots: string): string {
    const dist = mkdtempSync(join(tmpdir(), 'duizhao-build-site-'));
    mkdirSync(join(dist, 'client'));
    writeFileSync(join(dist, 'client', 'robots.txt'), robots);
    return dist;
  }

  it('reads the SITE_URL the build was made with from its robots.txt', () => {
    expect(readBuildSite(writeBuild('User-agent: *\n\nSitemap: https://example.com/sitemap-index.xml\n'))?.origin).toBe(
      'https://example.com',
    );
    expect(readBuildSite(writeBuild('User-agent: *\n'))).toBeUndefined();
    expect(readBuildSite(join(tmpdir(), 'no-such-build'))).toBeUndefined();
  });

  it('uses SITE_URL, else the build’s own address unless that is the loopback default', () => {
    const example = new URL('https://example.com');
    expect(resolveSiteUrl(undefined, example)?.origin).toBe('https://example.com');
    expect(resolveSiteUrl(undefined, new URL('http://localhost:4321'))).toBeUndefined();
    expect(resolveSiteUrl(example, example)?.origin).toBe('https://example.com');
    expect(resolveSiteUrl(new URL('https://localhost'), new URL('http://localhost:4321'))?.origin).toBe('https://localhost');
  });

  it('refuses a public SITE_URL the build was not made for', () => {
    expect(() => resolveSiteUrl(new URL('https://example.org'), new URL('https://example.com'))).toThrow(
      'SITE_URL is https://example.org but the build in dist/ was made for https://example.com',
    );
    expect(() => resolveSiteUrl(new URL('https://example.org'), new URL('http://localhost:4321'))).toThrow(/build again/);
  });
});

describe('the Node version check', () => {
  it('accepts what Astro and node:sqlite both accept', () => {
    expect(checkNodeVersion('24.21.0', '>=22.23.4')).toBeUndefined();
    expect(checkNodeVersion('22.23.4', '>=22.23.4')).toBeUndefined();
  });

  it('names what is missing', () => {
    expect(checkNodeVersion('20.20.2', '>=22.23.4')).toBe(
      'Node 20.20.2 is too old: Astro needs Node >=22.23.4 (npm scripts use the Node in node_modules/.bin/node)',
    );
    expect(checkNodeVersion('22.12.0', undefined)).toMatch(/node:sqlite needs Node/);
    expect(checkNodeVersion('23.3.0', '>=22.12')).toMatch(/node:sqlite needs Node/);
  });
});

describe('.env.example', () => {
  it('lists every variable of the README’s configuration table, with the README’s default', () => {
    const root = join(import.meta.dirname, '..', '..');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Layout'));
    const rows = [...table.matchAll(/^\| `([A-Z_]+)` \| `?([^|`]*)`? \|/gm)].map((match) => ({
      name: match[1] ?? '',
      fallback: match[2] ?? '',
    }));
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const listed = new Map([...example.matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2]]));
    expect(rows.length).toBeGreaterThan(15);
    for (const { name, fallback } of rows) {
      expect(listed.has(name), name).toBe(true);
      if (/^[\w./:-]+$/.test(fallback)) expect(listed.get(name), name).toBe(fallback);
    }
  });
});
