import type { APIContext } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { getTranslator } from '../../i18n/translator.ts';
import type { Locale } from '../../i18n/locales.ts';
import { isDatabaseBusyError } from '../db/errors.ts';
import { getEmailRuntime, isEmailEnabled } from '../email/runtime.ts';
import { getCatalogVersion } from '../essay-catalog.ts';
import { createEtag, matchesEtag } from '../http/etag.ts';
import { getRequestLocale } from '../http/request-locale.ts';
import { apiErrorResponse, jsonResponse } from '../http/responses.ts';
import { logServerError } from '../http/server-errors.ts';
import { readSession, sessionCookie } from '../moderation/http.ts';
import { getModerationRuntime } from '../moderation/runtime.ts';
import { getSenderAddress } from '../server-runtime.ts';
import { pagePaths } from '../urls.ts';
import { readCommentRequest, toFailedSubmission, toPublicThreadJson, wantsHtml } from './http.ts';
import { describeCommentError } from './messages.ts';
import { getCommentsRuntime } from './runtime.ts';
import { createCommentError, type CommentError, type CommentListing, type SubmitResult } from './service.ts';

/** astro:i18n's getRelativeLocaleUrl, handed in by the route (this module stays free of Astro's virtual modules). */
export type LocalizePath = (locale: Locale, path: string) => string;

/** Browsers and CDNs may reuse the list briefly; comments appear after review anyway. */
const listCacheControl = 'public, max-age=30, s-maxage=30, stale-while-revalidate=60';

function errorResponse(error: CommentError, locale: Locale): Response {
  const { message, fields } = describeCommentError(error, getTranslator(locale));
  return apiErrorResponse(error.status, error.code, message, { retryAfterSeconds: error.retryAfterSeconds, details: { fields } });
}

/**
 * A comment the server failed to store, as a refusal: the reader without JavaScript then gets the
 * comments page again with their text, not an error page that loses it.
 */
async function submitSafely(submit: () => Promise<SubmitResult>, request: Request): Promise<SubmitResult> {
  try {
    return await submit();
  } catch (error) {
    if (isDatabaseBusyError(error))
      return { ok: false, error: { ...createCommentError(503, 'busy'), retryAfterSeconds: error.retryAfterSeconds } };
    logServerError(error, request);
    return { ok: false, error: createCommentError(500, 'internal') };
  }
}

/** Whether a moderator's session comes with the request: the site-wide limit does not hold them back. */
async function isSignedInModerator(context: APIContext): Promise<boolean> {
  if (!context.cookies.has(sessionCookie)) return false;
  return (await readSession(context, (await getModerationRuntime()).auth)) !== undefined;
}

/** Each listing serialized once, with its ETag: the service hands out the same listing until something is written. */
const serialized = new WeakMap<CommentListing, { body: string; etag: string }>();

/** GET /api/comments/?essay=: the approved, public comments of an essay in every language, threaded. */
export async function answerCommentListing(url: URL, request: Request): Promise<Response> {
  const essay = url.searchParams.get('essay');
  if (!essay)
    return errorResponse(createCommentError(400, 'invalidInput', [{ field: 'essay', code: 'required' }]), getRequestLocale(request));
  const { service } = await getCommentsRuntime();
  const listing = await service.listThreads(essay);
  if (!listing)
    return errorResponse(createCommentError(404, 'essayNotFound', [{ field: 'essay', code: 'invalid' }]), getRequestLocale(request));
  let answer = serialized.get(listing);
  if (!answer) {
    const body = JSON.stringify({ essay, count: listing.count, comments: listing.threads.map(toPublicThreadJson) });
    answer = { body, etag: createEtag(body) };
    serialized.set(listing, answer);
  }
  const { body, etag } = answer;
  const headers = { ETag: etag, 'Cache-Control': listCacheControl };
  if (matchesEtag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  return jsonResponse(200, body, headers);
}

/** POST /api/comments/: a reader's comment, as JSON or as a form posted without JavaScript. */
export async function answerCommentPost(context: APIContext, localizePath: LocalizePath): Promise<Response> {
  const { request, clientAddress, locals } = context;
  // The body first, bounded, before anything else (the database included) is touched.
  const received = await readCommentRequest(request, serverPlatform.bodyReading);
  const runtime = await getCommentsRuntime();
  const fields = received.ok ? received.fields : undefined;
  const locale = getRequestLocale(request, [fields?.lang]);
  const isPage = wantsHtml(request, received.kind);
  const address = getSenderAddress(request, clientAddress);
  const isModerator = received.ok && (await isSignedInModerator(context));
  const result = received.ok
    ? await submitSafely(() => runtime.service.submitComment(received.fields, { address, isModerator }), request)
    : { ok: false as const, error: received.error };

  if (result.ok) {
    const { comment } = result;
    // The moderators' webhook is written to the outbox and sent after the answer; it can neither delay nor fail the post.
    serverPlatform.runAfterResponse(async () => (await getModerationRuntime()).webhook?.notifyPending(comment));
    if (isEmailEnabled()) serverPlatform.runAfterResponse(async () => (await getEmailRuntime())?.notifier.notifyPending(comment.id));
    if (!isPage) return jsonResponse(201, { id: comment.id, status: comment.status }, { 'Cache-Control': 'no-store' });
    const essay = await runtime.findEssay(comment.essay);
    const pageLocale = essay ? getCatalogVersion(essay, comment.lang).locale : comment.lang;
    const notice = comment.isPrivate ? 'comment-received-private' : 'comment-received';
    return context.redirect(`${localizePath(pageLocale, pagePaths.essay(comment.essay))}#${notice}`, 303);
  }

  const essay = typeof fields?.essay === 'string' ? await runtime.findEssay(fields.essay) : undefined;
  if (isPage && essay) {
    // Without JavaScript the reader gets the comments page again: the errors in their language, and what they wrote.
    locals.commentSubmission = toFailedSubmission(result.error, fields);
    // The page speaks the form's language, whatever the browser's Accept-Language says.
    locals.locale = locale;
    locals.t = getTranslator(locale);
    const page = new URL(localizePath(locale, pagePaths.essayComments(essay.slug)), context.url);
    // The page is rendered as a GET: the posted body has been read, and the page must not read it again.
    const headers = {
      accept: request.headers.get('accept') ?? 'text/html',
      'accept-language': request.headers.get('accept-language') ?? '',
    };
    return context.rewrite(new Request(page, { headers }));
  }
  if (isPage) {
    const { message } = describeCommentError(result.error, getTranslator(locale));
    return new Response(`${message}\n`, { status: result.error.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  return errorResponse(result.error, locale);
}
