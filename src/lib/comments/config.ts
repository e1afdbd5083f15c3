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
    trustedProxyHops: parseTrustProxy(env.TRUST_PROXY),
    secret: secret || undefined,
    minFillMs: minFillSeconds * 1000,
  };
}
