import type { APIRoute } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { jsonResponse, methodNotAllowed } from '../../../lib/http/responses.ts';
import { clearSessionCookie, getModerationLocale, isSameOriginRequest, moderationPaths, readSession, sessionCookie } from '../../../lib/moderation/http.ts';
import { moderationBodyError, moderationError, readModerationRequest } from '../../../lib/moderation/request.ts';
import { getModerationRuntime } from '../../../lib/moderation/runtime.ts';
import { isValidCsrfToken } from '../../../lib/moderation/tokens.ts';

export const prerender = false;

export const POST: APIRoute = async (context) => {
  const { request, url } = context;
  const received = await readModerationRequest(request, serverPlatform.bodyReading);
  const locale = getModerationLocale(context, request);
  if (!received.ok) return moderationBodyError(received.error, locale);
  if (!isSameOriginRequest(request, url)) return moderationError(403, 'crossOrigin', locale);
  const runtime = await getModerationRuntime();
  const session = await readSession(context, runtime.auth);
  if (!session) return moderationError(401, 'unauthorized', locale);
  const token = request.headers.get('x-csrf-token') ?? received.get('csrf');
  if (!isValidCsrfToken(token, context.cookies.get(sessionCookie)?.value ?? '')) return moderationError(403, 'invalidCsrfToken', locale);
  await runtime.auth.signOut(session);
  clearSessionCookie(context);
  return received.isJson ? jsonResponse(200, { signedOut: true }) : context.redirect(moderationPaths.signIn(locale), 303);
};

/** Only POST is served; anything else is told so (on the Worker too: the Node server refuses it before the site sees it). */
export const ALL: APIRoute = ({ request }) => methodNotAllowed(request, ['POST']);
