import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The minimum fill time. The essay page is static, so the time a form was opened cannot be
 * printed into it: the comments island asks `GET /api/comments/token/` for a token when the
 * reader first touches the form, and the on-demand comments page prints one into its form.
 * A token is `<issued-at, base 36>.<HMAC>`; a comment sent sooner than the minimum after its
 * token was issued is refused. A form sent without a token (JavaScript off on the essay page)
 * is accepted, but under a stricter rate limit (see rate-limit.ts).
 */
export type FormTokenCheck =
  { kind: 'valid' } | { kind: 'absent' } | { kind: 'expired' } | { kind: 'invalid' } | { kind: 'tooFast'; waitMs: number };

/** A token stays good this long; an older one counts as absent (a tab left open overnight is not a bot). */
const formTokenMaxAgeMs = 24 * 60 * 60 * 1000;

function sign(issuedAt: string, secret: string): string {
  return createHmac('sha256', secret).update(`form-token:${issuedAt}`).digest('base64url').slice(0, 27);
}

export function issueFormToken(secret: string, now: Date = new Date()): string {
  const issuedAt = now.getTime().toString(36);
  return `${issuedAt}.${sign(issuedAt, secret)}`;
}

export function checkFormToken(
  token: string | undefined,
  secret: string,
  options: { now: Date; minFillMs: number; maxAgeMs?: number },
): FormTokenCheck {
  if (!token) return { kind: 'absent' };
  const [issuedAt = '', signature = '', ...rest] = token.split('.');
  const expected = sign(issuedAt, secret);
  if (rest.length > 0 || !/^[0-9a-z]{1,12}$/.test(issuedAt) || signature.length !== expected.length) return { kind: 'invalid' };
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return { kind: 'invalid' };
  const age = options.now.getTime() - parseInt(issuedAt, 36);
  if (age > (options.maxAgeMs ?? formTokenMaxAgeMs)) return { kind: 'expired' };
  // A token from the future (clock skew between servers) is treated as just issued.
  if (age < options.minFillMs) return { kind: 'tooFast', waitMs: options.minFillMs - Math.max(0, age) };
  return { kind: 'valid' };
}
