// @ts-check
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, nodeBinary, parseLastJsonLine, projectRoot, runCommand } from './bench-support.mjs';

/**
 * Runs every benchmark and prints one table: benchmark | metric | value | target | status.
 *
 *   npm run bench -- [--essays 200] [--runs 1] [--seed 1] [--keep] [--json]
 *
 * Options are passed on to the benchmarks that declare them. Exit code 1 if a benchmark fails to run;
 * a figure over its target is reported, not treated as a failure.
 */

/**
 * @typedef {object} BenchmarkEntry
 * @property {string} name as shown in the table
 * @property {string} script under scripts/bench/; must print a BenchmarkReport as its last stdout line with `--json`
 * @property {Record<string, 'string' | 'boolean'>} options which of run-all's options it accepts
 */

/** Every benchmark the project has: one line each. */
/** @type {BenchmarkEntry[]} */
const benchmarks = [
  { name: 'build', script: 'build.mjs', options: { essays: 'string', runs: 'string', seed: 'string', keep: 'boolean' } },
  { name: 'charts', script: 'chart-bytes.mjs', options: { build: 'boolean' } },
  { name: 'comments', script: 'comments.mjs', options: { duration: 'string', connections: 'string', target: 'string' } },
  { name: 'lighthouse', script: 'lighthouse.mjs', options: { runs: 'string' } },
  { name: 'search-share', script: 'search-share.mjs', options: { essays: 'string', keep: 'boolean' } },
  {
    name: 'views',
    script: 'views.mjs',
    options: {
      duration: 'string',
      connections: 'string',
      'view-connections': 'string',
      rate: 'string',
      'comment-rate': 'string',
      target: 'string',
    },
  },
];

/** @returns {{ values: Record<string, string | boolean | undefined>, isJson: boolean }} */
function readOptions() {
  /** @type {Record<string, { type: 'string' | 'boolean' }>} */
  const options = { json: { type: 'boolean' } };
  for (const benchmark of benchmarks) {
    for (const [name, type] of Object.entries(benchmark.options)) options[name] = { type };
  }
  try {
    const { values } = parseArgs({ options });
    return { values, isJson: values.json === true };
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}

/**
 * The command-line arguments a benchmark gets: the options it declares that were given.
 * @param {BenchmarkEntry} benchmark
 * @param {Record<string, string | boolean | undefined>} values
 */
function getForwardedArguments(benchmark, values) {
  return Object.keys(benchmark.options).flatMap((name) => {
    const value = values[name];
    if (value === undefined || value === false) return [];
    return value === true ? [`--${name}`] : [`--${name}`, value];
  });
}

/**
 * @param {unknown} value
 * @returns {value is import('./bench-support.mjs').BenchmarkReport}
 */
function isBenchmarkReport(value) {
  return typeof value === 'object' && value !== null && 'metrics' in value && Array.isArray(value.metrics);
}

/**
 * Runs one benchmark with `--json`; a failure becomes a row with status ERROR instead of stopping the others.
 * @param {BenchmarkEntry} benchmark
 * @param {Record<string, string | boolean | undefined>} values
 * @returns {Promise<{ name: string, report?: import('./bench-support.mjs').BenchmarkReport, error?: string }>}
 */
async function runBenchmark(benchmark, values) {
  const args = [join(projectRoot, 'scripts/bench', benchmark.script), '--json', ...getForwardedArguments(benchmark, values)];
  process.stderr.write(`[bench] ${benchmark.name}: ${args.slice(1).join(' ')}\n`);
  try {
    const { exitCode, stdout } = await runCommand(nodeBinary, args, { cwd: projectRoot });
    if (exitCode !== 0) return { name: benchmark.name, error: `exit ${exitCode}` };
    const { result } = parseLastJsonLine(stdout);
    if (!isBenchmarkReport(result)) return { name: benchmark.name, error: 'output has no metrics' };
    return { name: benchmark.name, report: result };
  } catch (error) {
    return { name: benchmark.name, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `1.42×`, `2020`, `312 MB`: ratio and percentage signs hug the number, units get a space. */
function formatValue(/** @type {import('./bench-support.mjs').Metric} */ metric) {
  if (!metric.unit) return String(metric.value);
  return ['×', '%'].includes(metric.unit) ? `${metric.value}${metric.unit}` : `${metric.value} ${metric.unit}`;
}

const { values, isJson } = readOptions();
/** @type {Array<Awaited<ReturnType<typeof runBenchmark>>>} */
const outcomes = [];
// One at a time: benchmarks measure time and memory, so they must not compete for the machine.
for (const benchmark of benchmarks) outcomes.push(await runBenchmark(benchmark, values));

if (isJson) {
  process.stdout.write(`${JSON.stringify({ benchmarks: outcomes })}\n`);
} else {
  const rows = outcomes.flatMap(({ name, report, error }) =>
    report
      ? report.metrics.map((metric) => [name, metric.metric, formatValue(metric), metric.target ?? '', metric.status ?? ''])
      : [[name, '—', error ?? '', '', 'ERROR']],
  );
  console.log(`\n${formatTable(['benchmark', 'metric', 'value', 'target', 'status'], rows)}`);
  for (const { name, report } of outcomes) {
    for (const warning of report?.warnings ?? []) console.log(`\nWarning (${name}): ${warning}.`);
  }
}
if (outcomes.some((outcome) => outcome.error)) process.exitCode = 1;
