import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { getCommentsRuntime } from '../comments/runtime.ts';
import { readRequestBody, type BodyLimits, type ReadOptions } from '../http/request-body.ts';
import { getRequestLocale } from '../http/request-locale.ts';
import { apiErrorResponse, bodyErrorResponse, jsonResponse } from '../http/responses.ts';
import { getServerRuntime } from '../server-runtime.ts';
import { createEmailStore } from './store.ts';
import { unsubscribePagePath, verifyUnsubscribeLink } from './unsubscribe-link.ts';

/** What the unsubscribe page shows for a link. */
export type UnsubscribeState = 'subscribed' | 'unsubscribed' | 'invalid' | 'gone';

/** The page's HTTP status for each state: a bad link is the reader's request gone wrong. */
export const unsubscribeStatus: Record<UnsubscribeState, number> = { subscribed: 200, unsubscribed: 200, invalid: 400, gone: 404 };

/** The one-click body (`List-Unsubscribe=One-Click`, RFC 8058) and the page's button post a short form. */
const unsubscribeBodyLimits: BodyLimits = { maxBytes: 1024, maxFields: 4 };

/**
 * Where the link stands, read without changing anything (a GET must not unsubscribe: mail scanners
 * open links). Works for anyone holding the signed link, no sign-in.
 */
export async function readUnsubscribeState(url: URL): Promise<UnsubscribeState> {
  const { secret, driver } = await getServerRuntime();
  const commentId = verifyUnsubscribeLink(url.searchParams.get('c'), url.searchParams.get('s'), secret);
  if (!commentId) return 'invalid';
  const subscription = await createEmailStore(driver).getSubscription(commentId);
  if (!subscription) return 'gone';
  return subscription.unsubscribedAt === null ? 'subscribed' : 'unsubscribed';
}

/** The commenter's language for a one-click answer: the link's `lang`, else the comment's, else the request's. */
async function getAnswerLocale(request: Request, url: URL, commentId: string | undefined): Promise<Locale> {
  const comment = commentId ? await (await getCommentsRuntime()).service.store.getComment(commentId) : undefined;
  return getRequestLocale(request, [url.searchParams.get('lang'), comment?.lang]);
}

/**
 * POST /api/email/unsubscribe/?c=&s=: stops every reply email to the address of the signed comment.
 * A mail client's one-click POST gets JSON; the page's button (a browser form) goes back to the
 * page, which now says it worked. Unsubscribing twice is the same as once.
 */
export async function answerUnsubscribePost(request: Request, url: URL, bodyReading: ReadOptions): Promise<Response> {
  const received = await readRequestBody(request, unsubscribeBodyLimits, bodyReading);
  const { secret, driver } = await getServerRuntime();
  const commentId = verifyUnsubscribeLink(url.searchParams.get('c'), url.searchParams.get('s'), secret);
  const locale = await getAnswerLocale(request, url, commentId);
  if (!received.ok) return bodyErrorResponse(received.error, locale, unsubscribeBodyLimits);
  const t = getTranslator(locale);
  if (!commentId) return apiErrorResponse(400, 'invalidLink', t('unsubscribe.invalid'));
  const isFound = await createEmailStore(driver).unsubscribe(commentId, new Date());
  if (!isFound) return apiErrorResponse(404, 'subscriptionNotFound', t('unsubscribe.gone'));
  if (received.kind === 'form' && (request.headers.get('accept') ?? '').includes('text/html')) {
    return new Response(null, { status: 303, headers: { Location: `${unsubscribePagePath(locale)}${url.search}` } });
  }
  return jsonResponse(200, { unsubscribed: true, message: t('unsubscribe.done') }, { 'Cache-Control': 'no-store' });
}

/** GET /api/email/unsubscribe/: a person following the header's link gets the page in the commenter's language. */
export async function answerUnsubscribeGet(request: Request, url: URL): Promise<Response> {
  const { secret } = await getServerRuntime();
  const commentId = verifyUnsubscribeLink(url.searchParams.get('c'), url.searchParams.get('s'), secret);
  const locale = await getAnswerLocale(request, url, commentId);
  return new Response(null, { status: 303, headers: { Location: `${unsubscribePagePath(locale)}${url.search}` } });
}
