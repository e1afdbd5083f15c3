import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/lib/datasets/dataset-error.ts';
import { createFileAtomically, listDatasetProblems, readDatasetFile, replaceFileAtomically } from '../../src/lib/datasets/dataset-files.ts';
import { formatDatasetJson } from '../../src/lib/datasets/dataset-json.ts';
import {
  createDatasetDraft,
  describeInvalidDatasetId,
  parseSeriesSpec,
  type DatasetDraftOptions,
} from '../../src/lib/datasets/dataset-scaffold.ts';
import { applyObservation } from '../../src/lib/datasets/observation.ts';
import { createDailyDataset } from './support/data-log-datasets.ts';

const root = mkdtempSync(join(tmpdir(), 'duizhao-data-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const draftOptions: DatasetDraftOptions = {
  id: 'signups-daily',
  title: { zh: '每日注册', en: 'Daily sign-ups' },
  retrieved: '2025-01-14',
  xType: 'date',
  series: ['signups:注册:Sign-ups'],
};

describe('series and dataset ids', () => {
  it('reads id:中文名:English name, keeping colons in the English name', () => {
    expect(parseSeriesSpec('views:浏览量:Views')).toEqual({ id: 'views', name: { zh: '浏览量', en: 'Views' } });
    expect(parseSeriesSpec('ratio:比例:Ratio: A to B')).toEqual({ id: 'ratio', name: { zh: '比例', en: 'Ratio: A to B' } });
  });

  it('refuses a spec without both names or with a bad id', () => {
    for (const spec of ['views', 'views:浏览量', 'views::Views', ':浏览量:Views']) {
      expect(() => parseSeriesSpec(spec), spec).toThrow('must be id:中文名:English name');
    }
    expect(() => parseSeriesSpec('Views:浏览量:Views')).toThrow('cannot be a series id');
  });

  it('takes kebab-case dataset ids only', () => {
    expect(describeInvalidDatasetId('tag-daily')).toBeUndefined();
    for (const id of ['Tag', 'tag_daily', 'two--hyphens', '-lead', '../escape', ''])
      expect(describeInvalidDatasetId(id), id).toContain('cannot be a dataset id');
  });
});

describe('a new dataset', () => {
  it('passes the schema once it has its first observation, and says which fields were filled in', () => {
    const draft = createDatasetDraft(draftOptions);
    expect(draft.defaulted).toEqual([
      'description (copied from the title)',
      'unit (数值 / value)',
      "source (作者记录 / The author's own records)",
    ]);
    expect(listDatasetProblems(draft.dataset)).toContain('x.values: Too small: expected array to have >=1 items');
    const { dataset } = applyObservation(draft.dataset, { x: '2025-01-14', values: new Map([['signups', 1200]]) }, { replace: false });
    expect(listDatasetProblems(dataset)).toEqual([]);
    expect(dataset).toEqual({
      id: 'signups-daily',
      title: { zh: '每日注册', en: 'Daily sign-ups' },
      description: { zh: '每日注册', en: 'Daily sign-ups' },
      source: { name: { zh: '作者记录', en: "The author's own records" }, retrieved: '2025-01-14' },
      unit: { zh: '数值', en: 'value' },
      x: { type: 'date', values: ['2025-01-14'] },
      series: [{ id: 'signups', name: { zh: '注册', en: 'Sign-ups' }, values: [1200] }],
    });
  });

  it('uses the given texts and a single `value` series when none is named', () => {
    const draft = createDatasetDraft({
      ...draftOptions,
      xType: 'category',
      series: [],
      unit: { zh: '人', en: 'people' },
      description: { zh: '说明', en: 'About' },
      sourceName: { zh: '报告', en: 'Report' },
      sourceUrl: 'https://example.org/report',
    });
    expect(draft.defaulted).toEqual(['series (value)']);
    expect(draft.dataset.x).toEqual({ type: 'category', values: [] });
    expect(draft.dataset.series.map((series) => series.id)).toEqual(['value']);
    expect(draft.dataset.source).toEqual({
      name: { zh: '报告', en: 'Report' },
      url: 'https://example.org/report',
      retrieved: '2025-01-14',
    });
  });

  it('refuses a bad id and a series named twice; the schema catches a series with no value and a bad URL', () => {
    expect(() => createDatasetDraft({ ...draftOptions, id: 'Signups' })).toThrow(DatasetError);
    expect(() => createDatasetDraft({ ...draftOptions, series: ['a:甲:A', 'a:乙:B'] })).toThrow('--series “a” is given twice');
    const draft = createDatasetDraft({ ...draftOptions, series: ['a:甲:A', 'b:乙:B'], sourceUrl: 'not a url' });
    const { dataset } = applyObservation(draft.dataset, { x: '2025-01-14', values: new Map([['a', 1]]) }, { replace: false });
    expect(listDatasetProblems(dataset)).toEqual(['source.url: Invalid URL', 'series.1.values: series "b" has no values']);
  });
});

describe('dataset files', () => {
  const dataDir = join(root, 'content/data');
  const write = (name: string, text: string) => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, name), text);
  };

  it('reads a valid file, and names the file and the known datasets when one is missing', () => {
    write('tag-daily.json', formatDatasetJson(createDailyDataset()));
    expect(readDatasetFile(root, 'tag-daily').dataset).toEqual(createDailyDataset());
    expect(() => readDatasetFile(root, 'nope')).toThrow(
      'content/data/nope.json does not exist: no dataset “nope”. Known datasets: tag-daily',
    );
  });

  it('refuses a file that is not JSON, fails the schema, or has an id other than its name', () => {
    write('broken.json', '{ "id": ');
    expect(() => readDatasetFile(root, 'broken')).toThrow(
      'content/data/broken.json is not valid JSON (ValueExpected) (line 1); fix it by hand first',
    );
    write('invalid.json', JSON.stringify({ ...createDailyDataset(), id: 'invalid', unit: 'views' }));
    expect(() => readDatasetFile(root, 'invalid')).toThrow(
      'content/data/invalid.json does not pass the dataset schema; fix it by hand first: unit: Invalid input: expected object, received string (line 1)',
    );
    write('renamed.json', formatDatasetJson(createDailyDataset()));
    expect(() => readDatasetFile(root, 'renamed')).toThrow(
      'content/data/renamed.json: "id" is “tag-daily”; it must match the file name, “renamed”',
    );
  });

  it('replaces and creates files whole, refusing to create over an existing file, and leaves no temporary file', () => {
    const path = join(dataDir, 'atomic.json');
    createFileAtomically(path, 'one\n');
    expect(() => createFileAtomically(path, 'two\n')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(path, 'utf8')).toBe('one\n');
    replaceFileAtomically(path, 'three\n');
    expect(readFileSync(path, 'utf8')).toBe('three\n');
    expect(() => replaceFileAtomically(join(dataDir, 'missing-folder/x.json'), 'x')).toThrow();
    expect(readdirSync(dataDir).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
