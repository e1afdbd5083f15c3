import { randomBytes } from 'node:crypto';
import { z } from 'astro/zod';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { hashSender } from '../http/client-address.ts';
import { getSenderLimit, type RateLimit } from '../http/rate-limit.ts';
import type { SignalCounts, SignalStore, ViewLimit } from './store.ts';
import { getUncountedReason, getUtcDay, hashNetwork, hashReader, hashVisitor, type UncountedReason } from './visitor.ts';

const essayField = z.string().trim().min(1).max(200);
const langField = z.enum(localeKeys as [Locale, ...Locale[]]);

/** What a page posts when a reader opens an essay. */
const viewInputSchema = z.object({ essay: essayField, lang: langField });

/** A device's made-up reader id: 128 random bits or more, URL-safe. */
const readerIdPattern = /^[A-Za-z0-9_-]{22,64}$/;

/** What the collect button posts. */
const collectInputSchema = z.object({
  essay: essayField,
  lang: langField,
  reader: z.string().regex(readerIdPattern),
  collected: z.boolean(),
});

/** Why a signal was refused; `signals.error.<code>` says it to the reader. */
type SignalErrorCode = 'invalidInput' | 'crossSite' | 'essayNotFound' | 'rateLimited';

export interface SignalError {
  status: 400 | 403 | 404 | 429;
  code: SignalErrorCode;
  retryAfterSeconds?: number;
}

type ViewResult =
  | { ok: true; isCounted: boolean; uncountedReason?: UncountedReason | 'crossSite' | 'seenToday' | 'networkLimit'; counts: SignalCounts }
  | { ok: false; error: SignalError };
type CollectResult = { ok: true; isCollected: boolean; counts: SignalCounts } | { ok: false; error: SignalError };

export interface SignalServiceOptions {
  store: SignalStore;
  /** Keys reader and sender hashes (the comment service's secret). */
  secret: string;
  collectRateLimit: RateLimit | null;
  /** Views of an essay one network may add a day; null for no limit. */
  viewLimit: ViewLimit | null;
  isKnownEssay: (slug: string) => boolean | Promise<boolean>;
  now?: () => Date;
  createSalt?: () => string;
}

/** Who sent a signal: their address, and whether another site's page made the request (see isCrossSiteRequest). */
export interface SignalSender {
  address: string;
  isCrossSite: boolean;
}

export interface SignalService {
  /** Counts a reader's view unless it is a bot, a prefetch, another site's page or a repeat of today's. */
  recordView(raw: unknown, request: SignalSender & { headers: Headers }): Promise<ViewResult>;
  /** Collects or un-collects an essay for one device's reader id; never for another site's page. */
  setCollected(raw: unknown, sender: SignalSender): Promise<CollectResult>;
  /** An essay's counts, or undefined for an unknown essay. */
  getCounts(essay: string): Promise<SignalCounts | undefined>;
  store: SignalStore;
}

export function createSignalService(options: SignalServiceOptions): SignalService {
  const {
    store,
    secret,
    collectRateLimit,
    viewLimit,
    isKnownEssay,
    now = () => new Date(),
    createSalt = () => randomBytes(32).toString('base64url'),
  } = options;
  // Only the day's salt is kept in memory (every instance reads the same stored one); counts always go to the database.
  let daySalt: { day: string; salt: Promise<string> } | undefined;

  function getSalt(day: string): Promise<string> {
    if (daySalt?.day !== day) {
      const salt = store.getDaySalt(day, createSalt());
      daySalt = { day, salt };
      salt.catch(() => {
        if (daySalt?.salt === salt) daySalt = undefined;
      });
    }
    return daySalt.salt;
  }

  async function readInput<Schema extends z.ZodType>(
    schema: Schema,
    raw: unknown,
  ): Promise<{ ok: true; input: z.infer<Schema> } | { ok: false; error: SignalError }> {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: { status: 400, code: 'invalidInput' } };
    const { essay } = parsed.data as { essay: string };
    if (!(await isKnownEssay(essay))) return { ok: false, error: { status: 404, code: 'essayNotFound' } };
    return { ok: true, input: parsed.data };
  }

  return {
    store,

    async recordView(raw, { address, headers, isCrossSite }) {
      const read = await readInput(viewInputSchema, raw);
      if (!read.ok) return read;
      const { essay, lang } = read.input;
      // Another site embedding our pixel or calling the API would count its own visitors as our readers.
      const uncountedReason = isCrossSite ? 'crossSite' : getUncountedReason(headers);
      if (uncountedReason) return { ok: true, isCounted: false, uncountedReason, counts: await store.getCounts(essay) };
      const day = getUtcDay(now());
      const salt = await getSalt(day);
      const visitorHash = hashVisitor(salt, { address, userAgent: headers.get('user-agent') ?? '', essay });
      const networkHash = viewLimit ? hashNetwork(salt, { address, essay }) : undefined;
      const outcome = await store.recordView({ essay, lang, day, visitorHash, networkHash }, viewLimit ?? undefined);
      const isCounted = outcome === 'counted';
      return { ok: true, isCounted, ...(isCounted ? {} : { uncountedReason: outcome }), counts: await store.getCounts(essay) };
    },

    async setCollected(raw, { address, isCrossSite }) {
      // Checked first: another site's page may not learn whether an essay exists, or spend the reader's allowance.
      if (isCrossSite) return { ok: false, error: { status: 403, code: 'crossSite' } };
      const read = await readInput(collectInputSchema, raw);
      if (!read.ok) return read;
      const { essay, lang, reader, collected } = read.input;
      const at = now();
      const limit = getSenderLimit(collectRateLimit, { hasFormToken: true, now: at });
      const { isAllowed } = await store.setCollected(
        { essay, lang, readerHash: hashReader(reader, secret), senderHash: hashSender(address, secret), isCollected: collected, at },
        limit,
      );
      if (!isAllowed) {
        return {
          ok: false,
          error: { status: 429, code: 'rateLimited', retryAfterSeconds: Math.ceil((collectRateLimit?.windowMs ?? 60_000) / 1000) },
        };
      }
      return { ok: true, isCollected: collected, counts: await store.getCounts(essay) };
    },

    async getCounts(essay) {
      if (!(await isKnownEssay(essay))) return undefined;
      return store.getCounts(essay);
    },
  };
}
