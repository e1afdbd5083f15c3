import type { APIRoute } from 'astro';
import { isLocale } from '../../../i18n/locales.ts';
import { getClientAddress } from '../../../lib/comments/client-address.ts';
import { jsonResponse } from '../../../lib/comments/http.ts';
import { getModerationLocale, isSameOriginRequest, moderationPaths, setSessionCookie } from '../../../lib/moderation/http.ts';
import { moderationError, readModerationRequest } from '../../../lib/moderation/request.ts';
import { getModerationRuntime } from '../../../lib/moderation/runtime.ts';

export const prerender = false;

/** Signs a moderator in: a form from /moderate/ (redirects back) or JSON (answers JSON). */
export const POST: APIRoute = async (context) => {
  const { request, url, clientAddress } = context;
  const received = await readModerationRequest(request);
  if (!isSameOriginRequest(request, url)) return moderationError(403, 'cross_origin');
  if (!received.ok) return moderationError(400, 'invalid_request');
  const formLocale = received.ok ? received.get('lang') : undefined;
  const locale = isLocale(formLocale) ? formLocale : getModerationLocale(context, request);
  const runtime = await getModerationRuntime();
  const address = getClientAddress(clientAddress, request.headers.get('x-forwarded-for'), runtime.comments.config.trustedProxyHops);
  const result = await runtime.auth.signIn(received.get('name')?.trim() ?? '', received.get('password') ?? '', address);
  if (result.ok) {
    setSessionCookie(context, result.token);
    return received.isJson ? jsonResponse(200, { moderator: result.moderator }) : context.redirect(moderationPaths.queue(locale), 303);
  }
  const code = result.code === 'throttled' ? 'throttled' : 'invalid_credentials';
  const status = result.code === 'throttled' ? 429 : 401;
  const headers: Record<string, string> = result.code === 'throttled' ? { 'Retry-After': String(result.retryAfterSeconds) } : {};
  if (received.isJson) return moderationError(status, code, headers);
  const wait = result.code === 'throttled' ? `&wait=${result.retryAfterSeconds}` : '';
  return context.redirect(`${moderationPaths.signIn(locale)}?error=${result.code}${wait}`, 303);
};

/** Only POST is served; anything else is told so, not sent to the 404 page. */
export const ALL: APIRoute = () => moderationError(405, 'method_not_allowed', { Allow: 'POST' });
