import { describe, expect, it } from 'vitest';
import { getSenderLimit, getStricterMax } from '../../src/lib/http/rate-limit.ts';
import { parseRateLimit } from '../../src/lib/server-config.ts';

describe('COMMENTS_RATE_LIMIT', () => {
  it('defaults to 5 per 10 minutes', () => {
    expect(parseRateLimit(undefined)).toEqual({ max: 5, windowMs: 600_000 });
    expect(parseRateLimit('')).toEqual({ max: 5, windowMs: 600_000 });
  });

  it('reads count/length with a unit', () => {
    expect(parseRateLimit('5/10m')).toEqual({ max: 5, windowMs: 600_000 });
    expect(parseRateLimit('20/1h')).toEqual({ max: 20, windowMs: 3_600_000 });
    expect(parseRateLimit('3/m')).toEqual({ max: 3, windowMs: 60_000 });
    expect(parseRateLimit(' 100 / 30s ')).toEqual({ max: 100, windowMs: 30_000 });
    expect(parseRateLimit('1/1d')).toEqual({ max: 1, windowMs: 86_400_000 });
  });

  it('turns off with 0 or off', () => {
    expect(parseRateLimit('0')).toBeNull();
    expect(parseRateLimit('off')).toBeNull();
  });

  it('refuses what it cannot read rather than running without a limit', () => {
    for (const value of ['5', '5/10', '0/10m', '5/0m', 'five/10m', '5/10x', '-1/10m']) {
      expect(() => parseRateLimit(value), value).toThrow(/COMMENTS_RATE_LIMIT/);
    }
  });
});

describe('sender limits', () => {
  const now = new Date('2025-05-01T12:00:00Z');

  it('counts from one window back', () => {
    expect(getSenderLimit({ max: 5, windowMs: 600_000 }, { hasFormToken: true, now })).toEqual({ max: 5, since: new Date('2025-05-01T11:50:00Z') });
  });

  it('halves the allowance for forms sent without a fill-time token, never below one', () => {
    expect(getSenderLimit({ max: 5, windowMs: 600_000 }, { hasFormToken: false, now })?.max).toBe(2);
    expect(getStricterMax(1)).toBe(1);
    expect(getStricterMax(10)).toBe(5);
  });

  it('has no limit when limits are off', () => {
    expect(getSenderLimit(null, { hasFormToken: false, now })).toBeUndefined();
  });
});
