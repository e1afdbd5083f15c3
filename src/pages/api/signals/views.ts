import type { APIRoute } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { getSignalLocale, readSignalRequest, signalBodyErrorResponse, signalCountsResponse, signalErrorResponse } from '../../../lib/signals/http.ts';
import { getSignalRequestContext } from '../../../lib/signals/runtime.ts';

export const prerender = false;

/** A page reports that a reader opened the essay; the answer is the essay's counts. Sets no cookie. */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const received = await readSignalRequest(request, serverPlatform.bodyReading);
  if (!received.ok) return signalBodyErrorResponse(received.error, getSignalLocale(request));
  const { signals, sender } = await getSignalRequestContext(request, clientAddress);
  const result = await signals.recordView(received.fields, { ...sender, headers: request.headers });
  if (!result.ok) return signalErrorResponse(result.error, getSignalLocale(request, received.fields));
  return signalCountsResponse(result.counts, { counted: result.isCounted });
};
