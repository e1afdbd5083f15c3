import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';

/** `[2001:db8::1]:443` → `2001:db8::1`, `203.0.113.7:5000` → `203.0.113.7`, `::ffff:203.0.113.7` → `203.0.113.7`. */
function cleanAddress(value: string): string {
  let address = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (ipv4WithPort?.[1]) address = ipv4WithPort[1];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) address = mapped[1];
  return address;
}

/**
 * The sender's address: the socket's, unless `trustedHops` proxies stand in front of us. Each
 * proxy appends the address it received the request from to X-Forwarded-For, so the entry
 * `trustedHops` from the right was written by the outermost trusted proxy; anything left of it
 * is whatever the client claimed and is ignored.
 */
export function getClientAddress(socketAddress: string, forwardedFor: string | null, trustedHops: number): string {
  const fallback = cleanAddress(socketAddress);
  if (trustedHops === 0 || !forwardedFor) return fallback;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const candidate = entries[Math.max(0, entries.length - trustedHops)];
  const address = candidate === undefined ? '' : cleanAddress(candidate);
  return isIP(address) ? address : fallback;
}

/** The eight 16-bit groups of an IPv6 address, expanded. */
function expandIpv6(address: string): string[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => group.padStart(4, '0'));
}

/**
 * What the rate limit counts by: an IPv4 address, or an IPv6 /64 (one household or machine
 * usually holds a whole /64, so counting single IPv6 addresses would be no limit at all).
 */
export function getSenderKey(address: string): string {
  const cleaned = cleanAddress(address);
  if (isIP(cleaned) === 6) return `${expandIpv6(cleaned).slice(0, 4).join(':')}::/64`;
  return cleaned;
}

/** The only form in which a sender's address is stored: a keyed hash of its sender key. */
export function hashSender(address: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(`sender:${getSenderKey(address)}`)
    .digest('base64url')
    .slice(0, 32);
}
