/** At most `max` actions (comments, collects) from one sender (by address hash) since `since`, as a store checks it. */
export interface SenderLimit {
  max: number;
  since: Date;
}

/** At most `max` actions per sender per `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
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

/**
 * How long until a sender refused by `limit` may act again: until the `max`-th newest of their
 * actions still in the window (`recent`, from the store) leaves it, after which fewer than `max`
 * remain. Zero when there is no such action (they left the window meanwhile).
 */
export function getRetryAfterMs(limit: SenderLimit, recent: readonly Date[]): number {
  const newestFirst = recent.map((at) => at.getTime()).sort((a, b) => b - a);
  const blocking = newestFirst[limit.max - 1];
  return blocking === undefined ? 0 : Math.max(0, blocking - limit.since.getTime());
}

/** A wait as people say it: whole minutes (rounded up), or seconds when under a minute; never zero. */
export function describeWait(seconds: number): { unit: 'seconds' | 'minutes'; count: number } {
  const whole = Math.max(1, Math.ceil(seconds));
  return whole < 60 ? { unit: 'seconds', count: whole } : { unit: 'minutes', count: Math.ceil(whole / 60) };
}
