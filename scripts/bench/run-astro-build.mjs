// @ts-check
import { resolve } from 'node:path';
import { build } from 'astro';

/**
 * Builds one Astro project in this process and prints, as its last line of output,
 * `{"buildMs": …, "processMs": …, "cpuMs": …, "maxRssKb": …}`: a process of its own so peak RSS is the build's.
 *
 * Usage: node_modules/.bin/node scripts/bench/run-astro-build.mjs <root>   (run with cwd = <root>)
 */

const rootArgument = process.argv[2];
if (!rootArgument) {
  console.error('usage: run-astro-build.mjs <project root>');
  process.exit(2);
}
const root = resolve(rootArgument);

const started = performance.now();
await build({
  root,
  logLevel: 'warn',
  // The benchmark links node_modules to the real project's: keep Astro's and Vite's caches
  // (content data store, optimised deps) out of it, so every run starts cold and the
  // real project's cache is never overwritten with synthetic essays.
  cacheDir: resolve(root, '.bench-cache/astro'),
  vite: { cacheDir: resolve(root, '.bench-cache/vite') },
});
const buildMs = performance.now() - started;

const usage = process.resourceUsage();
const result = {
  buildMs,
  processMs: performance.now(),
  cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  maxRssKb: usage.maxRSS,
};
// Exit explicitly: a plugin's open handle must not make the benchmark wait, but only once stdout has drained.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
