import type { APIRoute } from 'astro';
import { jsonResponse } from '../../../lib/http/responses.ts';
import { getCommentsRuntime } from '../../../lib/comments/runtime.ts';
import { isEmailEnabled } from '../../../lib/email/runtime.ts';

export const prerender = false;

/** A fresh fill-time token for the comment form (see lib/comments/fill-time.ts), and whether it may offer reply emails. */
export const GET: APIRoute = async () => {
  const { service } = await getCommentsRuntime();
  return jsonResponse(200, { token: service.issueFormToken(), notifyReplies: isEmailEnabled() }, { 'Cache-Control': 'no-store' });
};
