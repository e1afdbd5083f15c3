import { describe, expect, it } from 'vitest';
import { formatDatasetJson } from '../../src/lib/datasets/dataset-json.ts';
import { parseDatasetSource } from '../../src/lib/datasets/dataset-files.ts';
import { createDailyDataset } from './support/data-log-datasets.ts';

const path = 'content/data/tag-daily.json';
const problemsOf = (source: string, id = 'tag-daily') => {
  const loaded = parseDatasetSource(id, path, source);
  return loaded.isValid ? [] : loaded.problems;
};
const lineOf = (source: string, text: string) => source.split('\n').findIndex((line) => line.includes(text)) + 1;

describe('the dataset loader the build, check:content and npm run data share', () => {
  const valid = formatDatasetJson(createDailyDataset());

  it('reads a valid file as written and with the schema’s defaults', () => {
    const loaded = parseDatasetSource('tag-daily', path, valid);
    expect(loaded).toMatchObject({
      isValid: true,
      input: createDailyDataset(),
      dataset: { illustrative: false, series: [{ illustrative: false }, { illustrative: false }] },
    });
  });

  it('puts each schema problem at its line, and a missing field at the object that lacks it', () => {
    const source = valid.replace('"retrieved": "2025-01-16"', '"retrieved": "someday"').replace(/"unit": \{[^}]*\},?\n/, '');
    expect(problemsOf(source)).toEqual([
      {
        kind: 'schema',
        line: lineOf(source, 'someday'),
        column: expect.any(Number),
        message: expect.stringMatching(/^source\.retrieved: /),
      },
      { kind: 'schema', line: 1, column: 1, message: 'unit: Invalid input: expected object, received undefined' },
    ]);
  });

  it('refuses an id other than the file name, at the id', () => {
    expect(problemsOf(valid, 'other')).toEqual([
      { kind: 'id', line: 2, column: 3, message: '"id" is “tag-daily”; it must match the file name, “other”' },
    ]);
  });

  it('refuses what is not JSON, at the spot: empty, a BOM, comments, trailing commas', () => {
    expect(problemsOf('')).toEqual([{ kind: 'json', line: 1, column: 1, message: 'not valid JSON (ValueExpected)' }]);
    expect(problemsOf('\uFEFF{}')).toEqual([{ kind: 'json', line: 1, column: 1, message: 'not valid JSON (InvalidSymbol)' }]);
    expect(problemsOf('{\n  // note\n  "id": "tag-daily"\n}')).toEqual([
      { kind: 'json', line: 2, column: 3, message: 'not valid JSON (InvalidCommentToken)' },
    ]);
    expect(problemsOf('{\n  "id": "tag-daily",\n}')).toEqual([
      { kind: 'json', line: 3, column: 1, message: 'not valid JSON (PropertyNameExpected)' },
    ]);
  });

  it('answers a file nested too deeply for a recursive parser with a problem, not a crash', () => {
    expect(problemsOf('['.repeat(100_000) + ']'.repeat(100_000))).toEqual([
      { kind: 'schema', line: 1, column: 1, message: '(file): Invalid input: expected object, received array' },
    ]);
  });
});
