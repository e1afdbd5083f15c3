import type { APIRoute } from 'astro';
import { jsonResponse, methodNotAllowed } from '../../../lib/http/responses.ts';
import { openModeratorRequest } from '../../../lib/moderation/console-request.ts';
import { clearSessionCookie, moderationPaths } from '../../../lib/moderation/http.ts';

export const prerender = false;

export const POST: APIRoute = async (context) => {
  const opened = await openModeratorRequest(context, { whenSignedOut: 'refuse' });
  if (!opened.ok) return opened.response;
  const { received, locale, runtime, session } = opened;
  await runtime.auth.signOut(session);
  clearSessionCookie(context);
  return received.isJson ? jsonResponse(200, { signedOut: true }) : context.redirect(moderationPaths.signIn(locale), 303);
};

/** Only POST is served; anything else is told so (on the Worker too: the Node server refuses it before the site sees it). */
export const ALL: APIRoute = ({ request }) => methodNotAllowed(request, ['POST']);
