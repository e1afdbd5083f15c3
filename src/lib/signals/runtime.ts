import { getOwnOrigins, isCrossSiteRequest } from '../http/request-site.ts';
import { createOnFirstUse, getSenderAddress, getServerRuntime } from '../server-runtime.ts';
import { createSignalService, type SignalSender, type SignalService } from './service.ts';
import { createSignalStore } from './store.ts';

/** View and collect counting over the server's database (same COMMENTS_DB or D1 binding, same secret). */
export const getSignalService = createOnFirstUse(async (): Promise<SignalService> => {
  const { config, driver, secret, findEssay } = await getServerRuntime();
  return createSignalService({
    store: createSignalStore(driver),
    secret,
    collectRateLimit: config.collectRateLimit,
    viewLimit: config.viewsPerNetwork === null ? null : { perNetwork: config.viewsPerNetwork },
    isKnownEssay: async (slug) => (await findEssay(slug)) !== undefined,
  });
});

/** The signal service and the sender (their address through TRUST_PROXY's hops; whether another site's page asked), for one request. */
export async function getSignalRequestContext(
  request: Request,
  clientAddress: string,
): Promise<{ signals: SignalService; sender: SignalSender }> {
  const signals = await getSignalService();
  const isCrossSite = isCrossSiteRequest(request, getOwnOrigins(new URL(request.url), import.meta.env.SITE));
  return { signals, sender: { address: getSenderAddress(request, clientAddress), isCrossSite } };
}
