import { describe, expect, it } from 'vitest';
import type { DatasetInput } from '../../src/lib/charts/dataset-schema.ts';
import { DatasetError } from '../../src/lib/datasets/dataset-error.ts';
import { listDatasetProblems } from '../../src/lib/datasets/dataset-files.ts';
import { describeInvalidDate } from '../../src/lib/datasets/iso-date.ts';
import { applyObservation, type Observation } from '../../src/lib/datasets/observation.ts';
import { parseSeriesAssignments, parseSeriesValue } from '../../src/lib/datasets/observation-values.ts';
import { createCategoryDataset, createDailyDataset } from './support/data-log-datasets.ts';

function observe(x: string, values: Record<string, number | null>, extra: Partial<Observation> = {}): Observation {
  return { x, values: new Map(Object.entries(values)), ...extra };
}

function getSeriesValues(dataset: DatasetInput): Record<string, (number | null)[]> {
  return Object.fromEntries(dataset.series.map((series) => [series.id, series.values]));
}

function getErrorMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a DatasetError');
}

describe('parsing series values', () => {
  it('takes plain numbers and null for a gap', () => {
    expect(parseSeriesAssignments(['views=12000', 'notes=-3.5', 'comments=1e6', 'likes=null'])).toEqual(
      new Map<string, number | null>([
        ['views', 12_000],
        ['notes', -3.5],
        ['comments', 1_000_000],
        ['likes', null],
      ]),
    );
    expect(parseSeriesValue('0.25', 'views')).toBe(0.25);
  });

  it('refuses text, grouping commas, hex, infinity and empty values, naming the series', () => {
    for (const text of ['12,000', 'lots', '', '0x10', 'Infinity', '1e999', '12 000', 'NaN']) {
      expect(
        getErrorMessage(() => parseSeriesValue(text, 'views')),
        text,
      ).toContain(`the value “${text}” for views is not a number`);
    }
  });

  it('refuses a missing "=", a series given twice and no values at all', () => {
    expect(getErrorMessage(() => parseSeriesAssignments(['views']))).toContain('“views” is not <series>=<value>');
    expect(getErrorMessage(() => parseSeriesAssignments(['=5']))).toContain('is not <series>=<value>');
    expect(getErrorMessage(() => parseSeriesAssignments(['views=1', 'views=2']))).toBe('views is given twice');
    expect(getErrorMessage(() => parseSeriesAssignments([]))).toContain('name at least one value');
  });
});

describe('dates', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    expect(describeInvalidDate('2024-02-29')).toBeUndefined();
    expect(describeInvalidDate('2025-02-29')).toBe('“2025-02-29” is not a real date');
    expect(describeInvalidDate('2025-13-01')).toBe('“2025-13-01” is not a real date');
    for (const text of ['2025-1-3', '20250103', '2025/01/03', '14 January', '2025-01-03T00:00']) {
      expect(describeInvalidDate(text), text).toContain('is not a date written YYYY-MM-DD');
    }
  });
});

describe('adding an observation to a date dataset', () => {
  it('appends a later date, giving unnamed series a gap', () => {
    const { dataset, changes } = applyObservation(createDailyDataset(), observe('2025-01-20', { views: 90_000 }), { replace: false });
    expect(dataset.x.values).toEqual(['2025-01-14', '2025-01-16', '2025-01-18', '2025-01-20']);
    expect(getSeriesValues(dataset)).toEqual({ views: [12_000, 32_000, 170_000, 90_000], notes: [40, null, 3921, null] });
    expect(changes).toEqual([
      { seriesId: 'views', before: undefined, after: 90_000 },
      { seriesId: 'notes', before: undefined, after: null },
    ]);
    expect(listDatasetProblems(dataset)).toEqual([]);
  });

  it('inserts an earlier or in-between date at its place, moving every series with it', () => {
    const first = applyObservation(createDailyDataset(), observe('2025-01-10', { views: 1, notes: 2 }), { replace: false }).dataset;
    expect(first.x.values).toEqual(['2025-01-10', '2025-01-14', '2025-01-16', '2025-01-18']);
    expect(getSeriesValues(first)).toEqual({ views: [1, 12_000, 32_000, 170_000], notes: [2, 40, null, 3921] });
    const middle = applyObservation(first, observe('2025-01-17', { notes: 7 }), { replace: false }).dataset;
    expect(middle.x.values).toEqual(['2025-01-10', '2025-01-14', '2025-01-16', '2025-01-17', '2025-01-18']);
    expect(getSeriesValues(middle)).toEqual({ views: [1, 12_000, 32_000, null, 170_000], notes: [2, 40, null, 7, 3921] });
    expect(middle.annotations).toEqual(createDailyDataset().annotations);
    expect(listDatasetProblems(middle)).toEqual([]);
  });

  it('leaves the dataset it was given alone', () => {
    const original = createDailyDataset();
    applyObservation(original, observe('2025-01-15', { views: 5 }), { replace: false });
    expect(original).toEqual(createDailyDataset());
  });

  it('refuses a date that is already there, unknown series, malformed dates and category names', () => {
    const dataset = createDailyDataset();
    const add = (observation: Observation) => getErrorMessage(() => applyObservation(dataset, observation, { replace: false }));
    expect(add(observe('2025-01-16', { views: 1 }))).toBe('already has 2025-01-16; to correct it, add --replace');
    expect(add(observe('2025-01-19', { likes: 1 }))).toBe('no series “likes”; the series are views, notes');
    expect(add(observe('2025-02-30', { views: 1 }))).toBe("“2025-02-30” is not a real date: this dataset's x axis is dates");
    expect(add(observe('19 Jan', { views: 1 }))).toContain('is not a date written YYYY-MM-DD');
    expect(add(observe('views=1', { views: 1 }))).toContain('is a value, not an x');
    expect(add(observe('2025-01-19', { views: 1 }, { categoryNames: { zh: '一', en: 'One' } }))).toContain(
      '--zh and --en name a new category',
    );
  });
});

describe('replacing an observation', () => {
  it('changes only the named series at that date', () => {
    const { dataset, changes } = applyObservation(createDailyDataset(), observe('2025-01-16', { notes: 80 }), { replace: true });
    expect(dataset.x.values).toEqual(createDailyDataset().x.values);
    expect(getSeriesValues(dataset)).toEqual({ views: [12_000, 32_000, 170_000], notes: [40, 80, 3921] });
    expect(changes).toEqual([{ seriesId: 'notes', before: null, after: 80 }]);
  });

  it('can blank a value, and the schema catches a series left with none', () => {
    const gap = applyObservation(createDailyDataset(), observe('2025-01-14', { views: null }), { replace: true }).dataset;
    expect(getSeriesValues(gap).views).toEqual([null, 32_000, 170_000]);
    expect(listDatasetProblems(gap)).toEqual([]);
    let emptied = applyObservation(createDailyDataset(), observe('2025-01-14', { notes: null }), { replace: true }).dataset;
    emptied = applyObservation(emptied, observe('2025-01-18', { notes: null }), { replace: true }).dataset;
    expect(listDatasetProblems(emptied)).toEqual(['series.1.values: series "notes" has no values']);
  });

  it('refuses an x that is not there', () => {
    expect(getErrorMessage(() => applyObservation(createDailyDataset(), observe('2025-01-15', { views: 1 }), { replace: true }))).toBe(
      'has no 2025-01-15 to replace; leave out --replace to add it',
    );
    expect(getErrorMessage(() => applyObservation(createCategoryDataset(), observe('india', { users: 1 }), { replace: true }))).toBe(
      'has no category “india” to replace; leave out --replace to add it',
    );
  });
});

describe('category datasets', () => {
  it('adds a new category at the end with its names in both languages', () => {
    const names = { zh: '印度', en: 'India' };
    const { dataset } = applyObservation(createCategoryDataset(), observe('india', { users: 5 }, { categoryNames: names }), {
      replace: false,
    });
    expect(dataset.x).toEqual({
      type: 'category',
      values: [
        { id: 'us', zh: '美国', en: 'US' },
        { id: 'brazil', zh: '巴西', en: 'Brazil' },
        { id: 'india', ...names },
      ],
    });
    expect(getSeriesValues(dataset)).toEqual({ users: [170_000_000, 60_000_000, 5] });
    expect(listDatasetProblems(dataset)).toEqual([]);
  });

  it('replaces the value of an existing category', () => {
    const { dataset } = applyObservation(createCategoryDataset(), observe('brazil', { users: 61_000_000 }), { replace: true });
    expect(getSeriesValues(dataset)).toEqual({ users: [170_000_000, 61_000_000] });
  });

  it('refuses an unknown category without names, an existing one, renaming, and a bad id', () => {
    const add = (observation: Observation) =>
      getErrorMessage(() => applyObservation(createCategoryDataset(), observation, { replace: false }));
    expect(add(observe('india', { users: 1 }))).toBe(
      'no category “india”; the categories are us, brazil. To add a new one, name it in both languages: --zh 名称 --en Name',
    );
    expect(add(observe('us', { users: 1 }))).toBe('already has category “us”; to correct it, add --replace');
    expect(add(observe('us', { users: 1 }, { categoryNames: { zh: '美', en: 'U' } }))).toContain('category “us” already exists');
    expect(add(observe('New_Market', { users: 1 }, { categoryNames: { zh: '新', en: 'New' } }))).toContain(
      '“New_Market” cannot be a category id',
    );
  });
});
