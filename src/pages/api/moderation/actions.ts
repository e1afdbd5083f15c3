import type { APIRoute } from 'astro';
import { methodNotAllowed } from '../../../lib/http/responses.ts';
import { answerConsoleAction } from '../../../lib/moderation/console-actions.ts';

export const prerender = false;

/** The console's actions and the author's reply (src/lib/moderation/console-actions.ts). */
export const POST: APIRoute = (context) => answerConsoleAction(context);

/** Only POST is served; anything else is told so (on the Worker too: the Node server refuses it before the site sees it). */
export const ALL: APIRoute = ({ request }) => methodNotAllowed(request, ['POST']);
