// @ts-check
import { resolve } from 'node:path';
import { build } from 'astro';

/**
 * Builds one Astro project in this process and prints, as its last line of output,
 * `{"buildMs": …, "processMs": …, "cpuMs": …, "maxRssKb": …, "pathsListed": …, "pathsReused": …}`:
 * a process of its own so peak RSS is the build's.
 *
 * Usage: node_modules/.bin/node scripts/bench/run-astro-build.mjs <root>   (run with cwd = <root>)
 */

const rootArgument = process.argv[2];
if (!rootArgument) {
  console.error('usage: run-astro-build.mjs <project root>');
  process.exit(2);
}
const root = resolve(rootArgument);

// Astro tells which paths an incremental build copied from its cache only in its info log, one
// `├─ /path` line per static path followed by `(restored)` or `(cached)` when it did not render
// it: the log is read here to count them, and only its warnings and errors are passed on.
let pathsListed = 0;
let pathsReused = 0;
const writeOutput = process.stdout.write.bind(process.stdout);
/** @param {string | Uint8Array} chunk @param {...any} rest */
function countPaths(chunk, ...rest) {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const listed = text.split('├─').length - 1;
  const reused = text.split('(restored)').length - 1 + text.split('(cached)').length - 1;
  pathsListed += listed;
  pathsReused += reused;
  return /\[(?:WARN|ERROR)\]/.test(text) ? writeOutput(chunk, ...rest) : true;
}
process.stdout.write = /** @type {typeof process.stdout.write} */ (countPaths);

const started = performance.now();
await build({
  root,
  logLevel: 'info',
  // The benchmark links node_modules to the real project's: keep Astro's and Vite's caches
  // (content data store, optimised deps, incremental build) out of it, so no run reads or
  // overwrites the real project's cache with synthetic essays.
  cacheDir: resolve(root, '.bench-cache/astro'),
  vite: { cacheDir: resolve(root, '.bench-cache/vite'), logLevel: 'warn' },
});
const buildMs = performance.now() - started;
process.stdout.write = writeOutput;

const usage = process.resourceUsage();
const result = {
  buildMs,
  processMs: performance.now(),
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  maxRssKb: usage.maxRSS,
  pathsListed,
  pathsReused,
};
// Exit explicitly: a plugin's open handle must not make the benchmark wait, but only once stdout has drained.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
