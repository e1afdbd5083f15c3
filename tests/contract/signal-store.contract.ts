import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSignalStore, type CollectChange, type SignalStore } from '../../src/lib/signals/store.ts';

const at = new Date(Date.UTC(2025, 0, 20, 12));

function collect(overrides: Partial<CollectChange> = {}): CollectChange {
  return { essay: 'essay-a', lang: 'zh', readerHash: 'reader-1', senderHash: 'sender-1', isCollected: true, at, ...overrides };
}

/** What every driver must do for view and collect counts; call with a function that opens an empty database. */
export function describeSignalStoreContract(driverName: string, openDriver: () => Promise<SqlDriver>) {
  describe(`signal store contract: ${driverName}`, () => {
    let driver: SqlDriver;
    let store: SignalStore;

    beforeEach(async () => {
      driver = await openDriver();
      await migrate(driver, commentMigrations);
      store = createSignalStore(driver);
    });

    it('counts a visitor once per day, across both languages, and again the next day', async () => {
      const view = { essay: 'essay-a', lang: 'zh' as const, day: '2025-01-20', visitorHash: 'visitor-1' };
      expect(await store.recordView(view)).toBe('counted');
      expect(await store.recordView(view)).toBe('seenToday');
      expect(await store.recordView({ ...view, lang: 'en' })).toBe('seenToday');
      expect(await store.recordView({ ...view, visitorHash: 'visitor-2', lang: 'en' })).toBe('counted');
      expect(await store.recordView({ ...view, day: '2025-01-21' })).toBe('counted');
      expect(await store.getCounts('essay-a')).toEqual({ views: 3, collects: 0 });
      expect(await store.getCounts('essay-b')).toEqual({ views: 0, collects: 0 });
      expect(await store.listDailyViews({ sinceDay: '2025-01-20' })).toEqual([
        { essay: 'essay-a', lang: 'en', day: '2025-01-20', views: 1 },
        { essay: 'essay-a', lang: 'zh', day: '2025-01-20', views: 1 },
        { essay: 'essay-a', lang: 'zh', day: '2025-01-21', views: 1 },
      ]);
      expect(await store.listDailyViews({ sinceDay: '2025-01-21', essay: 'essay-b' })).toEqual([]);
    });

    it('counts at most the limit of views from one network a day, each visitor once', async () => {
      const limit = { perNetwork: 2 };
      const view = (visitorHash: string, overrides = {}) =>
        store.recordView({ essay: 'essay-a', lang: 'zh', day: '2025-01-20', visitorHash, networkHash: 'network-1', ...overrides }, limit);
      expect(await view('visitor-1')).toBe('counted');
      expect(await view('visitor-1')).toBe('seenToday');
      expect(await view('visitor-2')).toBe('counted');
      expect(await view('visitor-3')).toBe('networkLimit');
      // A visitor turned away is remembered as seen, like a counted one.
      expect(await view('visitor-3')).toBe('seenToday');
      expect(await view('visitor-4', { networkHash: 'network-2' })).toBe('counted');
      expect(await view('visitor-5', { day: '2025-01-21' })).toBe('counted');
      // Without a limit the network is not looked at.
      expect(
        await store.recordView({ essay: 'essay-a', lang: 'zh', day: '2025-01-20', visitorHash: 'visitor-6', networkHash: 'network-1' }),
      ).toBe('counted');
      expect(await store.getCounts('essay-a')).toEqual({ views: 5, collects: 0 });
    });

    it('keeps the first salt of a day and forgets earlier days once a new day starts', async () => {
      expect(await store.getDaySalt('2025-01-20', 'salt-a')).toBe('salt-a');
      expect(await store.getDaySalt('2025-01-20', 'salt-b')).toBe('salt-a');
      await store.recordView(
        { essay: 'essay-a', lang: 'zh', day: '2025-01-20', visitorHash: 'visitor-1', networkHash: 'network-1' },
        { perNetwork: 5 },
      );
      expect(await store.getDaySalt('2025-01-21', 'salt-c')).toBe('salt-c');
      expect(await driver.all('SELECT day FROM view_salts')).toEqual([{ day: '2025-01-21' }]);
      expect(await driver.all('SELECT day FROM view_visitors')).toEqual([]);
      expect(await driver.all('SELECT day FROM view_networks')).toEqual([]);
      // The count itself stays.
      expect((await store.getCounts('essay-a')).views).toBe(1);
    });

    it('collects once per reader, un-collects, and asking twice changes nothing', async () => {
      expect(await store.setCollected(collect())).toEqual({ isAllowed: true });
      expect(await store.setCollected(collect())).toEqual({ isAllowed: true });
      await store.setCollected(collect({ readerHash: 'reader-2', lang: 'en' }));
      expect(await store.getCounts('essay-a')).toEqual({ views: 0, collects: 2 });
      expect(await store.isCollected('essay-a', 'reader-1')).toBe(true);
      await store.setCollected(collect({ isCollected: false }));
      await store.setCollected(collect({ isCollected: false }));
      expect(await store.isCollected('essay-a', 'reader-1')).toBe(false);
      expect(await store.getCounts('essay-a')).toEqual({ views: 0, collects: 1 });
      expect(await store.listDailyCollects({ since: new Date(Date.UTC(2025, 0, 1)) })).toEqual([
        { essay: 'essay-a', lang: 'en', day: '2025-01-20', collects: 1 },
      ]);
    });

    it('refuses a sender over the limit, counts un-collects too, and forgets actions after the window', async () => {
      const limit = { max: 2, since: new Date(at.getTime() - 3_600_000) };
      expect(await store.setCollected(collect(), limit)).toEqual({ isAllowed: true });
      expect(await store.setCollected(collect({ isCollected: false }), limit)).toEqual({ isAllowed: true });
      expect(await store.setCollected(collect({ essay: 'essay-b' }), limit)).toEqual({ isAllowed: false });
      expect(await store.isCollected('essay-b', 'reader-1')).toBe(false);
      expect(await store.setCollected(collect({ essay: 'essay-b', senderHash: 'sender-2' }), limit)).toEqual({ isAllowed: true });
      const later = new Date(at.getTime() + 3_600_001);
      expect(
        await store.setCollected(collect({ essay: 'essay-c', at: later }), { max: 2, since: new Date(later.getTime() - 3_600_000) }),
      ).toEqual({ isAllowed: true });
      expect(await driver.all('SELECT sender_hash FROM collect_actions ORDER BY at')).toEqual([{ sender_hash: 'sender-1' }]);
    });

    it('totals views and collects per essay and language', async () => {
      await store.recordView({ essay: 'essay-b', lang: 'en', day: '2025-01-20', visitorHash: 'v1' });
      await store.recordView({ essay: 'essay-b', lang: 'en', day: '2025-01-21', visitorHash: 'v1' });
      await store.recordView({ essay: 'essay-a', lang: 'zh', day: '2025-01-21', visitorHash: 'v2' });
      await store.setCollected(collect({ essay: 'essay-b' }));
      expect(await store.listTotals()).toEqual([
        { essay: 'essay-a', views: { zh: 1, en: 0 }, collects: { zh: 0, en: 0 } },
        { essay: 'essay-b', views: { zh: 0, en: 2 }, collects: { zh: 1, en: 0 } },
      ]);
    });
  });
}
