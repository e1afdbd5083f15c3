import type { APIRoute } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { isLocale } from '../../../i18n/locales.ts';
import { getClientAddress } from '../../../lib/comments/client-address.ts';
import { jsonResponse, methodNotAllowed } from '../../../lib/http/responses.ts';
import { getModerationLocale, isSameOriginRequest, moderationPaths, setSessionCookie } from '../../../lib/moderation/http.ts';
import { moderationBodyError, moderationError, readModerationRequest } from '../../../lib/moderation/request.ts';
import { getModerationRuntime } from '../../../lib/moderation/runtime.ts';

export const prerender = false;

/** Signs a moderator in: a form from /moderate/ (redirects back) or JSON (answers JSON). */
export const POST: APIRoute = async (context) => {
  const { request, url, clientAddress } = context;
  const received = await readModerationRequest(request, serverPlatform.bodyReading);
  const formLocale = received.ok ? received.get('lang') : undefined;
  const locale = isLocale(formLocale) ? formLocale : getModerationLocale(context, request);
  if (!received.ok) return moderationBodyError(received.error, locale);
  if (!isSameOriginRequest(request, url)) return moderationError(403, 'crossOrigin', locale);
  const runtime = await getModerationRuntime();
  const address = getClientAddress(clientAddress, request.headers.get('x-forwarded-for'), runtime.comments.config.trustedProxyHops);
  const result = await runtime.auth.signIn(received.get('name')?.trim() ?? '', received.get('password') ?? '', address);
  if (result.ok) {
    setSessionCookie(context, result.token);
    return received.isJson ? jsonResponse(200, { moderator: result.moderator }) : context.redirect(moderationPaths.queue(locale), 303);
  }
  if (received.isJson) {
    return result.code === 'throttled' ? moderationError(429, 'throttled', locale, result.retryAfterSeconds) : moderationError(401, 'invalidCredentials', locale);
  }
  const wait = result.code === 'throttled' ? `&wait=${result.retryAfterSeconds}` : '';
  return context.redirect(`${moderationPaths.signIn(locale)}?error=${result.code}${wait}`, 303);
};

/** Only POST is served; anything else is told so (on the Worker too: the Node server refuses it before the site sees it). */
export const ALL: APIRoute = ({ request }) => methodNotAllowed(request, ['POST']);
