import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { readRequestBody, type BodyError, type BodyLimits, type ReadOptions } from '../http/request-body.ts';
import { apiErrorResponse, jsonResponse } from '../http/responses.ts';
import type { SignalError } from './service.ts';
import type { SignalCounts } from './store.ts';

/** Where pages report views and readers collect (the site's URLs end in a slash). */
export const signalsApiPaths = {
  views: '/api/signals/views/',
  /** For pages read without JavaScript: an image that records the view. */
  viewPixel: '/api/signals/view.gif',
  collects: '/api/signals/collects/',
} as const;

/** Counts change with every reader, so nothing between the reader and the server may keep them. */
const noStore = { 'Cache-Control': 'no-store' };

/** Signal requests are a few dozen bytes: an essay, a language, a reader id, a flag. */
export const signalBodyLimits: BodyLimits = { maxBytes: 2048, maxFields: 8 };

/** A signal's JSON (or form) body, or the refusal to send back. */
export async function readSignalRequest(
  request: Request,
  options: ReadOptions = {},
): Promise<{ ok: true; fields: Record<string, unknown> } | { ok: false; error: BodyError }> {
  const received = await readRequestBody(request, signalBodyLimits, options);
  if (!received.ok) return { ok: false, error: received.error };
  if (received.kind === 'json') return { ok: true, fields: received.json };
  return { ok: true, fields: Object.fromEntries([...received.form].filter(([, value]) => typeof value === 'string')) };
}

export function signalCountsResponse(counts: SignalCounts, extra: Record<string, unknown> = {}): Response {
  return jsonResponse(200, { views: counts.views, collects: counts.collects, ...extra }, noStore);
}

export function signalErrorResponse(error: SignalError, locale: Locale): Response {
  const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
  const message = getTranslator(locale)(`signals.error.${error.code}`, { minutes });
  return apiErrorResponse(error.status, error.code, message, { headers: noStore, retryAfterSeconds: error.retryAfterSeconds });
}

/** The smallest transparent GIF: what the no-JavaScript view pixel answers with. */
export const transparentGif = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (character) =>
  character.charCodeAt(0),
);
