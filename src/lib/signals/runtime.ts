import { getClientAddress } from '../comments/client-address.ts';
import { getCommentsRuntime } from '../comments/runtime.ts';
import { getOwnOrigins, isCrossSiteRequest } from '../http/request-site.ts';
import { createSignalService, type SignalSender, type SignalService } from './service.ts';
import { createSignalStore } from './store.ts';

let runtime: Promise<SignalService> | undefined;

/** View and collect counting over the comment database (same COMMENTS_DB or D1 binding, same secret). */
export function getSignalService(): Promise<SignalService> {
  runtime ??= getCommentsRuntime()
    .then((comments) =>
      createSignalService({
        store: createSignalStore(comments.driver),
        secret: comments.secret,
        collectRateLimit: comments.config.collectRateLimit,
        viewLimit: comments.config.viewsPerNetwork === null ? null : { perNetwork: comments.config.viewsPerNetwork },
        isKnownEssay: async (slug) => (await comments.findEssay(slug)) !== undefined,
      }),
    )
    .catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
  return runtime;
}

/** The signal service and the sender (their address through TRUST_PROXY's hops; whether another site's page asked), for one request. */
export async function getSignalRequestContext(request: Request, clientAddress: string): Promise<{ signals: SignalService; sender: SignalSender }> {
  const [{ config }, signals] = await Promise.all([getCommentsRuntime(), getSignalService()]);
  const address = getClientAddress(clientAddress, request.headers.get('x-forwarded-for'), config.trustedProxyHops);
  const isCrossSite = isCrossSiteRequest(request, getOwnOrigins(new URL(request.url), import.meta.env.SITE));
  return { signals, sender: { address, isCrossSite } };
}
