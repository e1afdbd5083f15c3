import { join, resolve } from 'node:path';
import { workerVariables } from '../server-config.ts';

/** Written by `npm run build:cloudflare` from scripts/cloudflare/wrangler.jsonc; wrangler dev and deploy read it. */
export const workerConfigPath = 'dist-cloudflare/server/wrangler.json';

/**
 * Wrangler, offline and self-contained: no metrics, no request for Cloudflare's `cf` object, and its
 * config, logs and local state inside the project's data/ folder rather than the home directory.
 */
export function getWranglerEnvironment(projectRoot: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dataDir = join(projectRoot, 'data', 'cloudflare');
  return {
    ...env,
    ASTRO_TELEMETRY_DISABLED: '1',
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    XDG_CONFIG_HOME: env.XDG_CONFIG_HOME ?? join(dataDir, 'config'),
    WRANGLER_LOG_PATH: env.WRANGLER_LOG_PATH ?? join(dataDir, 'logs'),
    CLOUDFLARE_STATE_DIR: resolve(projectRoot, env.CLOUDFLARE_STATE_DIR?.trim() || join(dataDir, 'state')),
  };
}

/** The environment's comment and moderation settings, for `wrangler dev --var`. */
export function getWorkerVars(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        (workerVariables as readonly string[]).includes(entry[0]) && typeof entry[1] === 'string' && entry[1] !== '',
    ),
  );
}
