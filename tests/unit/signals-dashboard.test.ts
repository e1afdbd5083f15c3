import { describe, expect, it } from 'vitest';
import { buildChartFigure } from '../../src/lib/charts/chart-model.ts';
import { datasetSchema } from '../../src/lib/charts/dataset-schema.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import {
  buildDailyDataset,
  listPeriodDays,
  loadDashboard,
  rankEssays,
  readDashboardPeriod,
  readDashboardQuery,
  sumByDay,
  toTotalActivity,
} from '../../src/lib/signals/dashboard.ts';
import { createSignalStore } from '../../src/lib/signals/store.ts';

describe('dashboard periods', () => {
  it('offers 7, 30 and 90 days and nothing else', () => {
    expect(readDashboardPeriod('7')).toBe(7);
    expect(readDashboardPeriod('30')).toBe(30);
    expect(readDashboardPeriod('90')).toBe(90);
    for (const value of [null, '', '8', '30.0', ' 30', '-7', 'all']) expect(readDashboardPeriod(value)).toBeUndefined();
  });

  it('lists the UTC days that end today, oldest first, across a month end', () => {
    expect(listPeriodDays('2025-03-02', 4)).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(listPeriodDays('2025-01-20', 30)).toHaveLength(30);
  });
});

describe('the dashboard query', () => {
  const catalog = [
    { slug: 'alpha', titles: { zh: '甲', en: 'Alpha' } },
    { slug: 'beta', titles: { zh: '乙' } },
  ];
  const read = (query: string) => readDashboardQuery(new URLSearchParams(query), catalog);

  it('reads the period and the essay, all essays and 30 days when left out or empty', () => {
    expect(read('days=7&essay=beta')).toEqual({ days: 7, essay: catalog[1] });
    expect(read('')).toEqual({ days: 30 });
    expect(read('days=&essay=')).toEqual({ days: 30 });
  });

  it('falls back on values it cannot show and hands them back, cut short, to name them', () => {
    expect(read('days=365&essay=gamma')).toEqual({ days: 30, unknownDays: '365', unknownEssay: 'gamma' });
    expect(read(`essay=${'x'.repeat(500)}`).unknownEssay).toHaveLength(100);
    expect(read('essay=toString').essay).toBeUndefined();
  });
});

describe('the daily datasets', () => {
  const days = ['2025-01-18', '2025-01-19', '2025-01-20'];

  it('sums every essay per day and language, with 0 on days without rows, and ignores days outside the period', () => {
    const sums = sumByDay(
      [
        { essay: 'a', lang: 'zh', day: '2025-01-18', views: 3 },
        { essay: 'b', lang: 'zh', day: '2025-01-18', views: 2 },
        { essay: 'a', lang: 'en', day: '2025-01-20', views: 7 },
        { essay: 'a', lang: 'en', day: '2025-01-17', views: 100 },
      ],
      days,
    );
    expect(sums).toEqual({ zh: [5, 0, 0], en: [0, 0, 7] });
  });

  it('is a date dataset the chart schema accepts, a series per language named 中文 and English', () => {
    const dataset = buildDailyDataset('collects', [{ essay: 'a', lang: 'en', day: '2025-01-19', collects: 2 }], days);
    expect(datasetSchema.parse(dataset)).toEqual(dataset);
    expect(dataset.x).toEqual({ type: 'date', values: days });
    expect(dataset.series.map((series) => [series.id, series.name.en, series.values])).toEqual([
      ['zh', '中文', [0, 0, 0]],
      ['en', 'English', [0, 2, 0]],
    ]);
    expect(dataset.source.retrieved).toBe('2025-01-20');
  });

  it('draws as a chart figure in the moderator’s language, without download links', () => {
    const dataset = buildDailyDataset('views', [{ essay: 'a', lang: 'zh', day: '2025-01-20', views: 1234 }], days);
    const figure = buildChartFigure(dataset, { locale: 'en', hasDownloads: false });
    expect(figure.title).toBe('Views per day');
    expect(figure.downloads).toBeUndefined();
    expect(figure.table.seriesHeaders).toEqual(['中文', 'English']);
    expect(figure.table.rows.at(-1)).toMatchObject({ header: 'January 20, 2025', cells: [{ text: '1,234' }, { text: '0' }] });
    expect(buildChartFigure(dataset, { locale: 'zh', hasDownloads: false }).title).toBe('每日阅读量');
  });
});

describe('essay rankings', () => {
  it('ranks by views over both languages, then collects, then slug; keeps essays with collects only', () => {
    const ranked = rankEssays(
      [
        { essay: 'quiet', lang: 'zh', day: '2025-01-19', views: 1 },
        { essay: 'popular', lang: 'zh', day: '2025-01-19', views: 4 },
        { essay: 'popular', lang: 'en', day: '2025-01-20', views: 3 },
        { essay: 'popular', lang: 'zh', day: '2025-01-20', views: 1 },
        { essay: 'tied-b', lang: 'en', day: '2025-01-20', views: 2 },
        { essay: 'tied-a', lang: 'zh', day: '2025-01-20', views: 2 },
      ],
      [
        { essay: 'popular', lang: 'en', day: '2025-01-20', collects: 2 },
        { essay: 'popular', lang: 'zh', day: '2025-01-19', collects: 1 },
        { essay: 'tied-b', lang: 'zh', day: '2025-01-20', collects: 1 },
        { essay: 'collected', lang: 'zh', day: '2025-01-20', collects: 1 },
      ],
    );
    expect(ranked.map((row) => row.essay)).toEqual(['popular', 'tied-b', 'tied-a', 'quiet', 'collected']);
    expect(ranked[0]).toEqual({ essay: 'popular', views: { zh: 5, en: 3 }, totalViews: 8, collects: 3 });
    expect(ranked.at(-1)).toEqual({ essay: 'collected', views: { zh: 0, en: 0 }, totalViews: 0, collects: 1 });
  });

  it('keeps the first ones up to the limit', () => {
    const views = Array.from({ length: 12 }, (_, index) => ({
      essay: `essay-${index}`,
      lang: 'zh' as const,
      day: '2025-01-20',
      views: index + 1,
    }));
    expect(rankEssays(views, [], 3).map((row) => row.essay)).toEqual(['essay-11', 'essay-10', 'essay-9']);
    expect(rankEssays(views, [])).toHaveLength(10);
  });

  it('turns all-time totals into rows, most read first', () => {
    const rows = toTotalActivity([
      { essay: 'a', views: { zh: 1, en: 1 }, collects: { zh: 0, en: 0 } },
      { essay: 'b', views: { zh: 0, en: 5 }, collects: { zh: 1, en: 2 } },
    ]);
    expect(rows).toEqual([
      { essay: 'b', views: { zh: 0, en: 5 }, totalViews: 5, collects: 3 },
      { essay: 'a', views: { zh: 1, en: 1 }, totalViews: 2, collects: 0 },
    ]);
  });
});

describe('loadDashboard', () => {
  async function createStore() {
    const driver = createSqliteDriver(':memory:');
    await migrate(driver, commentMigrations);
    const store = createSignalStore(driver);
    let visitor = 0;
    const view = async (essay: string, lang: 'zh' | 'en', day: string, count = 1) => {
      for (let index = 0; index < count; index += 1) await store.recordView({ essay, lang, day, visitorHash: `visitor-${(visitor += 1)}` });
    };
    const collect = (essay: string, lang: 'zh' | 'en', at: string, isCollected = true) =>
      store.setCollected({ essay, lang, readerHash: `reader-${essay}-${at}`, senderHash: 'sender', isCollected, at: new Date(at) });
    return { store, view, collect };
  }

  it('says there is no data on an empty database, with a period of zeros', async () => {
    const { store } = await createStore();
    const dashboard = await loadDashboard(store, { today: '2025-01-20', days: 7 });
    expect(dashboard.hasData).toBe(false);
    expect(dashboard.days).toHaveLength(7);
    expect(dashboard.charts.views.series.map((series) => series.values)).toEqual([Array(7).fill(0), Array(7).fill(0)]);
    expect(dashboard.topEssays).toEqual([]);
    expect(dashboard.totals).toEqual([]);
  });

  it('charts the period for one essay or all, and ranks this week across all essays', async () => {
    const { store, view, collect } = await createStore();
    await view('alpha', 'zh', '2025-01-20', 3);
    await view('alpha', 'en', '2025-01-14', 2);
    await view('alpha', 'en', '2025-01-13', 4);
    await view('beta', 'en', '2025-01-20', 5);
    await view('beta', 'zh', '2024-12-01', 9);
    await collect('alpha', 'en', '2025-01-20T10:00:00Z');
    await collect('beta', 'zh', '2025-01-15T23:59:59Z');
    await collect('beta', 'zh', '2025-01-16T00:00:00Z', true);
    await collect('beta', 'zh', '2025-01-16T00:00:00Z', false);

    const all = await loadDashboard(store, { today: '2025-01-20', days: 30 });
    expect(all.hasData).toBe(true);
    expect(all.days[0]).toBe('2024-12-22');
    const [zh, en] = all.charts.views.series;
    expect(zh?.values.at(-1)).toBe(3);
    expect(en?.values.at(-1)).toBe(5);
    expect(en?.values.at(-7)).toBe(2);
    expect(en?.values.at(-8)).toBe(4);
    expect(all.charts.collects.series[1]?.values.at(-1)).toBe(1);
    // A collect that was undone is gone; the one before midnight UTC counts on its own day.
    expect(all.charts.collects.series[0]?.values.slice(-6, -4)).toEqual([1, 0]);
    // The week is 2025-01-14 to 2025-01-20: the view on the 13th is left out.
    expect(all.topEssays).toEqual([
      { essay: 'alpha', views: { zh: 3, en: 2 }, totalViews: 5, collects: 1 },
      { essay: 'beta', views: { zh: 0, en: 5 }, totalViews: 5, collects: 1 },
    ]);
    expect(all.totals.map((row) => [row.essay, row.totalViews, row.collects])).toEqual([
      ['beta', 14, 1],
      ['alpha', 9, 1],
    ]);

    const beta = await loadDashboard(store, { today: '2025-01-20', days: 7, essay: 'beta' });
    expect(beta.charts.views.series.map((series) => series.values.at(-1))).toEqual([0, 5]);
    expect(beta.charts.collects.series[0]?.values).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(beta.topEssays.map((row) => row.essay)).toEqual(['alpha', 'beta']);
  });
});
