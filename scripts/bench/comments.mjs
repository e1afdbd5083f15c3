// @ts-check
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createSqliteDriver } from '../../src/lib/comments/sqlite.ts';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { isDraftSource } from '../../src/lib/essay-files.ts';

/**
 * Comment API throughput and latency against the built server (dist/ from `npm run build`),
 * on 127.0.0.1 with its own temporary database and the rate limit off; and against the built
 * Worker (dist-cloudflare/ from `npm run build:cloudflare`) in workerd with a local D1.
 *
 *   npm run bench:comments -- [--duration 10] [--connections 10] [--target node|cloudflare|both] [--json]
 *
 * The targets apply to the Node server. The local Worker's figures are for information: wrangler's
 * local D1 is a simulator on this machine, not Cloudflare's network.
 *
 * POST: new comments as JSON, each durably stored before its 201. GET: the threaded public
 * list of an essay with 50 approved comments, full 200 answers (no If-None-Match). For scale it
 * also measures the smallest on-demand route (the token endpoint) and prints the load average.
 * With --json the last line of stdout is { benchmark, results: [{ metric, value, unit, target, pass }] }.
 */

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const nodeBinary = join(projectRoot, 'node_modules/.bin/node');
const serverEntry = join(projectRoot, process.env.DUIZHAO_DIST_DIR ?? 'dist', 'server/entry.mjs');
const approvedComments = 50;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    target: { type: 'string', default: 'both' },
    json: { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const isJson = values.json === true;
if (!(duration > 0) || !(connections > 0)) {
  console.error('--duration and --connections must be positive numbers');
  process.exit(2);
}
if (!['node', 'cloudflare', 'both'].includes(values.target ?? '')) {
  console.error(`--target must be node, cloudflare or both; got "${values.target}"`);
  process.exit(2);
}
const workerConfig = join(projectRoot, 'dist-cloudflare/server/wrangler.json');

/** @param {string} message */
function log(message) {
  process.stderr.write(`[bench:comments] ${message}\n`);
}

/** @returns {Promise<number>} */
function getFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** An essay of the demo content: the first folder with a published (non-draft) version. */
function findEssaySlug() {
  const essaysDir = join(projectRoot, 'content/essays');
  const isPublished = (/** @type {string} */ file) => existsSync(file) && !isDraftSource(readFileSync(file, 'utf8'));
  const slug = readdirSync(essaysDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .find((name) => isPublished(join(essaysDir, name, 'zh.mdx')) || isPublished(join(essaysDir, name, 'en.mdx')));
  if (!slug) throw new Error('content/essays has no published essay to comment on');
  return slug;
}

/** Settings for both servers: no rate limit and no fill-time wait, so every request is a real insert. */
const benchSettings = { COMMENTS_RATE_LIMIT: '0', COMMENTS_MIN_FILL_SECONDS: '0', TRUST_PROXY: '' };

/**
 * The Node server (dist/server/entry.mjs) or the Worker (npm run serve:cloudflare) on a free port.
 * @param {'node' | 'cloudflare'} target
 * @param {string} folder scratch folder for its database
 * @returns {Promise<{ baseURL: string, databasePath: () => string, stop: () => Promise<void> }>}
 */
async function startServer(target, folder) {
  const port = await getFreePort();
  const isWorker = target === 'cloudflare';
  const stateDir = join(folder, 'cloudflare-state');
  const database = join(folder, 'comments.db');
  const child = spawn(nodeBinary, isWorker ? [join(projectRoot, 'scripts/cloudflare/serve.ts')] : [serverEntry], {
    cwd: projectRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COMMENTS_DB: database, CLOUDFLARE_STATE_DIR: stateDir, ...benchSettings },
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

/** Miniflare keeps a local D1 database as one SQLite file: the benchmark counts stored comments in it. */
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
function runAutocannon(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * @typedef {object} Metric
 * @property {string} metric
 * @property {number} value
 * @property {string} unit
 * @property {string} target
 * @property {boolean} pass
 */

/**
 * @param {string} metric
 * @param {number} value
 * @param {string} unit
 * @param {'≥' | '≤' | '='} comparison
 * @param {number} [threshold] absent: reported for information, always passes
 * @returns {Metric}
 */
function measure(metric, value, unit, comparison, threshold) {
  const rounded = Math.round(value * 100) / 100;
  if (threshold === undefined) return { metric, value: rounded, unit, target: '', pass: true };
  const pass = comparison === '≥' ? value >= threshold : comparison === '≤' ? value <= threshold : value === threshold;
  return { metric, value: rounded, unit, target: `${comparison} ${threshold}${unit ? ` ${unit}` : ''}`, pass };
}

const essay = findEssaySlug();
/**
 * Opens the benchmark's database through the comment store, to count and approve comments.
 * @param {string} database
 */
async function createCommentStoreForCount(database) {
  const driver = createSqliteDriver(database);
  const store = createCommentStore(driver);
  const count = (await store.listComments()).length;
  return { store, count, close: () => driver.close() };
}

/**
 * POST and GET figures of one target, added to `results`.
 * @param {'node' | 'cloudflare'} target
 * @param {Metric[]} results
 */
async function measureTarget(target, results) {
  const folder = mkdtempSync(join(tmpdir(), 'duizhao-bench-comments-'));
  log(`${target}: starting the server`);
  const server = await startServer(target, folder);
  try {
    const url = `${server.baseURL}/api/comments/`;
    const body = JSON.stringify({
      essay,
      lang: 'zh',
      name: '压测读者',
      email: 'bench@example.com',
      body: '这是一条压测留言，用来测量发表评论的吞吐量和延迟。It mixes English too, and a link: https://example.com/bench.',
      private: false,
      website: '',
    });
    const postOptions = { url, method: /** @type {const} */ ('POST'), headers: { 'content-type': 'application/json' }, body };

    const loadBefore = loadavg()[0] ?? 0;
    log(`warming up (load average ${loadBefore.toFixed(2)} on ${cpus().length} CPUs: other work on the machine lowers every figure)`);
    await runAutocannon({ ...postOptions, connections, amount: 500 });

    log(`POST ${url}: ${connections} connections, ${duration} s`);
    const before = (await createCommentStoreForCount(server.databasePath())).count;
    const post = await runAutocannon({ ...postOptions, connections, duration });
    const after = await createCommentStoreForCount(server.databasePath());
    const stored = after.count - before;

    // Approve some comments so the list has realistic weight.
    const toApprove = (await after.store.listComments({ essay })).slice(0, approvedComments);
    for (const comment of toApprove) await after.store.setCommentStatus(comment.id, 'approved');
    await after.close();

    const listUrl = `${url}?essay=${encodeURIComponent(essay)}`;
    log(`GET ${listUrl}: ${connections} connections, ${duration} s (${toApprove.length} approved comments)`);
    await runAutocannon({ url: listUrl, connections, amount: 1000 });
    const get = await runAutocannon({ url: listUrl, connections, duration });

    // What any on-demand Astro route costs on this machine: a ceiling for the GET figure.
    const baselineUrl = `${server.baseURL}/api/comments/token/`;
    log(`GET ${baselineUrl} (baseline: the smallest on-demand route): ${connections} connections, ${duration} s`);
    const baseline = await runAutocannon({ url: baselineUrl, connections, duration });

    const prefix = `${target}: `;
    const targetFor = (/** @type {number} */ threshold) => (target === 'node' ? threshold : undefined);
    results.push(
      measure(prefix + 'POST throughput', post.requests.average, 'req/s', '≥', targetFor(1000)),
      measure(prefix + 'POST latency p50', post.latency.p50, 'ms', '≤'),
      measure(prefix + 'POST latency p99', post.latency.p99, 'ms', '≤', targetFor(25)),
      measure(prefix + 'POST answers not 201', post.non2xx + post.errors + post.timeouts, '', '=', 0),
      // Requests still in flight when the run stops may be stored without their 201 counted: more stored is fine, fewer is not.
      measure(prefix + 'POST 201s missing from the database', Math.max(0, post['2xx'] - stored), '', '=', 0),
      measure(prefix + 'GET throughput', get.requests.average, 'req/s', '≥', targetFor(3000)),
      measure(prefix + 'GET latency p50', get.latency.p50, 'ms', '≤'),
      measure(prefix + 'GET latency p99', get.latency.p99, 'ms', '≤'),
      measure(prefix + 'GET answers not 200', get.non2xx + get.errors + get.timeouts, '', '=', 0),
      measure(prefix + 'baseline: token endpoint throughput', baseline.requests.average, 'req/s', '≤'),
      measure(prefix + 'load average before the run (1 min)', loadBefore, '', '≤'),
    );
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** @type {Array<'node' | 'cloudflare'>} */
const targets = values.target === 'both' ? ['node', 'cloudflare'] : [/** @type {'node' | 'cloudflare'} */ (values.target)];
for (const target of targets) {
  const [built, command] = target === 'node' ? [serverEntry, 'npm run build'] : [workerConfig, 'npm run build:cloudflare'];
  if (!existsSync(built)) {
    console.error(`No ${target} build at ${built}: run \`${command}\` first.`);
    process.exit(1);
  }
}
/** @type {Metric[]} */
const results = [];
for (const target of targets) await measureTarget(target, results);

if (isJson) {
  // `metrics`/`status` is the shape scripts/bench/run-all.mjs in main reads today; `results`/`pass` the one asked for.
  const metrics = results.map(({ metric, value, unit, target, pass }) => ({ metric, value, unit, ...(target ? { target, status: pass ? 'PASS' : 'OVER' } : {}) }));
  process.stdout.write(`${JSON.stringify({ benchmark: 'comments', results, metrics })}\n`);
} else {
  const rows = results.map(({ metric, value, unit, target, pass }) => [metric, `${value}${unit ? ` ${unit}` : ''}`, target, target ? (pass ? 'PASS' : 'FAIL') : '']);
  const header = ['metric', 'value', 'target', 'status'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (/** @type {string[]} */ row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ').trimEnd();
  console.log([format(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(format)].join('\n'));
}
