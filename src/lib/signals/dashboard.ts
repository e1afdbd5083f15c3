import { localeKeys, locales, mapLocales, type Locale } from '../../i18n/locales.ts';
import { translateToEveryLocale as localize } from '../../i18n/translator.ts';
import type { Dataset } from '../charts/dataset.ts';
import type { CatalogEssay } from '../essay-catalog.ts';
import type { DailyCollects, DailyViews, EssaySignalTotals, SignalStore } from './store.ts';
import { shiftUtcDay } from './visitor.ts';

/** The periods the dashboard offers, in UTC days ending today. */
export const dashboardPeriods = [7, 30, 90] as const;

export type DashboardPeriod = (typeof dashboardPeriods)[number];

const defaultDashboardPeriod: DashboardPeriod = 30;

/** "This week" is the last 7 UTC days, today included. */
const weekLength = 7;

/** How many essays "top essays this week" lists. */
const topEssayCount = 10;

export type SignalMetric = 'views' | 'collects';

/** One essay's views per language and collects, over some span of days. */
export interface EssayActivity {
  essay: string;
  views: Record<Locale, number>;
  totalViews: number;
  collects: number;
}

export interface Dashboard {
  /** The period's days, oldest first; the last is today. */
  days: string[];
  /** Date-x datasets with one series per language, 0 on days without any. */
  charts: Record<SignalMetric, Dataset>;
  /** The week's most read essays across the site, whatever essay the charts show. */
  topEssays: EssayActivity[];
  /** All-time views and current collects of every essay that has either. */
  totals: EssayActivity[];
  /** Whether anything has ever been counted: an empty dashboard says so instead of drawing zeros. */
  hasData: boolean;
}

/** The period a `?days=` value asks for, or undefined when it is not one the dashboard offers. */
export function readDashboardPeriod(value: string | null): DashboardPeriod | undefined {
  return dashboardPeriods.find((days) => String(days) === value);
}

/** What the dashboard's `?days=` and `?essay=` ask for; values it cannot show fall back to the default and are handed back to name them. */
export interface DashboardQuery {
  days: DashboardPeriod;
  /** The one essay to chart, or undefined for all. */
  essay?: CatalogEssay;
  unknownDays?: string;
  unknownEssay?: string;
}

/** Longer values are cut before they are repeated in a message. */
const maxEchoedLength = 100;

export function readDashboardQuery(params: URLSearchParams, catalog: readonly CatalogEssay[]): DashboardQuery {
  const askedDays = params.get('days') ?? '';
  const askedEssay = params.get('essay') ?? '';
  const days = readDashboardPeriod(askedDays);
  const essay = catalog.find((candidate) => candidate.slug === askedEssay);
  return {
    days: days ?? defaultDashboardPeriod,
    ...(essay && { essay }),
    ...(askedDays !== '' && !days && { unknownDays: askedDays.slice(0, maxEchoedLength) }),
    ...(askedEssay !== '' && !essay && { unknownEssay: askedEssay.slice(0, maxEchoedLength) }),
  };
}

/** The `count` UTC days that end with `today`, oldest first. */
export function listPeriodDays(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => shiftUtcDay(today, index - count + 1));
}

/** Midnight UTC at the start of `day`: collects are stored with their time, views by day. */
function getDayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

type DailyRow = DailyViews | DailyCollects;

function readCount(row: DailyRow): number {
  return 'views' in row ? row.views : row.collects;
}

/** Per language, the day-by-day sums over every essay in `rows`; days without a row are 0. */
export function sumByDay(rows: readonly DailyRow[], days: readonly string[]): Record<Locale, number[]> {
  const indexOf = new Map(days.map((day, index) => [day, index]));
  const sums = Object.fromEntries(localeKeys.map((key) => [key, days.map(() => 0)])) as Record<Locale, number[]>;
  for (const row of rows) {
    const index = indexOf.get(row.day);
    if (index !== undefined) sums[row.lang][index] = (sums[row.lang][index] ?? 0) + readCount(row);
  }
  return sums;
}

/** A chart dataset of one metric per day and language, as the chart figure takes it; counted up to `days`' last day. */
export function buildDailyDataset(metric: SignalMetric, rows: readonly DailyRow[], days: readonly string[]): Dataset {
  const sums = sumByDay(rows, days);
  const today = days.at(-1);
  if (!today) throw new Error('a dashboard period needs at least one day');
  return {
    id: `dashboard-${metric}`,
    title: localize(`moderation.dashboard.chart.${metric}.title`),
    description: localize(`moderation.dashboard.chart.${metric}.description`),
    unit: localize(`moderation.dashboard.chart.${metric}.unit`),
    source: { name: localize('moderation.dashboard.chart.source'), retrieved: today },
    illustrative: false,
    x: { type: 'date', values: [...days] },
    series: localeKeys.map((key) => ({
      id: key,
      // The language names as each language writes itself: 中文, English.
      name: mapLocales(() => locales[key].label),
      values: sums[key],
      illustrative: false,
    })),
    annotations: [],
    // Counted live from the database: there is no file and no history to keep.
    revisions: [],
  };
}

/** Most views first, then most collects, then by slug, so equal essays keep a stable order. */
function compareActivity(a: EssayActivity, b: EssayActivity): number {
  return b.totalViews - a.totalViews || b.collects - a.collects || a.essay.localeCompare(b.essay);
}

function getActivity(byEssay: Map<string, EssayActivity>, essay: string): EssayActivity {
  let activity = byEssay.get(essay);
  if (!activity) {
    activity = { essay, views: mapLocales(() => 0), totalViews: 0, collects: 0 };
    byEssay.set(essay, activity);
  }
  return activity;
}

/** Essays ranked by their views over both languages in `views`, with the collects made in the same span; at most `limit`. */
export function rankEssays(views: readonly DailyViews[], collects: readonly DailyCollects[], limit = topEssayCount): EssayActivity[] {
  const byEssay = new Map<string, EssayActivity>();
  for (const row of views) {
    const activity = getActivity(byEssay, row.essay);
    activity.views[row.lang] += row.views;
    activity.totalViews += row.views;
  }
  for (const row of collects) getActivity(byEssay, row.essay).collects += row.collects;
  return [...byEssay.values()].sort(compareActivity).slice(0, limit);
}

/** The store's all-time totals as activity rows, most read first. */
export function toTotalActivity(totals: readonly EssaySignalTotals[]): EssayActivity[] {
  return totals
    .map((total) => ({
      essay: total.essay,
      views: { ...total.views },
      totalViews: localeKeys.reduce((sum, key) => sum + total.views[key], 0),
      collects: localeKeys.reduce((sum, key) => sum + total.collects[key], 0),
    }))
    .sort(compareActivity);
}

/** Everything the dashboard shows for a period ending `today`, for all essays or one. */
export async function loadDashboard(store: SignalStore, options: { today: string; days: number; essay?: string }): Promise<Dashboard> {
  const { today, essay } = options;
  const days = listPeriodDays(today, options.days);
  const [periodStart = today] = days;
  const weekStart = shiftUtcDay(today, 1 - weekLength);
  const [views, collects, weekViews, weekCollects, totals] = await Promise.all([
    store.listDailyViews({ sinceDay: periodStart, essay }),
    store.listDailyCollects({ since: getDayStart(periodStart), essay }),
    store.listDailyViews({ sinceDay: weekStart }),
    store.listDailyCollects({ since: getDayStart(weekStart) }),
    store.listTotals(),
  ]);
  return {
    days,
    charts: { views: buildDailyDataset('views', views, days), collects: buildDailyDataset('collects', collects, days) },
    topEssays: rankEssays(weekViews, weekCollects),
    totals: toTotalActivity(totals),
    hasData: totals.length > 0,
  };
}
