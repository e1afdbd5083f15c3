import { describe, expect, it } from 'vitest';
import { describeWait, getRetryAfterMs, getSenderLimit, getStricterMax } from '../../src/lib/http/rate-limit.ts';
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
    expect(getSenderLimit({ max: 5, windowMs: 600_000 }, { hasFormToken: true, now })).toEqual({
      max: 5,
      since: new Date('2025-05-01T11:50:00Z'),
    });
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

describe('the wait after a refusal', () => {
  const now = new Date('2025-05-01T12:00:00Z');
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const limit = getSenderLimit({ max: 3, windowMs: 600_000 }, { hasFormToken: true, now })!;

  it('lasts until the max-th newest post in the window leaves it, not the whole window', () => {
    // Posts 9, 4 and 1 minutes ago: the one of 9 minutes ago leaves the window in 1 minute.
    expect(getRetryAfterMs(limit, [minutesAgo(1), minutesAgo(9), minutesAgo(4)])).toBe(60_000);
    expect(getRetryAfterMs(limit, [minutesAgo(0.5), minutesAgo(2), minutesAgo(3)])).toBe(7 * 60_000);
  });

  it('counts from the stricter allowance of a form without a token: more posts must leave first', () => {
    const stricter = getSenderLimit({ max: 4, windowMs: 600_000 }, { hasFormToken: false, now })!;
    // max 2 of 4 posts: the second newest (6 minutes ago) must leave, in 4 minutes.
    expect(getRetryAfterMs(stricter, [minutesAgo(8), minutesAgo(1), minutesAgo(6), minutesAgo(7)])).toBe(4 * 60_000);
  });

  it('is zero when the posts that counted have left the window meanwhile', () => {
    expect(getRetryAfterMs(limit, [])).toBe(0);
    expect(getRetryAfterMs(limit, [minutesAgo(1), minutesAgo(2)])).toBe(0);
  });

  it('is said in minutes rounded up, or in seconds under a minute, never zero', () => {
    expect(describeWait(600)).toEqual({ unit: 'minutes', count: 10 });
    expect(describeWait(121)).toEqual({ unit: 'minutes', count: 3 });
    expect(describeWait(60)).toEqual({ unit: 'minutes', count: 1 });
    expect(describeWait(59.2)).toEqual({ unit: 'minutes', count: 1 });
    expect(describeWait(59)).toEqual({ unit: 'seconds', count: 59 });
    expect(describeWait(0)).toEqual({ unit: 'seconds', count: 1 });
  });
});
