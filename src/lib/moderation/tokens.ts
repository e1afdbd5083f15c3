import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random session token for the cookie: 32 bytes, base64url. */
export function createSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a session token: its SHA-256, so a leaked database opens no session. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The session's CSRF token: derived from the session token, so it needs no storage and dies with the session. */
export function getCsrfToken(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/** Constant-time string comparison. */
function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a request's CSRF token belongs to the session. */
export function isValidCsrfToken(given: string | null | undefined, sessionToken: string): boolean {
  return typeof given === 'string' && given !== '' && isSameSecret(given, getCsrfToken(sessionToken));
}
