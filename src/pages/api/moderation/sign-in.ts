import type { APIRoute } from 'astro';
import { jsonResponse, methodNotAllowed } from '../../../lib/http/responses.ts';
import { openConsoleRequest } from '../../../lib/moderation/console-request.ts';
import { moderationPaths, setSessionCookie } from '../../../lib/moderation/http.ts';
import { moderationError } from '../../../lib/moderation/request.ts';
import { getSenderAddress } from '../../../lib/server-runtime.ts';

export const prerender = false;

/** Signs a moderator in: a form from /moderate/ (redirects back) or JSON (answers JSON). */
export const POST: APIRoute = async (context) => {
  const opened = await openConsoleRequest(context, { isLanguageInForm: true });
  if (!opened.ok) return opened.response;
  const { received, locale, runtime } = opened;
  const address = getSenderAddress(context.request, context.clientAddress);
  const result = await runtime.auth.signIn(received.get('name')?.trim() ?? '', received.get('password') ?? '', address);
  if (result.ok) {
    setSessionCookie(context, result.token);
    return received.isJson ? jsonResponse(200, { moderator: result.moderator }) : context.redirect(moderationPaths.queue(locale), 303);
  }
  if (received.isJson) {
    return result.code === 'throttled'
      ? moderationError(429, 'throttled', locale, result.retryAfterSeconds)
      : moderationError(401, 'invalidCredentials', locale);
  }
  const wait = result.code === 'throttled' ? `&wait=${result.retryAfterSeconds}` : '';
  return context.redirect(`${moderationPaths.signIn(locale)}?error=${result.code}${wait}`, 303);
};

/** Only POST is served; anything else is told so (on the Worker too: the Node server refuses it before the site sees it). */
export const ALL: APIRoute = ({ request }) => methodNotAllowed(request, ['POST']);
