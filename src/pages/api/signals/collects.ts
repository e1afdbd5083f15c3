import type { APIRoute } from 'astro';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { getRequestLocale } from '../../../lib/http/request-locale.ts';
import { bodyErrorResponse } from '../../../lib/http/responses.ts';
import { readSignalRequest, signalBodyLimits, signalCountsResponse, signalErrorResponse } from '../../../lib/signals/http.ts';
import { getSignalRequestContext } from '../../../lib/signals/runtime.ts';

export const prerender = false;

/** The collect button: `{ essay, lang, reader, collected }` keeps or lets go of the essay for one device. */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const received = await readSignalRequest(request, serverPlatform.bodyReading);
  if (!received.ok) return bodyErrorResponse(received.error, getRequestLocale(request), signalBodyLimits);
  const { signals, sender } = await getSignalRequestContext(request, clientAddress);
  const result = await signals.setCollected(received.fields, sender);
  if (!result.ok) return signalErrorResponse(result.error, getRequestLocale(request, [received.fields.lang]));
  return signalCountsResponse(result.counts, { collected: result.isCollected });
};
