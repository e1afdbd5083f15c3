import { createHmac } from 'node:crypto';
import { isbot } from 'isbot';
import { getSenderKey } from '../http/client-address.ts';

/** The UTC day of `date` as YYYY-MM-DD: views are counted per reader per essay per UTC day. */
export function getUtcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The UTC day `days` before `day`. */
export function shiftUtcDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return getUtcDay(date);
}

/** Why a request is not a reader's view, or undefined when it is one. */
export type UncountedReason = 'bot' | 'prefetch';

/**
 * Crawlers (by user agent, or none at all) and speculative loads (link prefetch, speculation rules,
 * previews) are not readers. A prerendered page only reports its view once it is shown.
 */
export function getUncountedReason(headers: Headers): UncountedReason | undefined {
  const userAgent = headers.get('user-agent')?.trim() ?? '';
  if (userAgent === '' || isbot(userAgent)) return 'bot';
  const purpose = [headers.get('sec-purpose'), headers.get('purpose'), headers.get('x-purpose'), headers.get('x-moz')]
    .join(' ')
    .toLowerCase();
  if (/\b(prefetch|prerender|preview)\b/.test(purpose)) return 'prefetch';
  return undefined;
}

/**
 * Who counts as the same reader for one day: their network (an IPv4 address or IPv6 /64), their
 * browser's user agent and the essay, under the day's random salt. The salt is deleted after the
 * day, so the hash cannot be recomputed or tied to anyone afterwards. Language is left out on
 * purpose: reading both versions of an essay is one view.
 */
export function hashVisitor(salt: string, visitor: { address: string; userAgent: string; essay: string }): string {
  return createHmac('sha256', salt)
    .update(`${getSenderKey(visitor.address)}\n${visitor.userAgent}\n${visitor.essay}`)
    .digest('base64url')
    .slice(0, 27);
}

/**
 * A network's views of one essay on one day, for the per-network limit: the same network key as
 * hashVisitor without the browser, so changing the user agent does not make a new network.
 */
export function hashNetwork(salt: string, network: { address: string; essay: string }): string {
  return createHmac('sha256', salt)
    .update(`network:${getSenderKey(network.address)}\n${network.essay}`)
    .digest('base64url')
    .slice(0, 27);
}

/** The device's made-up reader id, as stored: keyed, so a leaked table does not give the ids back. */
export function hashReader(readerId: string, secret: string): string {
  return createHmac('sha256', secret).update(`reader:${readerId}`).digest('base64url').slice(0, 27);
}
