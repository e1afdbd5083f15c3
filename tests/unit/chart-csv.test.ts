import { describe, expect, it } from 'vitest';
import { getDatasetCsv, toCsv } from '../../src/lib/charts/csv.ts';
import { createDataset } from './support/datasets.ts';

describe('toCsv', () => {
  it('starts with a byte-order mark and ends every row with CRLF', () => {
    const csv = toCsv([
      ['a', 'b'],
      [1, 2],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFFa,b\r\n1,2\r\n');
  });

  it('quotes cells with commas, quotes, line breaks or edge spaces, and doubles inner quotes', () => {
    expect(toCsv([['小红书，全平台', 'say "hi"', 'two\nlines', ' padded', 'plain']])).toBe(
      '\uFEFF小红书，全平台,"say ""hi""","two\nlines"," padded",plain\r\n',
    );
    expect(toCsv([['a,b']])).toBe('\uFEFF"a,b"\r\n');
  });

  it('writes a gap as an empty cell, not as 0 or "null"', () => {
    expect(toCsv([[1, null, 3]])).toBe('\uFEFF1,,3\r\n');
  });
});

describe('getDatasetCsv', () => {
  it('has headers in the chosen language, ISO dates, raw numbers, gaps and annotations', () => {
    const dataset = createDataset();
    expect(getDatasetCsv(dataset, 'zh')).toBe(
      '\uFEFF日期,浏览量,笔记,标注\r\n2025-01-14,12000,40,\r\n2025-01-15,32000,,开始涌入\r\n2025-01-16,170000000,3921,\r\n',
    );
    expect(getDatasetCsv(dataset, 'en').split('\r\n')[0]).toBe('\uFEFFDate,Views,Posts,Annotation');
  });

  it('marks illustrative series in the header, so the caveat travels with the data', () => {
    const dataset = createDataset((raw) => Object.assign(raw.series[0]!, { illustrative: true }));
    expect(getDatasetCsv(dataset, 'zh').split('\r\n')[0]).toBe('\uFEFF日期,浏览量（示意）,笔记,标注');
    expect(getDatasetCsv(dataset, 'en').split('\r\n')[0]).toBe('\uFEFFDate,Views (illustrative),Posts,Annotation');
  });

  it('writes category names in the chosen language, quoted when they hold a comma', () => {
    const dataset = createDataset((raw) =>
      Object.assign(raw, {
        x: {
          type: 'category',
          values: [
            { id: 'us', zh: '美国', en: 'US' },
            { id: 'all', zh: '全平台', en: 'All markets, worldwide' },
            { id: 'br', zh: '巴西', en: 'Brazil' },
          ],
        },
        annotations: [],
      }),
    );
    expect(getDatasetCsv(dataset, 'en')).toBe(
      '\uFEFFCategory,Views,Posts\r\nUS,12000,40\r\n"All markets, worldwide",32000,\r\nBrazil,170000000,3921\r\n',
    );
  });
});
