import { describe, expect, it } from 'vitest';
import {
  createEmbedSnippet,
  describeCoverage,
  describeRevisions,
  findChartDatasetIds,
  getLastUpdated,
} from '../../src/lib/charts/dataset-page.ts';
import { findUnrecordedChanges } from '../../src/lib/datasets/revisions.ts';
import { createDataset, createRawDataset, datasetSchema } from './support/datasets.ts';

const withHistory = () =>
  createDataset((raw) => {
    Object.assign(raw, {
      revisions: [
        { date: '2025-01-17', change: 'add', x: '2025-01-16', values: { views: 170_000_000, notes: 3921 } },
        { date: '2025-01-20', change: 'replace', x: '2025-01-14', values: { views: { from: 11_000, to: 12_000 } } },
      ],
    });
  });

describe('a data page', () => {
  it('finds the datasets an essay draws, each once, and skips computed ids', () => {
    const mdx =
      '# T\n\n<Chart dataset="a" />\n\nText.\n\n<Chart dataset="b" type="bar" />\n\n<Chart dataset="a" />\n\n<Chart dataset={picked} />\n';
    expect(findChartDatasetIds(mdx)).toEqual(['a', 'b']);
    expect(findChartDatasetIds('No charts here.')).toEqual([]);
  });

  it('dates its last update by the latest revision, else by the source', () => {
    expect(getLastUpdated(createDataset())).toBe('2025-01-16');
    expect(getLastUpdated(withHistory())).toBe('2025-01-20');
  });

  it('describes the span of dates or the number of categories in the page language', () => {
    expect(describeCoverage(createDataset(), 'en')).toBe('January 14, 2025 to January 16, 2025');
    expect(describeCoverage(createDataset(), 'zh')).toBe('2025年1月14日至2025年1月16日');
  });

  it('lists the history newest first, with replaced values old → new', () => {
    expect(describeRevisions(withHistory(), 'en')).toEqual([
      { date: 'January 20, 2025', dateIso: '2025-01-20', text: 'Corrected January 14, 2025: Views 11,000 → 12,000' },
      { date: 'January 17, 2025', dateIso: '2025-01-17', text: 'Added January 16, 2025: Views: 170,000,000; Posts: 3,921' },
    ]);
    expect(describeRevisions(withHistory(), 'zh')[0]?.text).toBe('更正 2025年1月14日：浏览量 1.1万 → 1.2万');
    expect(describeRevisions(createDataset(), 'zh')).toEqual([]);
  });

  it('writes an iframe snippet whose attributes cannot be broken out of', () => {
    const snippet = createEmbedSnippet('https://example.org/zh/embed/charts/a/', 'A "quoted" <title> & more');
    expect(snippet).toBe(
      '<iframe src="https://example.org/zh/embed/charts/a/" title="A &quot;quoted&quot; &lt;title> &amp; more" width="100%" height="600" style="border:0;max-width:100%" loading="lazy"></iframe>',
    );
  });
});

describe('revisions in the schema', () => {
  const parse = (revisions: unknown) => datasetSchema.safeParse({ ...createRawDataset(), revisions });

  it('accepts the history npm run data writes, and none', () => {
    expect(parse([{ date: '2025-01-17', change: 'replace', x: '2025-01-14', values: { views: { from: 1, to: null } } }]).success).toBe(
      true,
    );
    expect(datasetSchema.parse(createRawDataset()).revisions).toEqual([]);
  });

  it('refuses a revision of an x or a series that does not exist, out of order, or of an unknown kind', () => {
    const messages = (revisions: unknown) => parse(revisions).error?.issues.map((issue) => issue.message) ?? [];
    expect(messages([{ date: '2025-01-17', change: 'add', x: '2025-02-01', values: { views: 1 } }])).toEqual([
      'revision x "2025-02-01" is not one of the x values',
    ]);
    expect(messages([{ date: '2025-01-17', change: 'add', x: '2025-01-14', values: { likes: 1 } }])).toEqual([
      'revision names no series "likes"',
    ]);
    expect(
      messages([
        { date: '2025-01-18', change: 'add', x: '2025-01-14', values: { views: 1 } },
        { date: '2025-01-17', change: 'add', x: '2025-01-15', values: { views: 1 } },
      ]),
    ).toEqual(['revisions must be in date order, oldest first']);
    expect(parse([{ date: '2025-01-17', change: 'delete', x: '2025-01-14', values: {} }]).success).toBe(false);
  });
});

describe('hand edits', () => {
  const input = () => structuredClone(createRawDataset()) as Parameters<typeof findUnrecordedChanges>[0];

  it('finds none when the history explains every value', () => {
    const logged = input();
    logged.series[0]!.values[0] = 12_500;
    logged.revisions = [{ date: '2025-01-17', change: 'replace', x: '2025-01-14', values: { views: { from: 12_000, to: 12_500 } } }];
    expect(findUnrecordedChanges(logged, input())).toEqual([]);
  });

  it('names a point whose value differs from its last revision, and points changed or removed since the committed file', () => {
    const edited = input();
    edited.revisions = [{ date: '2025-01-17', change: 'replace', x: '2025-01-14', values: { views: { from: 12_000, to: 12_500 } } }];
    edited.series[0]!.values[0] = 13_000;
    edited.series[1]!.values[1] = 50;
    expect(findUnrecordedChanges(edited, input())).toEqual([
      '2025-01-14 views is 13000, but its last revision recorded 12500',
      '2025-01-15 notes changed null → 50 without a revision',
    ]);
    const shortened = input();
    if (shortened.x.type !== 'date') throw new Error('a date dataset');
    shortened.x.values.pop();
    for (const series of shortened.series) series.values.pop();
    expect(findUnrecordedChanges(shortened, input())).toEqual(['2025-01-16 was removed without a revision']);
  });

  it('notices a history rewritten instead of added to', () => {
    const committed = input();
    committed.revisions = [{ date: '2025-01-17', change: 'add', x: '2025-01-14', values: { views: 12_000 } }];
    expect(findUnrecordedChanges(input(), committed)).toEqual([
      'the revision history differs from the committed one: revisions are only ever added',
    ]);
  });
});
