import { isLocale, type Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getRequestLocale, jsonResponse, readCommentRequest, toApiCode } from '../comments/http.ts';
import type { SignalCounts } from './store.ts';
import type { SignalError } from './service.ts';

/** Where pages report views and readers collect (the site's URLs end in a slash). */
export const signalsApiPaths = {
  views: '/api/signals/views/',
  /** For pages read without JavaScript: an image that records the view. */
  viewPixel: '/api/signals/view.gif',
  collects: '/api/signals/collects/',
} as const;

/** Signal requests are a few dozen bytes. */
const maxSignalBytes = 2048;

/** A signal's JSON (or form) body, or the refusal to send back. */
export async function readSignalRequest(request: Request): Promise<{ ok: true; fields: Record<string, unknown> } | { ok: false; error: SignalError }> {
  const received = await readCommentRequest(request, maxSignalBytes);
  if (!received.ok) return { ok: false, error: { status: 400, code: 'invalidInput' } };
  return { ok: true, fields: received.fields };
}

/** Counts change with every reader, so nothing between the reader and the server may keep them. */
const noStore = { 'Cache-Control': 'no-store' };

export function signalCountsResponse(counts: SignalCounts, extra: Record<string, unknown> = {}): Response {
  return jsonResponse(200, { views: counts.views, collects: counts.collects, ...extra }, noStore);
}

/** The language an answer speaks: the page's (the `lang` it sent), else the browser's. */
export function getSignalLocale(request: Request, fields?: Record<string, unknown>): Locale {
  const lang = fields?.lang;
  return isLocale(lang) ? lang : getRequestLocale(request);
}

export function signalErrorResponse(error: SignalError, locale: Locale): Response {
  const t = getTranslator(locale);
  const headers: Record<string, string> = { ...noStore };
  if (error.retryAfterSeconds) headers['Retry-After'] = String(error.retryAfterSeconds);
  const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
  return jsonResponse(error.status, { error: { code: toApiCode(error.code), message: t(`signals.error.${error.code}`, { minutes }) } }, headers);
}

/** The smallest transparent GIF: what the no-JavaScript view pixel answers with. */
export const transparentGif = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (character) => character.charCodeAt(0));
