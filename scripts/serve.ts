/**
 * `npm run serve` (and `npm start` after the build): the production server for dist/. Reads .env,
 * checks the Node version, then hands over to src/lib/node-server/ (start-node-server.ts). Run it
 * with the Node in node_modules/.bin/node, as the npm scripts do.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEnvFile } from '../src/lib/env-file.ts';
import { formatLogLine } from '../src/lib/node-server/log.ts';
import { checkNodeVersion } from '../src/lib/node-server/node-version.ts';

const projectRoot = resolve(import.meta.dirname, '..');

function fail(message: string): never {
  process.stderr.write(`${formatLogLine('error', `cannot start: ${message}`)}\n`);
  process.exit(1);
}

loadEnvFile(join(projectRoot, '.env'));
const astroPackage = JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'astro', 'package.json'), 'utf8')) as {
  engines?: { node?: string };
};
const versionProblem = checkNodeVersion(process.versions.node, astroPackage.engines?.node);
if (versionProblem) fail(versionProblem);

// Loaded only now: on a Node too old for them, the line above is what the operator sees.
const { startNodeServer, StartupError } = await import('../src/lib/node-server/start-node-server.ts');
try {
  await startNodeServer({ projectRoot, env: process.env });
} catch (error) {
  if (error instanceof StartupError) fail(error.message);
  throw error;
}
