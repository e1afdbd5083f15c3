import type { SqlDriver } from '../db/sql-driver.ts';
import type { CatalogEssay } from '../essay-catalog.ts';
import { getEmailRuntime, isEmailEnabled } from '../email/runtime.ts';
import { findSpamMatch, describeSpamRule } from '../moderation/spam-rules.ts';
import { createModerationStore, writeAutomaticSpamAudit } from '../moderation/store.ts';
import { createOnFirstUse, getServerRuntime } from '../server-runtime.ts';
import { createReservedNameCheck } from './names.ts';
import { createCommentService, type CommentService } from './service.ts';
import { createCommentStore } from './store.ts';

/** The running server's comment service, created on first use over the server's database. */
export interface CommentsRuntime {
  service: CommentService;
  findEssay(slug: string): Promise<CatalogEssay | undefined>;
}

// Only the display names, in every language; the build bundles them (bios stay out).
const authorNames = import.meta.glob<Record<string, string>>('/content/authors/*.json', { eager: true, import: 'name' });

/** The site author's display names, MODERATION_AUTHOR_NAME, and (looked up per post) the moderators' account names. */
function createAuthorNameCheck(driver: SqlDriver, configured: string | undefined) {
  const moderators = createModerationStore(driver);
  return createReservedNameCheck({
    names: [...Object.values(authorNames).flatMap((names) => Object.values(names)), ...(configured ? [configured] : [])],
    listCurrentNames: async () => (await moderators.listModerators()).map((moderator) => moderator.name),
  });
}

export const getCommentsRuntime = createOnFirstUse(async (): Promise<CommentsRuntime> => {
  const { config, driver, secret, findEssay } = await getServerRuntime();
  const service = createCommentService({
    store: createCommentStore(driver),
    secret,
    rateLimit: config.rateLimit,
    siteLimit: config.siteCommentLimit,
    spamFilter: {
      check: async (comment) => {
        const match = findSpamMatch(await createModerationStore(driver).listSpamRules(), comment);
        return match && describeSpamRule(match);
      },
      audit: writeAutomaticSpamAudit,
    },
    minFillMs: config.minFillMs,
    isKnownEssay: async (slug) => (await findEssay(slug)) !== undefined,
    isReservedName: createAuthorNameCheck(driver, config.authorName),
    canNotifyReplies: isEmailEnabled(),
  });
  // The email outbox starts with the comments: mail queued before a restart goes without waiting for a moderator.
  if (isEmailEnabled()) void getEmailRuntime().catch((error: unknown) => console.error('email:', error));
  return { service, findEssay };
});
