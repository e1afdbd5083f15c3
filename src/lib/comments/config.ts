import { parseTrustProxy } from './client-address.ts';
import { parseRateLimit, type RateLimit } from './rate-limit.ts';

/** Everything the comment service reads from the environment; see the report/README for each variable. */
export interface CommentsConfig {
  /** COMMENTS_DB: the SQLite file; default data/comments.db under the working directory. */
  databasePath: string;
  /** COMMENTS_RATE_LIMIT: default 5/10m; `0` turns it off. */
  rateLimit: RateLimit | null;
  /** COLLECTS_RATE_LIMIT: collects and un-collects per sender; default 30/1h; `0` turns it off. */
  collectRateLimit: RateLimit | null;
  /** VIEWS_PER_NETWORK: counted views of one essay per network per UTC day; default 50; `0` turns the limit off. */
  viewsPerNetwork: number | null;
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For entries count; default 0 (the socket address). */
  trustedProxyHops: number;
  /** COMMENTS_SECRET: keys address hashes and form tokens; generated and stored in the database when unset. */
  secret: string | undefined;
  /** COMMENTS_MIN_FILL_SECONDS: how long a form must be open before it is sent; default 3, `0` turns it off. */
  minFillMs: number;
}

export const defaultDatabasePath = 'data/comments.db';
const defaultMinFillSeconds = 3;
export const defaultCollectRateLimit = '30/1h';
const defaultViewsPerNetwork = 50;

/** A count of at least 1, `0` or `off` for none, or the default when unset. */
function parseLimitCount(value: string | undefined, { setting, fallback }: { setting: string; fallback: number }): number | null {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (text === '0' || text === 'off') return null;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${setting} must be a whole number ≥ 1, or 0 or off for no limit; got "${value}"`);
  return count;
}

export function readCommentsConfig(env: Record<string, string | undefined>): CommentsConfig {
  const minFill = (env.COMMENTS_MIN_FILL_SECONDS ?? '').trim();
  const minFillSeconds = minFill === '' ? defaultMinFillSeconds : Number(minFill);
  if (!Number.isFinite(minFillSeconds) || minFillSeconds < 0) {
    throw new Error(`COMMENTS_MIN_FILL_SECONDS must be a number of seconds ≥ 0; got "${minFill}"`);
  }
  const secret = env.COMMENTS_SECRET?.trim();
  if (secret !== undefined && secret !== '' && secret.length < 16) {
    throw new Error('COMMENTS_SECRET must be at least 16 characters long');
  }
  return {
    databasePath: env.COMMENTS_DB?.trim() || defaultDatabasePath,
    rateLimit: parseRateLimit(env.COMMENTS_RATE_LIMIT),
    collectRateLimit: parseRateLimit(env.COLLECTS_RATE_LIMIT, { setting: 'COLLECTS_RATE_LIMIT', fallback: defaultCollectRateLimit }),
    viewsPerNetwork: parseLimitCount(env.VIEWS_PER_NETWORK, { setting: 'VIEWS_PER_NETWORK', fallback: defaultViewsPerNetwork }),
    trustedProxyHops: parseTrustProxy(env.TRUST_PROXY),
    secret: secret || undefined,
    minFillMs: minFillSeconds * 1000,
  };
}
