import type { TFunction } from 'i18next';
import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import type { BodyError, BodyLimits } from './request-body.ts';
import { getRequestLocale } from './request-locale.ts';

/** A JSON answer; `body` may already be serialized (to hash it for an ETag first). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // The length lets the Node server leave small answers uncompressed (they would not get smaller).
  const length = String(new TextEncoder().encode(text).byteLength);
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': length, ...headers },
  });
}

/** `rateLimited` → `rate_limited`, as API clients read codes. */
export function toApiCode(code: string): string {
  return code.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export interface ApiErrorOptions {
  headers?: Record<string, string>;
  /** Sent as `Retry-After` (whole seconds). */
  retryAfterSeconds?: number;
  /** More members of `error`, such as the comment form's per-field messages. */
  details?: Record<string, unknown>;
}

/** Every refusal of an API route: `{ error: { code, message } }`, the code in snake_case, never cached. */
export function apiErrorResponse(status: number, code: string, message: string, options: ApiErrorOptions = {}): Response {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...options.headers };
  if (options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(options.retryAfterSeconds)));
  return jsonResponse(status, { error: { code: toApiCode(code), message, ...options.details } }, headers);
}

/** A refused body as a sentence in the reader's language. */
function describeBodyError(error: BodyError, t: TFunction, limits: BodyLimits): string {
  return t(`request.error.${error.code}`, { kilobytes: Math.floor(limits.maxBytes / 1024), fields: limits.maxFields });
}

/** A refused body as the API answers it, in the request's language; `limits` are the route's, which the message names. */
export function bodyErrorResponse(error: BodyError, locale: Locale, limits: BodyLimits): Response {
  return apiErrorResponse(error.status, error.code, describeBodyError(error, getTranslator(locale), limits));
}

/** 405 for a method a route does not serve, with `Allow`, in the request's language. */
export function methodNotAllowed(request: Request, allow: readonly string[]): Response {
  const t = getTranslator(getRequestLocale(request));
  return apiErrorResponse(405, 'methodNotAllowed', t('request.error.methodNotAllowed'), { headers: { Allow: allow.join(', ') } });
}
