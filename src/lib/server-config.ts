import type { RateLimit } from './http/rate-limit.ts';

/**
 * Every environment variable the server reads (README, Configuration) is read, checked and typed
 * here and nowhere else; a value that is not valid throws an Error naming the variable and what it
 * takes. Two readers for the two places that start: readSiteConfig for the site's on-demand routes
 * (the Node build and the Worker, where the variables are vars and secrets), readServerConfig for
 * the Node server process (`npm run serve`), which checks the site's settings too before it
 * listens, so a bad value stops start-up instead of failing the first request.
 */

/** What the site's routes read, on Node and on Cloudflare alike. */
export interface SiteConfig {
  /** COMMENTS_DB: the SQLite file; default data/comments.db under the working directory (Node only: the Worker has its D1 binding). */
  databasePath: string;
  /** COMMENTS_RATE_LIMIT: default 5/10m; `0` turns it off. */
  rateLimit: RateLimit | null;
  /** COMMENTS_SITE_LIMIT: readers' new comments across the whole site; default 200/1h; `0` turns it off. Moderators are exempt. */
  siteCommentLimit: RateLimit | null;
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
  /** MODERATION_WEBHOOK_URL and MODERATION_WEBHOOK_RETRY_SECONDS; undefined when no URL is set (no notifications). */
  webhook: WebhookConfig | undefined;
  /** MODERATION_AUTHOR_NAME: the name the author's replies carry; undefined: the moderator's account name. */
  authorName: string | undefined;
  /** SMTP_URL, MAIL_FROM, MODERATION_EMAIL, MAIL_RETRY_SECONDS; undefined when SMTP_URL is unset (no email, no checkbox). */
  email: EmailConfig | undefined;
}

export interface EmailConfig {
  /** SMTP_URL: smtp://user:pass@host:587 or smtps://…:465, as nodemailer takes it. */
  smtpUrl: string;
  /** MAIL_FROM: the sender, `Name <address>` or an address. */
  from: string;
  /** SITE_URL: the links in an email must be absolute. */
  siteUrl: URL;
  /** MODERATION_EMAIL: addresses told of each pending comment; none when unset. */
  moderatorAddresses: string[];
  /** MAIL_RETRY_SECONDS: the wait before the first retry (default 60); each further one waits twice as long. */
  retryBaseMs: number;
}

export interface WebhookConfig {
  url: string;
  /** The wait before the first retry; each further one waits twice as long. */
  retryBaseMs: number;
}

/** What the Node server process reads besides the site's settings. */
export interface ServerConfig extends SiteConfig {
  /** HOST: the address to listen on; default 127.0.0.1. */
  host: string;
  /** PORT: default 4321. */
  port: number;
  /** SITE_URL: where the site lives publicly (origin only); unset means "wherever the request says", for local use. */
  siteUrl: URL | undefined;
  /** LOG_REQUESTS=1: one log line per request. */
  logRequests: boolean;
  /** SERVER_HEADERS_TIMEOUT_SECONDS: a client must have sent its headers within this; default 10. */
  headersTimeoutMs: number;
  /** SERVER_REQUEST_TIMEOUT_SECONDS: and its whole request within this; default 30. */
  requestTimeoutMs: number;
  /** SERVER_SHUTDOWN_SECONDS: on SIGTERM, how long requests in flight may take to finish; default 10. */
  shutdownTimeoutMs: number;
  /** DUIZHAO_DIST_DIR: the build to serve, relative to the project; default dist (tests serve builds of their own). */
  distDirectory: string;
}

type Environment = Record<string, string | undefined>;

const defaultDatabasePath = 'data/comments.db';
const defaultRateLimit = '5/10m';
const defaultCollectRateLimit = '30/1h';
// Generous: a busy day's comments in an hour, so only a flood (many senders at once) meets it.
const defaultSiteCommentLimit = '200/1h';
const defaultMinFillSeconds = 3;
const defaultViewsPerNetwork = 50;

const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Reads a rate limit setting (`COMMENTS_RATE_LIMIT` unless `setting` names another):
 * `<count>/<length><s|m|h|d>` such as `5/10m` or `20/1h` (`5/m` means per one minute);
 * `0` or `off` turns the limit off (null).
 */
export function parseRateLimit(
  value: string | undefined,
  { setting = 'COMMENTS_RATE_LIMIT', fallback = defaultRateLimit }: { setting?: string; fallback?: string } = {},
): RateLimit | null {
  const text = (value ?? '').trim() || fallback;
  if (text === '0' || text.toLowerCase() === 'off') return null;
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smhd])$/i.exec(text);
  const max = Number(match?.[1]);
  const length = match?.[2] ? Number(match[2]) : 1;
  const unit = match?.[3]?.toLowerCase() as keyof typeof unitMs | undefined;
  if (!match || !unit || !Number.isSafeInteger(max) || max < 1 || !Number.isSafeInteger(length) || length < 1) {
    throw new Error(`${setting} must look like "5/10m" (count/length with s, m, h or d) or be "0" to turn it off; got "${value}"`);
  }
  return { max, windowMs: length * unitMs[unit] };
}

/** Reads `TRUST_PROXY`: how many reverse-proxy hops in front of the server to believe (0 when unset). */
export function parseTrustProxy(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false') return 0;
  const hops = Number(text);
  if (!Number.isSafeInteger(hops) || hops < 0) {
    throw new Error(`TRUST_PROXY must be the number of proxies in front of the server (0, 1, 2…); got "${value}"`);
  }
  return hops;
}

/** A count of at least 1, `0` or `off` for none, or the default when unset. */
function parseLimitCount(value: string | undefined, { setting, fallback }: { setting: string; fallback: number }): number | null {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (text === '0' || text === 'off') return null;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`${setting} must be a whole number ≥ 1, or 0 or off for no limit; got "${value}"`);
  return count;
}

/** MODERATION_WEBHOOK_URL and MODERATION_WEBHOOK_RETRY_SECONDS, checked. */
export function readWebhookConfig(env: Environment): WebhookConfig | undefined {
  const url = env.MODERATION_WEBHOOK_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new Error(`MODERATION_WEBHOOK_URL must be an http(s) URL; got "${url}"`);
  const retry = (env.MODERATION_WEBHOOK_RETRY_SECONDS ?? '').trim();
  const seconds = retry === '' ? 30 : Number(retry);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`MODERATION_WEBHOOK_RETRY_SECONDS must be a number of seconds > 0; got "${retry}"`);
  return { url, retryBaseMs: seconds * 1000 };
}

// An address as the comment form takes it (one @, no spaces or angle brackets), for the settings' addresses.
const plainAddress = /^[^\s@<>,]+@[^\s@<>,]+$/;

/** SMTP_URL and what goes with it, checked; undefined when SMTP_URL is unset. */
export function readEmailConfig(env: Environment): EmailConfig | undefined {
  const smtpUrl = env.SMTP_URL?.trim();
  if (!smtpUrl) return undefined;
  if (!/^smtps?:\/\//.test(smtpUrl) || !URL.canParse(smtpUrl))
    throw new Error('SMTP_URL must be an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.com:465');
  const from = env.MAIL_FROM?.trim() ?? '';
  const fromAddress = /<([^<>]+)>$/.exec(from)?.[1] ?? from;
  if (!plainAddress.test(fromAddress))
    throw new Error(`MAIL_FROM must be an address or "Name <address>" when SMTP_URL is set; got "${from}"`);
  const siteUrl = parseSiteUrl(env.SITE_URL);
  if (!siteUrl) throw new Error('SITE_URL must be set when SMTP_URL is: the links in an email must be absolute');
  const moderatorAddresses = (env.MODERATION_EMAIL ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const wrong = moderatorAddresses.find((address) => !plainAddress.test(address));
  if (wrong) throw new Error(`MODERATION_EMAIL must be addresses separated by commas; "${wrong}" is not one`);
  const retry = (env.MAIL_RETRY_SECONDS ?? '').trim();
  const seconds = retry === '' ? 60 : Number(retry);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`MAIL_RETRY_SECONDS must be a number of seconds > 0; got "${retry}"`);
  return { smtpUrl, from, siteUrl, moderatorAddresses, retryBaseMs: seconds * 1000 };
}

export function readSiteConfig(env: Environment): SiteConfig {
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
    siteCommentLimit: parseRateLimit(env.COMMENTS_SITE_LIMIT, { setting: 'COMMENTS_SITE_LIMIT', fallback: defaultSiteCommentLimit }),
    collectRateLimit: parseRateLimit(env.COLLECTS_RATE_LIMIT, { setting: 'COLLECTS_RATE_LIMIT', fallback: defaultCollectRateLimit }),
    viewsPerNetwork: parseLimitCount(env.VIEWS_PER_NETWORK, { setting: 'VIEWS_PER_NETWORK', fallback: defaultViewsPerNetwork }),
    trustedProxyHops: parseTrustProxy(env.TRUST_PROXY),
    secret: secret || undefined,
    minFillMs: minFillSeconds * 1000,
    webhook: readWebhookConfig(env),
    authorName: env.MODERATION_AUTHOR_NAME?.trim() || undefined,
    email: readEmailConfig(env),
  };
}

let siteConfig: SiteConfig | undefined;

/**
 * The running site's settings, read from the environment on first use. A value that is not valid
 * throws on every use, naming it (a route answers 500), until the server is started with a good one.
 */
export function getSiteConfig(): SiteConfig {
  siteConfig ??= readSiteConfig(process.env);
  return siteConfig;
}

/** The variables a Worker takes as vars and secrets: the site's settings except COMMENTS_DB (it has its D1 binding). */
export const workerVariables = [
  'COMMENTS_SECRET',
  'COMMENTS_RATE_LIMIT',
  'COMMENTS_MIN_FILL_SECONDS',
  'COLLECTS_RATE_LIMIT',
  'VIEWS_PER_NETWORK',
  'TRUST_PROXY',
  'MODERATION_WEBHOOK_URL',
  'MODERATION_WEBHOOK_RETRY_SECONDS',
  'MODERATION_AUTHOR_NAME',
] as const;

function readSeconds(env: Environment, name: string, fallbackSeconds: number): number {
  const text = (env[name] ?? '').trim();
  if (text === '') return fallbackSeconds * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw new Error(`${name} must be a number of seconds between 0 and 3600; got "${text}"`);
  return Math.round(seconds * 1000);
}

/** SITE_URL as an origin: http(s), no path, query, fragment or credentials (it names a site, not a page). */
export function parseSiteUrl(value: string | undefined): URL | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    url.pathname !== '/'
  ) {
    throw new Error(`SITE_URL must be the site's address, such as https://example.com (http or https, no path); got "${text}"`);
  }
  return url;
}

function readPort(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '') return 4321;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a whole number from 0 to 65535; got "${text}"`);
  return port;
}

function readSwitch(value: string | undefined, name: string): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === '0' || text === 'false' || text === 'off') return false;
  if (text === '1' || text === 'true' || text === 'on') return true;
  throw new Error(`${name} must be 1 or 0; got "${value}"`);
}

/** The Node server process's settings and the site's. Throws an Error naming the variable when a value is not valid. */
export function readServerConfig(env: Environment): ServerConfig {
  return {
    ...readSiteConfig(env),
    host: env.HOST?.trim() || '127.0.0.1',
    port: readPort(env.PORT),
    siteUrl: parseSiteUrl(env.SITE_URL),
    logRequests: readSwitch(env.LOG_REQUESTS, 'LOG_REQUESTS'),
    headersTimeoutMs: readSeconds(env, 'SERVER_HEADERS_TIMEOUT_SECONDS', 10),
    requestTimeoutMs: readSeconds(env, 'SERVER_REQUEST_TIMEOUT_SECONDS', 30),
    shutdownTimeoutMs: readSeconds(env, 'SERVER_SHUTDOWN_SECONDS', 10),
    distDirectory: env.DUIZHAO_DIST_DIR?.trim() || 'dist',
  };
}
