import type { SenderLimit } from './store.ts';

/** At most `max` comments per sender per `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export const defaultRateLimit = '5/10m';

const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Reads a rate limit setting (`COMMENTS_RATE_LIMIT` unless `setting` names another):
 * `<count>/<length><s|m|h|d>` such as `5/10m` or `20/1h` (`5/m` means per one minute);
 * `0` or `off` turns the limit off (null).
 */
export function parseRateLimit(
  value: string | undefined,
  { setting = 'COMMENTS_RATE_LIMIT', fallback = defaultRateLimit }: { setting?: string; fallback?: string } = {},
): RateLimit | null {
  const text = (value ?? '').trim() || fallback;
  if (text === '0' || text.toLowerCase() === 'off') return null;
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smhd])$/i.exec(text);
  const max = Number(match?.[1]);
  const length = match?.[2] ? Number(match[2]) : 1;
  const unit = match?.[3]?.toLowerCase() as keyof typeof unitMs | undefined;
  if (!match || !unit || !Number.isSafeInteger(max) || max < 1 || !Number.isSafeInteger(length) || length < 1) {
    throw new Error(`${setting} must look like "5/10m" (count/length with s, m, h or d) or be "0" to turn it off; got "${value}"`);
  }
  return { max, windowMs: length * unitMs[unit] };
}

/**
 * Comments without a fill-time token (a page without JavaScript) get half the allowance, at least one:
 * they skipped one of the checks, so they get less room.
 */
export function getStricterMax(max: number): number {
  return Math.max(1, Math.floor(max / 2));
}

/** The limit one comment is checked against, or undefined when limits are off. */
export function getSenderLimit(limit: RateLimit | null, options: { hasFormToken: boolean; now: Date }): SenderLimit | undefined {
  if (!limit) return undefined;
  return {
    max: options.hasFormToken ? limit.max : getStricterMax(limit.max),
    since: new Date(options.now.getTime() - limit.windowMs),
  };
}
