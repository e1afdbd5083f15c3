import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDatasetJson } from '../../src/lib/datasets/dataset-json.ts';
import { formatDatasetTable } from '../../src/lib/datasets/dataset-table.ts';
import { getDisplayWidth } from '../../src/lib/datasets/display-width.ts';
import { createCategoryDataset, createDailyDataset } from './support/data-log-datasets.ts';

describe('the dataset file layout', () => {
  it('writes every dataset in content/data back byte for byte', () => {
    const dataDir = join(import.meta.dirname, '..', '..', 'content', 'data');
    const files = readdirSync(dataDir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const name of files) {
      const source = readFileSync(join(dataDir, name), 'utf8');
      expect(formatDatasetJson(JSON.parse(source)), name).toBe(source);
    }
  });

  it('keeps number and date lists and short pairs on one line, table rows one per line, and ends with a newline', () => {
    const text = formatDatasetJson(createCategoryDataset());
    expect(text).toContain('\n  "unit": { "zh": "人", "en": "people" },\n');
    expect(text).toContain(
      '\n      { "id": "us", "zh": "美国", "en": "US" },\n      { "id": "brazil", "zh": "巴西", "en": "Brazil" }\n    ]',
    );
    expect(text).toContain('"values": [170000000, 60000000]');
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(createCategoryDataset());
  });

  it('spreads a pair that would make a long line, and leaves out undefined fields', () => {
    const dataset = { ...createDailyDataset(), notes: { zh: '很长的说明'.repeat(6), en: 'A long note' }, licence: undefined };
    const text = formatDatasetJson(dataset);
    expect(text).toContain(`  "notes": {\n    "zh": "${'很长的说明'.repeat(6)}",\n    "en": "A long note"\n  }\n}\n`);
    expect(text).not.toContain('licence');
  });
});

describe('the dataset table', () => {
  it('counts a Chinese character as two columns', () => {
    expect(getDisplayWidth('浏览量')).toBe(6);
    expect(getDisplayWidth('Kwai（巴西）')).toBe(12);
    expect(getDisplayWidth('views')).toBe(5);
  });

  it('shows dates with series titles in the language asked for, numbers right-aligned and gaps as —', () => {
    expect(formatDatasetTable(createDailyDataset(), { locale: 'zh', showIds: false })).toBe(
      [
        '日期        浏览量  笔记',
        '----------  ------  ----',
        '2025-01-14   12000    40',
        '2025-01-16   32000     —',
        '2025-01-18  170000  3921',
      ].join('\n'),
    );
    expect(formatDatasetTable(createDailyDataset(), { locale: 'en', showIds: false }).split('\n')[0]).toBe('Date         Views  Posts');
  });

  it('shows categories by name, or by id with --ids', () => {
    expect(formatDatasetTable(createCategoryDataset(), { locale: 'en', showIds: false })).toBe(
      ['Category      Users', '--------  ---------', 'US        170000000', 'Brazil     60000000'].join('\n'),
    );
    expect(formatDatasetTable(createCategoryDataset(), { locale: 'zh', showIds: true })).toBe(
      ['x           users', '------  ---------', 'us      170000000', 'brazil   60000000'].join('\n'),
    );
  });
});
