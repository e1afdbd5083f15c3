import type { APIRoute } from 'astro';
import { getRelativeLocaleUrl } from 'astro:i18n';
import { answerCommentListing, answerCommentPost } from '../../../lib/comments/api.ts';

export const prerender = false;

/** The approved, public comments of an essay in every language, threaded. */
export const GET: APIRoute = ({ url, request }) => answerCommentListing(url, request);

/** A reader's comment, as JSON or as a form posted without JavaScript. */
export const POST: APIRoute = (context) => answerCommentPost(context, getRelativeLocaleUrl);
