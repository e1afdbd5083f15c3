import { randomBytes } from 'node:crypto';
import { essayCatalog } from 'virtual:duizhao/essay-catalog';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import type { CatalogEssay } from '../essay-catalog.ts';
import { pruneAfterSomeWrites, pruneExpiredRows, startPruneTimer, type Retention } from '../db/pruning.ts';
import { defaultSignInLimits } from '../moderation/auth.ts';
import { createModerationStore } from '../moderation/store.ts';
import { defaultWebhookAttempts } from '../moderation/webhook.ts';
import { readCommentsConfig, type CommentsConfig } from './config.ts';
import { createReservedNameCheck } from './names.ts';
import { createCommentService, type CommentService } from './service.ts';
import { createCommentStore } from './store.ts';
import type { SqlDriver } from '../db/sql-driver.ts';

/** The running server's comment service and settings, created on first use from the environment. */
export interface CommentsRuntime {
  config: CommentsConfig;
  /** The open database, for the moderation console's own store. */
  driver: SqlDriver;
  /** Keys address hashes and form tokens. */
  secret: string;
  service: CommentService;
  findEssay(slug: string): Promise<CatalogEssay | undefined>;
}

let essaysBySlug: Map<string, CatalogEssay> | undefined;

/** The published essays of this build; they never change while the server runs. */
async function findEssay(slug: string): Promise<CatalogEssay | undefined> {
  essaysBySlug ??= new Map(essayCatalog.map((essay) => [essay.slug, essay]));
  return essaysBySlug.get(slug);
}

/** What the pruning keeps, from the settings that define each window. */
function getRetention(config: CommentsConfig): Retention {
  return {
    signInWindowMs: defaultSignInLimits.windowMs,
    commentRateWindowMs: config.rateLimit?.windowMs ?? null,
    collectRateWindowMs: config.collectRateLimit?.windowMs ?? null,
    deliveredMessagesMs: 24 * 60 * 60_000,
    givenUpMessagesMs: 30 * 24 * 60 * 60_000,
    maxWebhookAttempts: defaultWebhookAttempts,
  };
}

// Only the display names, in every language; the build bundles them (bios stay out).
const authorNames = import.meta.glob<Record<string, string>>('/content/authors/*.json', { eager: true, import: 'name' });

/** The site author's display names, MODERATION_AUTHOR_NAME, and (looked up per post) the moderators' account names. */
function createAuthorNameCheck(driver: SqlDriver) {
  const moderators = createModerationStore(driver);
  const configured = process.env.MODERATION_AUTHOR_NAME?.trim();
  return createReservedNameCheck({
    names: [...Object.values(authorNames).flatMap((names) => Object.values(names)), ...(configured ? [configured] : [])],
    listCurrentNames: async () => (await moderators.listModerators()).map((moderator) => moderator.name),
  });
}

async function createRuntime(): Promise<CommentsRuntime> {
  const config = readCommentsConfig(process.env);
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
  const store = createCommentStore(driver);
  const service = createCommentService({
    store,
    secret,
    rateLimit: config.rateLimit,
    minFillMs: config.minFillMs,
    isKnownEssay: async (slug) => (await findEssay(slug)) !== undefined,
    isReservedName: createAuthorNameCheck(driver),
  });
  return { config, driver, secret, service, findEssay };
}

let runtime: Promise<CommentsRuntime> | undefined;

export function getCommentsRuntime(): Promise<CommentsRuntime> {
  runtime ??= createRuntime().catch((error: unknown) => {
    // Let the next request try again (a full disk or a locked file may pass) instead of failing forever.
    runtime = undefined;
    throw error;
  });
  return runtime;
}
