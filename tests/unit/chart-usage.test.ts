import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mdxToJs } from 'satteri';
import { describe, expect, it } from 'vitest';
import { findChartUsageProblem, type DatasetOutline } from '../../src/lib/charts/chart-usage.ts';
import { checkCharts } from '../../src/lib/markdown/check-charts.ts';
import { createDailyDataset } from './support/data-log-datasets.ts';

const outlines: DatasetOutline[] = [
  { id: 'tag-daily', seriesIds: ['views', 'notes'] },
  { id: 'platforms', seriesIds: ['mau'] },
  { id: 'broken', seriesIds: undefined },
];
const check = (usage: Parameters<typeof findChartUsageProblem>[0]) => findChartUsageProblem(usage, outlines);

describe('findChartUsageProblem', () => {
  it('accepts known datasets, series and types', () => {
    expect(check({ dataset: 'tag-daily', type: 'line', series: ['views'] })).toBeUndefined();
    expect(check({ dataset: 'tag-daily' })).toBeUndefined();
    expect(check({ dataset: 'platforms', type: 'doughnut' })).toBeUndefined();
  });

  it('names an unknown dataset and lists the known ones', () => {
    expect(check({ dataset: 'tag-dialy' })).toBe(
      '<Chart dataset="tag-dialy">: there is no dataset "tag-dialy" (looked for content/data/tag-dialy.json). Known datasets: tag-daily, platforms, broken.',
    );
  });

  it('names an unknown series and lists the dataset’s series', () => {
    expect(check({ dataset: 'tag-daily', series: ['views', 'comments'] })).toBe(
      '<Chart dataset="tag-daily">: unknown series "comments"; the dataset has views, notes',
    );
  });

  it('rejects an unknown type, an empty series list and a doughnut of several series', () => {
    expect(check({ dataset: 'tag-daily', type: 'pie' })).toMatch(/type "pie" is not one of line, area, bar, stacked-bar, doughnut/);
    expect(check({ dataset: 'tag-daily', series: [] })).toMatch(/series must be a non-empty list/);
    expect(check({ dataset: 'tag-daily', type: 'doughnut' })).toMatch(/a doughnut shows one series/);
    expect(check({ dataset: undefined })).toMatch(/needs dataset=/);
  });

  it('refuses a series written as a string, as the component would', () => {
    expect(check({ dataset: 'platforms', type: 'bar', series: 'mau' })).toBe(
      '<Chart dataset="platforms">: series must be a non-empty list of series ids, e.g. series={["mau"]}',
    );
  });

  it('judges only the type of a chart on a dataset whose file is invalid (the file’s own error stops the build)', () => {
    expect(check({ dataset: 'broken', series: ['anything'] })).toBeUndefined();
    expect(check({ dataset: 'broken', type: 'pie' })).toMatch(/type "pie" is not one of/);
  });
});

describe('the build-time <Chart> check', () => {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-charts-'));
  mkdirSync(join(root, 'content/data'), { recursive: true });
  writeFileSync(join(root, 'content/data/tag-daily.json'), JSON.stringify(createDailyDataset()));
  const essay = pathToFileURL(join(root, 'content/essays/some-essay/zh.mdx'));
  const compile = (source: string) => mdxToJs(source, { mdastPlugins: [checkCharts({ root })], fileURL: essay });

  it('lets a correct chart through', () => {
    expect(() => compile('Intro.\n\n<Chart dataset="tag-daily" series={["views"]} />\n')).not.toThrow();
  });

  it('fails naming the essay file, the line and the dataset', () => {
    expect(() => compile('Intro.\n\n<Chart dataset="no-such-data" />\n')).toThrow(
      /^content\/essays\/some-essay\/zh\.mdx, line 3: <Chart dataset="no-such-data">: there is no dataset "no-such-data"/,
    );
  });

  it('fails on an unknown series, however the list is quoted', () => {
    expect(() => compile("<Chart dataset=\"tag-daily\" series={['views', 'comment']} />\n")).toThrow(
      /zh\.mdx, line 1: .*unknown series "comment"/,
    );
  });

  it('leaves computed props to the check when the page renders', () => {
    expect(() => compile('export const picked = ["nope"]\n\n<Chart dataset="tag-daily" series={picked} />\n')).not.toThrow();
    expect(() => compile('export const props = { type: "pie" }\n\n<Chart dataset="tag-daily" {...props} />\n')).not.toThrow();
  });

  it('checks a chart written inside a paragraph too', () => {
    expect(() => compile('Look: <Chart dataset="tag-daily" type="pie" /> here.\n')).toThrow(/zh\.mdx, line 1: .*type "pie" is not one of/);
  });
});
