import { describe, expect, it } from 'vitest';
import { formatCompactNumber, formatDate, formatExactNumber, formatNumber, toIsoDate } from '../../src/lib/format.ts';

describe('formatDate', () => {
  const date = new Date('2025-01-16');
  it('writes Chinese dates with 年月日', () => expect(formatDate(date, 'zh')).toBe('2025年1月16日'));
  it('writes English dates with the month name', () => expect(formatDate(date, 'en')).toBe('January 16, 2025'));
  it('does not shift the day with the time zone', () => expect(toIsoDate(new Date('2025-01-19'))).toBe('2025-01-19'));
});

describe('formatCompactNumber', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(formatCompactNumber(170_000_000, 'zh')).toBe('1.7亿');
    expect(formatCompactNumber(32_000, 'zh')).toBe('3.2万');
    expect(formatCompactNumber(12_345, 'zh')).toBe('1.2万');
  });
  it('uses K and M in English', () => {
    expect(formatCompactNumber(170_000_000, 'en')).toBe('170M');
    expect(formatCompactNumber(32_000, 'en')).toBe('32K');
  });
  it('leaves small numbers whole', () => expect(formatCompactNumber(3921, 'zh')).toBe('3921'));
});

describe('formatNumber', () => {
  it('groups thousands', () => {
    expect(formatNumber(700_000, 'en')).toBe('700,000');
    expect(formatNumber(700_000, 'zh')).toBe('700,000');
  });
});

describe('formatExactNumber', () => {
  it('writes Chinese numbers in myriads without rounding, English ones in grouped thousands', () => {
    expect(formatExactNumber(61_000_000, 'zh')).toBe('6100万');
    expect(formatExactNumber(36_512_345, 'zh')).toBe('3651.2345万');
    expect(formatExactNumber(123_456_789, 'zh')).toBe('1.23456789亿');
    expect(formatExactNumber(3921, 'zh')).toBe('3921');
    expect(formatExactNumber(61_000_000, 'en')).toBe('61,000,000');
    expect(formatExactNumber(1234.5, 'en')).toBe('1,234.5');
  });
});
