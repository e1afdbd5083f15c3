import type { APIRoute } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { getSignalLocale, readSignalRequest, signalBodyErrorResponse, signalCountsResponse, signalErrorResponse } from '../../../lib/signals/http.ts';
import { getSignalRequestContext } from '../../../lib/signals/runtime.ts';

export const prerender = false;

/** The collect button: `{ essay, lang, reader, collected }` keeps or lets go of the essay for one device. */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const received = await readSignalRequest(request, serverPlatform.bodyReading);
  if (!received.ok) return signalBodyErrorResponse(received.error, getSignalLocale(request));
  const { signals, sender } = await getSignalRequestContext(request, clientAddress);
  const result = await signals.setCollected(received.fields, sender);
  if (!result.ok) return signalErrorResponse(result.error, getSignalLocale(request, received.fields));
  return signalCountsResponse(result.counts, { collected: result.isCollected });
};
