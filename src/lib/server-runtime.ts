import { randomBytes } from 'node:crypto';
import { essayCatalog } from 'virtual:duizhao/essay-catalog';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { createCommentStore } from './comments/store.ts';
import { pruneAfterSomeWrites, pruneExpiredRows, startPruneTimer, type Retention } from './db/pruning.ts';
import type { SqlDriver } from './db/sql-driver.ts';
import type { CatalogEssay } from './essay-catalog.ts';
import { defaultEmailAttempts } from './email/notifier.ts';
import { getClientAddress } from './http/client-address.ts';
import { defaultSignInLimits } from './moderation/auth.ts';
import { defaultWebhookAttempts } from './moderation/webhook.ts';
import { getSiteConfig, type SiteConfig } from './server-config.ts';

/**
 * What the running server's features share, set up once: the settings, the one open database
 * (COMMENTS_DB, or the Worker's D1 binding), the secret and this build's essays. Comments,
 * moderation and signals each start from it, never from one another.
 */
export interface ServerRuntime {
  config: SiteConfig;
  /** The open database, with its schema current; on a Worker it prunes expired rows after some writes. */
  driver: SqlDriver;
  /** Keys address hashes, form tokens and moderator session tokens (COMMENTS_SECRET, else the stored one). */
  secret: string;
  findEssay(slug: string): Promise<CatalogEssay | undefined>;
}

/**
 * `create`, run on first use and its result shared by every request after. A failure is not kept
 * (a full disk or a lock held elsewhere may pass), so the next request tries again. Hand-written:
 * p-memoize does this for functions with arguments, a dependency for one promise and a reset.
 */
export function createOnFirstUse<Value>(create: () => Promise<Value>): () => Promise<Value> {
  let made: Promise<Value> | undefined;
  return () => {
    made ??= create().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

let essaysBySlug: Map<string, CatalogEssay> | undefined;

/** The published essays of this build; they never change while the server runs. */
async function findEssay(slug: string): Promise<CatalogEssay | undefined> {
  essaysBySlug ??= new Map(essayCatalog.map((essay) => [essay.slug, essay]));
  return essaysBySlug.get(slug);
}

/** What the pruning keeps, from the settings that define each window. */
function getRetention(config: SiteConfig): Retention {
  return {
    signInWindowMs: defaultSignInLimits.windowMs,
    commentRateWindowMs: config.rateLimit?.windowMs ?? null,
    collectRateWindowMs: config.collectRateLimit?.windowMs ?? null,
    deliveredMessagesMs: 24 * 60 * 60_000,
    givenUpMessagesMs: 30 * 24 * 60 * 60_000,
    maxWebhookAttempts: defaultWebhookAttempts,
    maxEmailAttempts: defaultEmailAttempts,
  };
}

async function createServerRuntime(): Promise<ServerRuntime> {
  const config = getSiteConfig();
  const database = await serverPlatform.openDatabase(config);
  let secret: string;
  try {
    secret = config.secret ?? (await createCommentStore(database).getOrCreateSecret(randomBytes(32).toString('base64url')));
  } catch (error) {
    // Another process holding the lock makes this fail; the next request tries again.
    await serverPlatform.releaseDatabase(database);
    throw error;
  }
  const retention = getRetention(config);
  const prune = (driver: SqlDriver) => pruneExpiredRows(driver, retention);
  // A process prunes on a timer; a Worker has none between requests, so it prunes after some writes.
  let driver = database;
  if (serverPlatform.hasBackgroundTimers) startPruneTimer(() => prune(database));
  else driver = pruneAfterSomeWrites(database, prune, { runAfterResponse: serverPlatform.runAfterResponse });
  return { config, driver, secret, findEssay };
}

/** The server's shared runtime, created on the first request that needs it. */
export const getServerRuntime = createOnFirstUse(createServerRuntime);

/** The sender of a request: the socket's address, or the one TRUST_PROXY's proxies vouch for in X-Forwarded-For. */
export function getSenderAddress(request: Request, socketAddress: string): string {
  return getClientAddress(socketAddress, request.headers.get('x-forwarded-for'), getSiteConfig().trustedProxyHops);
}
