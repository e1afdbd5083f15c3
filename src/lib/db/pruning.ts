import { createCommentStore } from '../comments/store.ts';
import { createEmailStore } from '../email/store.ts';
import { createModerationStore } from '../moderation/store.ts';
import { createSignalStore } from '../signals/store.ts';
import { getUtcDay } from '../signals/visitor.ts';
import type { SqlDriver } from './sql-driver.ts';

/** How long rows that only serve a limit or a delivery are kept. */
export interface Retention {
  /** Sign-in attempts: the sign-in throttle's window. */
  signInWindowMs: number;
  /** Comment post records: COMMENTS_RATE_LIMIT's window; null (no limit) keeps none. */
  commentRateWindowMs: number | null;
  /** Collect action records: COLLECTS_RATE_LIMIT's window; null (no limit) keeps none. */
  collectRateWindowMs: number | null;
  /** Delivered webhook messages, after delivery. */
  deliveredMessagesMs: number;
  /** Webhook messages given up after `maxWebhookAttempts` tries, after they were queued: long enough to read their last error. */
  givenUpMessagesMs: number;
  maxWebhookAttempts: number;
  /** Emails given up after this many tries (delivered and given-up emails keep the webhook's windows). */
  maxEmailAttempts: number;
}

/** Rows deleted by one pruning, per table. */
export interface PruneCounts {
  signInAttempts: number;
  sessions: number;
  outbox: number;
  emailOutbox: number;
  commentPosts: number;
  collectActions: number;
}

/** How often the Node server prunes. */
export const pruneIntervalMs = 10 * 60_000;
/** The share of writes after which a Worker prunes (it has no timers between requests). */
const pruneChancePerWrite = 1 / 100;

/**
 * Deletes every row whose window is over, in each table that only serves a limit, a session or a
 * delivery: sign-in attempts, expired sessions, delivered and given-up webhook messages and emails, comment
 * post and collect action records, and the view salts, visitors and network tallies of past days.
 * Each store deletes its own rows; counts and comments themselves are never touched.
 */
export async function pruneExpiredRows(driver: SqlDriver, retention: Retention, now = new Date()): Promise<PruneCounts> {
  const before = (windowMs: number | null) => new Date(now.getTime() - (windowMs ?? 0));
  const signals = createSignalStore(driver);
  const moderation = await createModerationStore(driver).forgetExpired({
    now,
    attemptsBefore: before(retention.signInWindowMs),
    deliveredBefore: before(retention.deliveredMessagesMs),
    givenUpBefore: before(retention.givenUpMessagesMs),
    maxAttempts: retention.maxWebhookAttempts,
  });
  const emailOutbox = await createEmailStore(driver).outbox.forgetExpired({
    deliveredBefore: before(retention.deliveredMessagesMs),
    givenUpBefore: before(retention.givenUpMessagesMs),
    maxAttempts: retention.maxEmailAttempts,
  });
  const commentPosts = await createCommentStore(driver).forgetPostsBefore(before(retention.commentRateWindowMs));
  const collectActions = await signals.forgetCollectActionsBefore(before(retention.collectRateWindowMs));
  // Views forget earlier days when a day's first view comes; a site nobody reads for days forgets them here.
  await signals.forgetVisitorsBefore(getUtcDay(now));
  return { ...moderation, emailOutbox, commentPosts, collectActions };
}

/** A long-lived process prunes now and every `intervalMs`; the timer does not keep the process alive. Returns a stop function. */
export function startPruneTimer(prune: () => Promise<unknown>, intervalMs = pruneIntervalMs): () => void {
  const run = () => void prune().catch((error: unknown) => console.error('pruning expired rows:', error));
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export interface OpportunisticPruning {
  /** Runs the pruning after the answer, so it can neither delay nor fail the request. */
  runAfterResponse(task: () => Promise<unknown>): void;
  chance?: number;
  random?: () => number;
}

/**
 * The driver, pruning after some of its writes (`chance` of them, at random: a Worker's isolates
 * come and go too often for a counter to reach anything). Pruning goes through the unwrapped
 * driver, so it never starts another.
 */
export function pruneAfterSomeWrites(
  driver: SqlDriver,
  prune: (driver: SqlDriver) => Promise<unknown>,
  options: OpportunisticPruning,
): SqlDriver {
  const { chance = pruneChancePerWrite, random = Math.random } = options;
  const maybePrune = () => {
    if (random() < chance) options.runAfterResponse(() => prune(driver));
  };
  return {
    ...driver,
    async run(sql, params) {
      const result = await driver.run(sql, params);
      maybePrune();
      return result;
    },
    async batch(statements, writeOptions) {
      const results = await driver.batch(statements, writeOptions);
      maybePrune();
      return results;
    },
  };
}
