/**
 * `npm run preview:cloudflare` (after build:cloudflare): the built Worker in workerd on 127.0.0.1,
 * offline, with a local D1 database that has the project's migrations applied.
 *
 * HOST and PORT as for `npm start` (default 127.0.0.1:8787). CLOUDFLARE_STATE_DIR holds the local
 * D1 data (default data/cloudflare/state). The comment and moderation settings of the environment
 * (COMMENTS_*, TRUST_PROXY, MODERATION_*) are passed to the Worker as vars.
 */
import '../../src/lib/load-env.ts';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getWorkerVars, getWranglerEnvironment, workerConfigPath } from '../../src/lib/db/wrangler-environment.ts';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const wrangler = join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const node = process.execPath;

function main(): number {
  if (!existsSync(join(projectRoot, workerConfigPath))) {
    console.error(`Error: ${workerConfigPath} is missing: run \`npm run build:cloudflare\` first (npm run preview:cloudflare does both).`);
    return 1;
  }
  const env = getWranglerEnvironment(projectRoot, process.env);
  const stateDir = env.CLOUDFLARE_STATE_DIR ?? '';
  const common = ['--config', workerConfigPath, '--persist-to', stateDir];
  const migrated = spawnSync(node, [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', ...common], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (migrated.status !== 0) {
    console.error('Error: the local D1 migrations failed (see above); the Worker was not started.');
    return 1;
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = env.PORT?.trim() || '8787';
  const vars = Object.entries(getWorkerVars(env)).flatMap(([key, value]) => ['--var', `${key}:${value}`]);
  const args = [
    wrangler,
    'dev',
    ...common,
    '--local',
    '--ip',
    host,
    '--port',
    port,
    '--show-interactive-dev-session=false',
    '--log-level',
    'info',
    ...vars,
  ];
  const child = spawn(node, args, { cwd: projectRoot, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return 0;
}

const code = main();
if (code !== 0) process.exitCode = code;
