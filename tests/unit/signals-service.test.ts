import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { createSignalService, type SignalService } from '../../src/lib/signals/service.ts';
import { createSignalStore } from '../../src/lib/signals/store.ts';
import { getUncountedReason, hashNetwork, hashVisitor, shiftUtcDay } from '../../src/lib/signals/visitor.ts';

const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const safari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const reader = 'r'.repeat(22);

function browser(userAgent = firefox, extra: Record<string, string> = {}) {
  return new Headers({ 'user-agent': userAgent, ...extra });
}

describe('view counting', () => {
  let driver: SqlDriver;
  let service: SignalService;
  let now: Date;
  let salts: number;

  beforeEach(async () => {
    driver = createSqliteDriver(':memory:');
    await migrate(driver, commentMigrations);
    now = new Date('2025-01-20T08:00:00Z');
    salts = 0;
    service = createSignalService({
      store: createSignalStore(driver),
      secret: 'a-test-secret-of-some-length',
      collectRateLimit: { max: 3, windowMs: 600_000 },
      viewLimit: { perNetwork: 4 },
      isKnownEssay: (slug) => slug === 'essay-a' || slug === 'essay-b',
      now: () => now,
      createSalt: () => `salt-${(salts += 1)}`,
    });
  });

  const view = (address: string, headers = browser(), essay = 'essay-a', lang = 'zh') =>
    service.recordView({ essay, lang }, { address, headers, isCrossSite: false });

  it('counts a reader once a day over both languages, and again the next day', async () => {
    expect(await view('203.0.113.7')).toMatchObject({ ok: true, isCounted: true, counts: { views: 1 } });
    expect(await view('203.0.113.7')).toMatchObject({ ok: true, isCounted: false, uncountedReason: 'seenToday', counts: { views: 1 } });
    expect(await view('203.0.113.7', browser(), 'essay-a', 'en')).toMatchObject({ isCounted: false, counts: { views: 1 } });
    expect(await view('203.0.113.7', browser(), 'essay-b')).toMatchObject({ isCounted: true, counts: { views: 1 } });
    now = new Date('2025-01-21T00:00:01Z');
    expect(await view('203.0.113.7')).toMatchObject({ isCounted: true, counts: { views: 2 } });
  });

  it('tells readers apart by network and browser', async () => {
    await view('203.0.113.7');
    expect(await view('203.0.113.8')).toMatchObject({ isCounted: true });
    expect(await view('203.0.113.7', browser(safari))).toMatchObject({ isCounted: true, counts: { views: 3 } });
    // One IPv6 /64 is one network.
    await view('2001:db8:1:2::1');
    expect(await view('2001:db8:1:2::ffff')).toMatchObject({ isCounted: false });
  });

  it('counts a network changing its browser string at most the limit of times a day per essay', async () => {
    const browsers = Array.from({ length: 6 }, (_, index) => browser(`${firefox} build/${index}`));
    const outcomes = [];
    for (const headers of browsers) outcomes.push((await view('203.0.113.7', headers)) as { isCounted: boolean; uncountedReason?: string });
    expect(outcomes.map((outcome) => outcome.isCounted)).toEqual([true, true, true, true, false, false]);
    expect(outcomes.at(-1)?.uncountedReason).toBe('networkLimit');
    // Other networks, other essays and the next day are not held back; a /64 is one network.
    expect(await view('198.51.100.1', browsers[5])).toMatchObject({ isCounted: true, counts: { views: 5 } });
    expect(await view('203.0.113.7', browsers[5], 'essay-b')).toMatchObject({ isCounted: true });
    now = new Date('2025-01-21T00:00:01Z');
    expect(await view('203.0.113.7', browsers[5])).toMatchObject({ isCounted: true });
    // The tally is kept under the day's salt as well, never as an address.
    expect(JSON.stringify(await driver.all('SELECT * FROM view_networks'))).not.toContain('203.0.113');
    expect(await driver.all('SELECT network_hash FROM view_networks WHERE day = ?1', ['2025-01-21'])).toEqual([
      { network_hash: hashNetwork('salt-2', { address: '203.0.113.7', essay: 'essay-a' }) },
    ]);
  });

  it('does not count crawlers, requests without a browser, or prefetches', async () => {
    expect(await view('203.0.113.7', browser('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'))).toMatchObject({
      isCounted: false,
      uncountedReason: 'bot',
    });
    expect(await view('203.0.113.7', new Headers())).toMatchObject({ isCounted: false, uncountedReason: 'bot' });
    expect(await view('203.0.113.7', browser(firefox, { 'sec-purpose': 'prefetch;prerender' }))).toMatchObject({
      isCounted: false,
      uncountedReason: 'prefetch',
    });
    expect(await view('203.0.113.7', browser(firefox, { purpose: 'prefetch' }))).toMatchObject({
      isCounted: false,
      uncountedReason: 'prefetch',
    });
    expect(await service.getCounts('essay-a')).toEqual({ views: 0, collects: 0 });
    // Not counting also stored nothing about the visitor.
    expect(await driver.all('SELECT * FROM view_visitors')).toEqual([]);
  });

  it('stores only a hash under a salt that is gone after the day', async () => {
    await view('203.0.113.7');
    const [stored] = await driver.all<{ visitor_hash: string }>('SELECT visitor_hash FROM view_visitors');
    expect(stored?.visitor_hash).toBe(hashVisitor('salt-1', { address: '203.0.113.7', userAgent: firefox, essay: 'essay-a' }));
    expect(JSON.stringify(await driver.all('SELECT * FROM view_visitors'))).not.toContain('203.0.113');
    now = new Date('2025-01-21T09:00:00Z');
    await view('203.0.113.8');
    expect(await driver.all('SELECT day, salt FROM view_salts')).toEqual([{ day: '2025-01-21', salt: 'salt-2' }]);
    expect(await driver.all<{ day: string }>('SELECT day FROM view_visitors')).toEqual([{ day: '2025-01-21' }]);
  });

  it('refuses unknown essays and malformed views', async () => {
    expect(await view('203.0.113.7', browser(), 'no-such-essay')).toEqual({ ok: false, error: { status: 404, code: 'essayNotFound' } });
    expect(
      await service.recordView({ essay: 'essay-a', lang: 'fr' }, { address: '203.0.113.7', headers: browser(), isCrossSite: false }),
    ).toEqual({
      ok: false,
      error: { status: 400, code: 'invalidInput' },
    });
  });

  it('counts nothing for another site’s page, but still answers with the counts', async () => {
    expect(await view('203.0.113.7')).toMatchObject({ isCounted: true, counts: { views: 1 } });
    const fromElsewhere = await service.recordView(
      { essay: 'essay-a', lang: 'zh' },
      { address: '198.51.100.3', headers: browser(), isCrossSite: true },
    );
    expect(fromElsewhere).toEqual({ ok: true, isCounted: false, uncountedReason: 'crossSite', counts: { views: 1, collects: 0 } });
    expect(await driver.all('SELECT * FROM view_visitors')).toHaveLength(1);
    // The same reader on our own page is still a new reader.
    expect(await view('198.51.100.3')).toMatchObject({ isCounted: true, counts: { views: 2 } });
  });

  it('refuses collects from another site’s page before anything else, and changes nothing', async () => {
    const sender = { address: '203.0.113.7', isCrossSite: true };
    expect(await service.setCollected({ essay: 'essay-a', lang: 'zh', reader, collected: true }, sender)).toEqual({
      ok: false,
      error: { status: 403, code: 'crossSite' },
    });
    expect(await service.setCollected({ essay: 'no-such-essay' }, sender)).toEqual({
      ok: false,
      error: { status: 403, code: 'crossSite' },
    });
    expect(await driver.all('SELECT * FROM essay_collects')).toEqual([]);
    // Its refusals do not use up the reader's own allowance (3 here).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(
        await service.setCollected(
          { essay: 'essay-a', lang: 'zh', reader, collected: attempt % 2 === 0 },
          { ...sender, isCrossSite: false },
        ),
      ).toMatchObject({ ok: true });
    }
  });

  it('collects, un-collects and limits a sender', async () => {
    const address = { address: '203.0.113.7', isCrossSite: false };
    expect(await service.setCollected({ essay: 'essay-a', lang: 'zh', reader, collected: true }, address)).toEqual({
      ok: true,
      isCollected: true,
      counts: { views: 0, collects: 1 },
    });
    expect(await service.setCollected({ essay: 'essay-a', lang: 'en', reader, collected: true }, address)).toMatchObject({
      counts: { collects: 1 },
    });
    expect(await service.setCollected({ essay: 'essay-a', lang: 'zh', reader, collected: false }, address)).toMatchObject({
      isCollected: false,
      counts: { collects: 0 },
    });
    expect(await service.setCollected({ essay: 'essay-a', lang: 'zh', reader, collected: true }, address)).toEqual({
      ok: false,
      error: { status: 429, code: 'rateLimited', retryAfterSeconds: 600 },
    });
    expect(
      await service.setCollected(
        { essay: 'essay-a', lang: 'zh', reader, collected: true },
        { address: '198.51.100.1', isCrossSite: false },
      ),
    ).toMatchObject({ ok: true });
    expect(await service.setCollected({ essay: 'essay-a', lang: 'zh', reader: 'short', collected: true }, address)).toMatchObject({
      ok: false,
      error: { code: 'invalidInput' },
    });
    // The device's id is never stored as sent.
    expect(JSON.stringify(await driver.all('SELECT * FROM essay_collects'))).not.toContain(reader);
  });
});

describe('what counts as a reader', () => {
  it('recognises bots and speculative loads from headers', () => {
    expect(getUncountedReason(browser())).toBeUndefined();
    expect(getUncountedReason(browser('curl/8.5.0'))).toBe('bot');
    expect(getUncountedReason(browser(firefox, { 'x-moz': 'prefetch' }))).toBe('prefetch');
    expect(getUncountedReason(browser(firefox, { 'x-purpose': 'preview' }))).toBe('prefetch');
  });

  it('steps UTC days over month ends', () => {
    expect(shiftUtcDay('2025-01-31', 1)).toBe('2025-02-01');
    expect(shiftUtcDay('2025-03-01', -7)).toBe('2025-02-22');
  });
});
