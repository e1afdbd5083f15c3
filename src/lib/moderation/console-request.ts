import type { APIContext } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import type { Locale } from '../../i18n/locales.ts';
import { bodyErrorResponse } from '../http/responses.ts';
import type { ActiveSession } from './auth.ts';
import { getModerationLocale, isSameOriginRequest, moderationPaths, readSession, sessionCookie } from './http.ts';
import { moderationBodyLimits, moderationError, readModerationRequest, type ModerationRequest } from './request.ts';
import { getModerationRuntime, type ModerationRuntime } from './runtime.ts';
import { isValidCsrfToken } from './tokens.ts';

/** A console API request that may go on: its fields, the moderator's language, the console's runtime. */
export interface ConsoleRequest {
  received: Extract<ModerationRequest, { ok: true }>;
  locale: Locale;
  runtime: ModerationRuntime;
}

/** The request, or the answer that ends it. */
export type OpenedRequest<Request> = ({ ok: true } & Request) | { ok: false; response: Response };

/**
 * How every console API route starts: the body first, bounded, before anything else (the database
 * included) is touched; then the moderator's language (the sign-in form names its own); then the
 * refusal of a request another origin's page sent.
 */
export async function openConsoleRequest(context: APIContext, { isLanguageInForm = false } = {}): Promise<OpenedRequest<ConsoleRequest>> {
  const { request, url } = context;
  const received = await readModerationRequest(request, serverPlatform.bodyReading);
  const locale = getModerationLocale(context, request, isLanguageInForm && received.ok ? received.get('lang') : undefined);
  if (!received.ok) return { ok: false, response: bodyErrorResponse(received.error, locale, moderationBodyLimits) };
  if (!isSameOriginRequest(request, url)) return { ok: false, response: moderationError(403, 'crossOrigin', locale) };
  return { ok: true, received, locale, runtime: await getModerationRuntime() };
}

/**
 * openConsoleRequest for a signed-in moderator's action: no session is a 401 (with `whenSignedOut:
 * 'redirect'`, a form post is sent to the sign-in page instead), and the session's CSRF token must
 * come with the request (an X-CSRF-Token header, or the form's `csrf` field).
 */
export async function openModeratorRequest(
  context: APIContext,
  { whenSignedOut }: { whenSignedOut: 'refuse' | 'redirect' },
): Promise<OpenedRequest<ConsoleRequest & { session: ActiveSession }>> {
  const opened = await openConsoleRequest(context);
  if (!opened.ok) return opened;
  const { received, locale, runtime } = opened;
  const session = await readSession(context, runtime.auth);
  if (!session) {
    const isSentToSignIn = whenSignedOut === 'redirect' && !received.isJson;
    return {
      ok: false,
      response: isSentToSignIn ? context.redirect(moderationPaths.signIn(locale), 303) : moderationError(401, 'unauthorized', locale),
    };
  }
  const token = context.request.headers.get('x-csrf-token') ?? received.get('csrf');
  if (!isValidCsrfToken(token, context.cookies.get(sessionCookie)?.value ?? ''))
    return { ok: false, response: moderationError(403, 'invalidCsrfToken', locale) };
  return { ...opened, session };
}
