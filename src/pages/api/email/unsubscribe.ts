import type { APIRoute } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { answerUnsubscribeGet, answerUnsubscribePost } from '../../../lib/email/unsubscribe.ts';

export const prerender = false;

/** A person following the List-Unsubscribe link: the page, in the commenter's language. */
export const GET: APIRoute = ({ request, url }) => answerUnsubscribeGet(request, url);

/** RFC 8058 one-click unsubscribe, and the page's button. */
export const POST: APIRoute = ({ request, url }) => answerUnsubscribePost(request, url, serverPlatform.bodyReading);
