import type { APIRoute } from 'astro';
import { jsonResponse } from '../../../lib/comments/http.ts';
import { clearSessionCookie, getModerationLocale, isSameOriginRequest, moderationPaths, readSession, sessionCookie } from '../../../lib/moderation/http.ts';
import { moderationError, readModerationRequest } from '../../../lib/moderation/request.ts';
import { getModerationRuntime } from '../../../lib/moderation/runtime.ts';
import { isValidCsrfToken } from '../../../lib/moderation/tokens.ts';

export const prerender = false;

export const POST: APIRoute = async (context) => {
  const { request, url } = context;
  const received = await readModerationRequest(request);
  if (!isSameOriginRequest(request, url)) return moderationError(403, 'cross_origin');
  const runtime = await getModerationRuntime();
  const session = await readSession(context, runtime.auth);
  if (!session) return moderationError(401, 'unauthorized');
  const token = request.headers.get('x-csrf-token') ?? (received.ok ? received.get('csrf') : undefined);
  if (!isValidCsrfToken(token, context.cookies.get(sessionCookie)?.value ?? '')) return moderationError(403, 'invalid_csrf_token');
  await runtime.auth.signOut(session);
  clearSessionCookie(context);
  return received.ok && received.isJson ? jsonResponse(200, { signedOut: true }) : context.redirect(moderationPaths.signIn(getModerationLocale(context, request)), 303);
};

/** Only POST is served; anything else is told so, not sent to the 404 page. */
export const ALL: APIRoute = () => moderationError(405, 'method_not_allowed', { Allow: 'POST' });
