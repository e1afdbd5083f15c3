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
