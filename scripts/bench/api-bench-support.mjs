// @ts-check
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { getCatalogLocales } from '../../src/lib/essay-catalog.ts';
import { readEssayCatalog } from '../../src/lib/essay-files.ts';
import { formatTable, getFreePort, nodeBinary, projectRoot } from './bench-support.mjs';

/**
 * What the API benchmarks (comments, views) share: the built Node server and the built Worker on a
 * free port of 127.0.0.1 with a scratch database, autocannon, result rows and how they are printed.
 */

/** @typedef {'node' | 'cloudflare'} BenchTarget */

const serverEntry = join(projectRoot, process.env.DUIZHAO_DIST_DIR ?? 'dist', 'server/entry.mjs');
/** The server launcher (`npm run serve`) that serves that build. */
const serverLauncher = join(projectRoot, 'scripts/serve.ts');
const workerConfig = join(projectRoot, 'dist-cloudflare/server/wrangler.json');

/**
 * Settings for both servers: no rate limit and no fill-time wait, so every comment request is a real
 * insert; no per-network view limit, since every request comes from 127.0.0.1.
 */
export const benchSettings = { COMMENTS_RATE_LIMIT: '0', COMMENTS_MIN_FILL_SECONDS: '0', VIEWS_PER_NETWORK: '0', TRUST_PROXY: '' };

/**
 * The targets `--target node|cloudflare|both` names; anything else exits with a usage error.
 * @param {string | undefined} value
 * @returns {BenchTarget[]}
 */
export function readTargets(value) {
  if (value === 'both') return ['node', 'cloudflare'];
  if (value === 'node' || value === 'cloudflare') return [value];
  console.error(`--target must be node, cloudflare or both; got "${value}"`);
  process.exit(2);
}

/** Progress goes to stderr, so that `--json` leaves stdout to the result. */
export function createLog(/** @type {string} */ benchmark) {
  return (/** @type {string} */ message) => void process.stderr.write(`[bench:${benchmark}] ${message}\n`);
}

/**
 * Exits with a message naming the build command when a target has not been built.
 * @param {readonly BenchTarget[]} targets
 */
export function exitUnlessBuilt(targets) {
  for (const target of targets) {
    const [built, command] = target === 'node' ? [serverEntry, 'npm run build'] : [workerConfig, 'npm run build:cloudflare'];
    if (!existsSync(built)) {
      console.error(`No ${target} build at ${built}: run \`${command}\` first.`);
      process.exit(1);
    }
  }
}

/**
 * The Node server (scripts/serve.ts over dist/) or the Worker (npm run serve:cloudflare) on a free port,
 * once it answers.
 * @param {BenchTarget} target
 * @param {string} folder scratch folder for its database
 * @param {Record<string, string>} [settings] environment on top of `benchSettings`
 * @returns {Promise<{ baseURL: string, databasePath: () => string, stop: () => Promise<void> }>}
 */
export async function startServer(target, folder, settings = {}) {
  const port = await getFreePort();
  const isWorker = target === 'cloudflare';
  const stateDir = join(folder, 'cloudflare-state');
  const database = join(folder, 'comments.db');
  const child = spawn(nodeBinary, isWorker ? [join(projectRoot, 'scripts/cloudflare/serve.ts')] : [serverLauncher], {
    cwd: projectRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      COMMENTS_DB: database,
      CLOUDFLARE_STATE_DIR: stateDir,
      ...benchSettings,
      ...settings,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    // wrangler runs workerd as a child of its own: the whole group is stopped.
    detached: isWorker,
  });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async (/** @type {NodeJS.Signals} */ signal = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    if (isWorker) process.kill(-child.pid, signal);
    else child.kill(signal);
    await exited;
  };
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (isWorker ? 90_000 : 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${target} server exited with ${child.exitCode}:\n${errors}`);
    try {
      if ((await fetch(`${baseURL}/api/comments/token/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`the ${target} server did not start in time:\n${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { baseURL, databasePath: () => (isWorker ? findLocalD1File(stateDir) : database), stop };
}

/** Miniflare keeps a local D1 database as one SQLite file: the benchmarks count what was stored in it. */
function findLocalD1File(/** @type {string} */ stateDir) {
  const folder = join(stateDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(folder).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (!file) throw new Error(`no local D1 database file in ${folder}`);
  return join(folder, file);
}

/**
 * @param {import('autocannon').Options} options
 * @returns {Promise<import('autocannon').Result>}
 */
export function runAutocannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * The comment POST both API benchmarks send: a new comment as JSON, Chinese with some English and a link.
 * @param {string} baseURL
 * @param {string} essay
 */
export function getCommentPostOptions(baseURL, essay) {
  const body = JSON.stringify({
    essay,
    lang: 'zh',
    name: '压测读者',
    email: 'bench@example.com',
    body: '这是一条压测留言，用来测量发表评论的吞吐量和延迟。It mixes English too, and a link: https://example.com/bench.',
    private: false,
    website: '',
  });
  return { url: `${baseURL}/api/comments/`, method: /** @type {const} */ ('POST'), headers: { 'content-type': 'application/json' }, body };
}

/** How many comments the database holds, whatever their status. */
export async function countStoredComments(/** @type {string} */ database) {
  const driver = createSqliteDriver(database);
  try {
    return (await createCommentStore(driver).listComments()).length;
  } finally {
    await driver.close();
  }
}

/** The published versions of the demo essays (drafts left out), sorted by slug. */
export function listPublishedEssays() {
  const catalog = readEssayCatalog(join(projectRoot, 'content/essays'), { includeDrafts: false });
  if (catalog.length === 0) throw new Error('content/essays has no published essay');
  return catalog.map((essay) => ({ slug: essay.slug, langs: getCatalogLocales(essay) }));
}

/**
 * @typedef {object} Result
 * @property {string} metric
 * @property {number} value
 * @property {string} unit
 * @property {string} target '' when the figure is for information
 * @property {boolean} pass
 */

/**
 * @param {string} metric
 * @param {number} value
 * @param {string} unit
 * @param {'≥' | '≤' | '='} comparison
 * @param {number} [threshold] absent: reported for information, always passes
 * @returns {Result}
 */
export function measure(metric, value, unit, comparison, threshold) {
  const rounded = Math.round(value * 100) / 100;
  if (threshold === undefined) return { metric, value: rounded, unit, target: '', pass: true };
  const pass = comparison === '≥' ? value >= threshold : comparison === '≤' ? value <= threshold : value === threshold;
  return { metric, value: rounded, unit, target: `${comparison} ${threshold}${unit ? ` ${unit}` : ''}`, pass };
}

/**
 * Prints the results as a table, or with `isJson` as the BenchmarkReport line `npm run bench` reads.
 * @param {string} benchmark
 * @param {readonly Result[]} results
 * @param {{ isJson: boolean, warnings?: string[] }} options
 */
export function printResults(benchmark, results, { isJson, warnings = [] }) {
  if (isJson) {
    // `metrics`/`status` is the BenchmarkReport run-all.mjs reads; `results`/`pass` are kept for whoever reads them directly.
    const metrics = results.map(({ metric, value, unit, target, pass }) => ({
      metric,
      value,
      unit,
      ...(target ? { target, status: pass ? 'PASS' : 'OVER' } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ benchmark, results, metrics, ...(warnings.length > 0 ? { warnings } : {}) })}\n`);
    return;
  }
  const rows = results.map(({ metric, value, unit, target, pass }) => [
    metric,
    `${value}${unit ? ` ${unit}` : ''}`,
    target,
    target ? (pass ? 'PASS' : 'FAIL') : '',
  ]);
  console.log(formatTable(['metric', 'value', 'target', 'status'], rows));
  for (const warning of warnings) console.log(`\nWarning: ${warning}.`);
}
