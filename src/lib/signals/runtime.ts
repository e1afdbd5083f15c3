import { getClientAddress } from '../comments/client-address.ts';
import { getCommentsRuntime } from '../comments/runtime.ts';
import { createSignalService, type SignalService } from './service.ts';
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

/** The signal service and the sender's address (through TRUST_PROXY's hops), for one request. */
export async function getSignalRequestContext(request: Request, clientAddress: string): Promise<{ signals: SignalService; address: string }> {
  const [{ config }, signals] = await Promise.all([getCommentsRuntime(), getSignalService()]);
  return { signals, address: getClientAddress(clientAddress, request.headers.get('x-forwarded-for'), config.trustedProxyHops) };
}
