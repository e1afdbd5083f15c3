// @ts-check
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** What every benchmark shares: where the project is, how to run Node 24, how to print results. */

/** The project this script belongs to (scripts/bench/ → two levels up). */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Node 24 from the `node` devDependency: Astro 7 needs ≥ 22.12, the machine's Node may be older. */
export const nodeBinary = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));

/**
 * One row of a benchmark's result, as `npm run bench` prints it.
 * @typedef {object} Metric
 * @property {string} metric
 * @property {number} value
 * @property {string} unit '' for plain counts
 * @property {string} [target] e.g. '≤ 1.3×'; absent when the figure is for information only
 * @property {'PASS' | 'OVER'} [status] present exactly when `target` is
 */

/**
 * What each benchmark prints on stdout with `--json` (extra fields are its own business).
 * @typedef {object} BenchmarkReport
 * @property {string} benchmark
 * @property {Metric[]} metrics
 * @property {string[]} [warnings] why the figures may not be trusted (a busy machine, say)
 */

/**
 * Pads columns to a plain-text table; columns whose every value is a number are right-aligned.
 * @param {readonly string[]} header
 * @param {ReadonlyArray<ReadonlyArray<string | number>>} rows
 */
export function formatTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => [...(row[column] ?? '')].length)));
  const isNumeric = header.map((_, column) => rows.length > 0 && rows.every((row) => /^-?\d[\d.]*$/.test(String(row[column]))));
  const formatRow = (/** @type {string[]} */ row) =>
    row
      .map((cell, column) => (isNumeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join(' | ')
      .trimEnd();
  const [headerCells = [], ...bodyCells] = cells;
  return [formatRow(headerCells), widths.map((width) => '-'.repeat(width)).join('-|-'), ...bodyCells.map(formatRow)].join('\n');
}

/** Rounds for display without trailing noise: 1234.5678 → 1234.6, 0.01234 → 0.0123. */
export function roundForDisplay(/** @type {number} */ value) {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(1, 3 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 4)));
}

/**
 * Runs a command, passing its stderr through and collecting its stdout.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ exitCode: number, stdout: string }>}
 */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'inherit'] });
    /** @type {Buffer[]} */
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/**
 * The last non-empty line of a command's output, parsed as JSON: the line a benchmark reserves for its result.
 * @param {string} stdout
 * @returns {{ result: unknown, otherOutput: string }}
 */
export function parseLastJsonLine(stdout) {
  const lines = stdout.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  try {
    return { result: JSON.parse(last), otherOutput: lines.join('\n') };
  } catch {
    throw new Error(`expected JSON on the last line of output, got:\n${stdout.slice(-2000)}`);
  }
}

/** A port on 127.0.0.1 that nothing listens on right now. @returns {Promise<number>} */
export function getFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * @typedef {object} BuildTiming one step a build timed (src/lib/build/build-timings.ts)
 * @property {string} step
 * @property {number} milliseconds
 * @property {number} endedAt epoch ms
 */

/**
 * The steps a build timed into `file` (given to it as DUIZHAO_BUILD_TIMINGS); none if it timed none.
 * @param {string} file
 * @returns {BuildTiming[]}
 */
export function readBuildTimings(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => /** @type {BuildTiming} */ (JSON.parse(line)));
}

/**
 * Milliseconds from the first start to the last end of some timed steps: steps that run side by
 * side (both search indexes, cards drawn several at a time) cost the build their span, not their sum.
 * @param {readonly BuildTiming[]} timings
 */
export function getTimingSpan(timings) {
  if (timings.length === 0) return 0;
  return Math.max(...timings.map((timing) => timing.endedAt)) - Math.min(...timings.map((timing) => timing.endedAt - timing.milliseconds));
}
