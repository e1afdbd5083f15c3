import { parseTrustProxy } from '../comments/client-address.ts';

/** What the Node server process reads from the environment (README, Configuration). */
export interface ServerConfig {
  /** HOST: the address to listen on; default 127.0.0.1. */
  host: string;
  /** PORT: default 4321. */
  port: number;
  /** SITE_URL: where the site lives publicly (origin only); unset means "wherever the request says", for local use. */
  siteUrl: URL | undefined;
  /** TRUST_PROXY: reverse proxies in front of the server whose X-Forwarded-For entries count. */
  trustedProxyHops: number;
  /** LOG_REQUESTS=1: one log line per request. */
  logRequests: boolean;
  /** SERVER_HEADERS_TIMEOUT_SECONDS: a client must have sent its headers within this; default 10. */
  headersTimeoutMs: number;
  /** SERVER_REQUEST_TIMEOUT_SECONDS: and its whole request within this; default 30. */
  requestTimeoutMs: number;
  /** SERVER_SHUTDOWN_SECONDS: on SIGTERM, how long requests in flight may take to finish; default 10. */
  shutdownTimeoutMs: number;
}

function readSeconds(env: Record<string, string | undefined>, name: string, fallbackSeconds: number): number {
  const text = (env[name] ?? '').trim();
  if (text === '') return fallbackSeconds * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new Error(`${name} must be a number of seconds between 0 and 3600; got "${text}"`);
  return Math.round(seconds * 1000);
}

/** SITE_URL as an origin: http(s), no path, query, fragment or credentials (it names a site, not a page). */
export function parseSiteUrl(value: string | undefined): URL | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash || url.pathname !== '/') {
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

/** Throws an Error naming the variable when a value is not valid. */
export function readServerConfig(env: Record<string, string | undefined>): ServerConfig {
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: readPort(env.PORT),
    siteUrl: parseSiteUrl(env.SITE_URL),
    trustedProxyHops: parseTrustProxy(env.TRUST_PROXY),
    logRequests: readSwitch(env.LOG_REQUESTS, 'LOG_REQUESTS'),
    headersTimeoutMs: readSeconds(env, 'SERVER_HEADERS_TIMEOUT_SECONDS', 10),
    requestTimeoutMs: readSeconds(env, 'SERVER_REQUEST_TIMEOUT_SECONDS', 30),
    shutdownTimeoutMs: readSeconds(env, 'SERVER_SHUTDOWN_SECONDS', 10),
  };
}
