// @ts-check
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import {
  countStoredComments,
  createLog,
  exitUnlessBuilt,
  getCommentPostOptions,
  listPublishedEssays,
  measure,
  printResults,
  readTargets,
  runAutocannon,
  startServer,
} from './api-bench-support.mjs';

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
const targets = readTargets(values.target);
const log = createLog('comments');

const essay = listPublishedEssays()[0]?.slug ?? '';
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
 * @param {import('./api-bench-support.mjs').BenchTarget} target
 * @param {import('./api-bench-support.mjs').Result[]} results
 */
async function measureTarget(target, results) {
  const folder = mkdtempSync(join(tmpdir(), 'duizhao-bench-comments-'));
  log(`${target}: starting the server`);
  const server = await startServer(target, folder);
  try {
    const postOptions = getCommentPostOptions(server.baseURL, essay);
    const { url } = postOptions;

    const loadBefore = loadavg()[0] ?? 0;
    log(`warming up (load average ${loadBefore.toFixed(2)} on ${cpus().length} CPUs: other work on the machine lowers every figure)`);
    await runAutocannon({ ...postOptions, connections, amount: 500 });

    log(`POST ${url}: ${connections} connections, ${duration} s`);
    const before = await countStoredComments(server.databasePath());
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

exitUnlessBuilt(targets);
/** @type {import('./api-bench-support.mjs').Result[]} */
const results = [];
for (const target of targets) await measureTarget(target, results);
printResults('comments', results, { isJson });
