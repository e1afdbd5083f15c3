import type { APIRoute } from 'astro';
import { getClientAddress } from '../../../lib/comments/client-address.ts';
import { getCommentsRuntime } from '../../../lib/comments/runtime.ts';
import { getSignalLocale, readSignalRequest, signalCountsResponse, signalErrorResponse } from '../../../lib/signals/http.ts';
import { getSignalService } from '../../../lib/signals/runtime.ts';

export const prerender = false;

/** The collect button: `{ essay, lang, reader, collected }` keeps or lets go of the essay for one device. */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const received = await readSignalRequest(request);
  if (!received.ok) return signalErrorResponse(received.error, getSignalLocale(request));
  const [{ config }, signals] = await Promise.all([getCommentsRuntime(), getSignalService()]);
  const address = getClientAddress(clientAddress, request.headers.get('x-forwarded-for'), config.trustedProxyHops);
  const result = await signals.setCollected(received.fields, { address });
  if (!result.ok) return signalErrorResponse(result.error, getSignalLocale(request, received.fields));
  return signalCountsResponse(result.counts, { collected: result.isCollected });
};
