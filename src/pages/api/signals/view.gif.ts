import type { APIRoute } from 'astro';
import { transparentGif } from '../../../lib/signals/http.ts';
import { getSignalRequestContext } from '../../../lib/signals/runtime.ts';

export const prerender = false;

/** The view of a reader without JavaScript, from an image in the page's <noscript>. Always an image, never a cookie. */
export const GET: APIRoute = async ({ url, request, clientAddress }) => {
  const { signals, sender } = await getSignalRequestContext(request, clientAddress);
  const result = await signals.recordView(
    { essay: url.searchParams.get('essay'), lang: url.searchParams.get('lang') },
    { ...sender, headers: request.headers },
  );
  return new Response(transparentGif, {
    status: result.ok ? 200 : result.error.status,
    headers: { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' },
  });
};
