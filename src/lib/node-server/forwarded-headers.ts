import type { IncomingHttpHeaders } from 'node:http';
import { getClientAddress } from '../http/client-address.ts';

/** Headers through which a client or proxy could say who or where it is; none reaches Astro as sent. */
export const forwardedHeaderNames = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-real-ip',
] as const;

export interface ForwardedRewrite {
  /** The public origin (public-origin.ts): the only host and protocol Astro may see. */
  publicOrigin: URL;
  /** The TCP peer's address. */
  socketAddress: string | undefined;
  /** TRUST_PROXY: with 0 nothing a client sends changes its address. */
  trustedProxyHops: number;
}

function joinHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Rewrites a request's headers in place before Astro reads them. Astro 7.4.7 believes Host,
 * X-Forwarded-Proto/-Host/-Port and the leftmost X-Forwarded-For whenever they match
 * `security.allowedDomains`, which a client can make them do; so every such header is removed and
 * replaced by what this server knows: Host and X-Forwarded-Proto from the public origin, and, only
 * behind trusted proxies, an X-Forwarded-For holding the one address those proxies vouch for
 * (counted from the right, as src/lib/comments/client-address.ts does). Returns that address.
 */
export function rewriteForwardedHeaders(
  headers: IncomingHttpHeaders,
  { publicOrigin, socketAddress, trustedProxyHops }: ForwardedRewrite,
): string {
  const address = getClientAddress(socketAddress ?? '', joinHeader(headers['x-forwarded-for']), trustedProxyHops);
  for (const name of forwardedHeaderNames) delete headers[name];
  headers.host = publicOrigin.host;
  headers['x-forwarded-proto'] = publicOrigin.protocol.slice(0, -1);
  if (trustedProxyHops > 0 && address !== '') headers['x-forwarded-for'] = address;
  return address;
}
