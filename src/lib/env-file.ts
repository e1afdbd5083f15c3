import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Reads `.env` (KEY=value lines) into `process.env`, if the file exists. Variables already set in
 * the environment win: Node's own `process.loadEnvFile` never overwrites them. Returns whether a
 * file was read. Used by the server launcher, astro.config.mjs (build, dev, check) and the CLIs.
 */
export function loadEnvFile(path = resolve(process.cwd(), '.env')): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}
