import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRawDataset, datasetSchema } from './support/datasets.ts';

type RawDataset = ReturnType<typeof createRawDataset>;

function getProblems(change: (raw: RawDataset & Record<string, unknown>) => void): string[] {
  const raw = createRawDataset();
  change(raw);
  const result = datasetSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the dataset schema', () => {
  it('accepts a valid dataset and fills in the defaults', () => {
    const dataset = datasetSchema.parse(createRawDataset());
    expect(dataset.illustrative).toBe(false);
    expect(dataset.series.map((series) => series.illustrative)).toEqual([false, false]);
  });

  it('names a series whose length differs from the x values', () => {
    expect(getProblems((raw) => raw.series[0]?.values.pop())).toEqual([
      'series.0.values: series "views" has 2 values but x has 3; use null for a gap',
    ]);
  });

  it('rejects an annotation on an x value that does not exist', () => {
    expect(getProblems((raw) => (raw.annotations[0]!.x = '2025-02-01'))).toEqual([
      'annotations.0.x: annotation x "2025-02-01" is not one of the x values',
    ]);
  });

  it('rejects repeated series ids, repeated or unordered dates and a series with no values', () => {
    expect(getProblems((raw) => (raw.series[1]!.id = 'views'))).toEqual(['series.1.id: series id "views" appears twice']);
    expect(getProblems((raw) => (raw.x.values = ['2025-01-14', '2025-01-14', '2025-01-16']))).toContain(
      'x.values: x value "2025-01-14" appears twice',
    );
    expect(getProblems((raw) => (raw.x.values = ['2025-01-16', '2025-01-15', '2025-01-17']))).toEqual([
      'x.values: dates must be in ascending order',
    ]);
    expect(getProblems((raw) => (raw.series[1]!.values = [null, null, null]))).toEqual(['series.1.values: series "notes" has no values']);
  });

  it('rejects malformed dates, text values, missing translations and unknown keys', () => {
    expect(getProblems((raw) => (raw.x.values[0] = '14 January'))).toHaveLength(1);
    expect(getProblems((raw) => ((raw.series[0]!.values as unknown[])[0] = '12,000'))).toHaveLength(1);
    expect(getProblems((raw) => (raw.title = { zh: '标题' } as RawDataset['title']))).toEqual([
      'title.en: Invalid input: expected string, received undefined',
    ]);
    expect(getProblems((raw) => (raw.colour = 'red'))).toHaveLength(1);
  });

  it('takes categories with a label per language', () => {
    const problems = getProblems((raw) => {
      Object.assign(raw, {
        x: {
          type: 'category',
          values: [
            { id: 'us', zh: '美国', en: 'US' },
            { id: 'br', zh: '巴西', en: 'Brazil' },
            { id: 'all', zh: '全平台', en: 'All' },
          ],
        },
        annotations: [{ x: 'br', label: { zh: '一个市场', en: 'One market' } }],
      });
    });
    expect(problems).toEqual([]);
  });

  it('accepts every dataset in content/data', () => {
    const dataDir = join(import.meta.dirname, '..', '..', 'content', 'data');
    const files = readdirSync(dataDir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const name of files) {
      const result = datasetSchema.safeParse(JSON.parse(readFileSync(join(dataDir, name), 'utf8')));
      expect(result.success, `${name}: ${result.error?.message}`).toBe(true);
      expect(result.data?.id).toBe(name.replace(/\.json$/, ''));
    }
  });
});
