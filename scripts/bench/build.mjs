// @ts-check
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBareAstroProject } from './bare-astro-project.mjs';
import { formatTable, nodeBinary, parseLastJsonLine, projectRoot, roundForDisplay, runCommand } from './bench-support.mjs';
import { createSyntheticEssays, writeSyntheticEssays } from './synthetic-essays.mjs';

/**
 * Build benchmark: duizhao against a bare Astro + MDX project on the same synthetic essays.
 *
 *   npm run bench:build -- [--essays 1000] [--runs 1] [--seed 1] [--json] [--keep]
 *
 * With --json the result is the last line of stdout (`npm run -s` keeps npm's banner out of it).
 * Both projects are built in temporary copies; the real content/ and dist/ are never touched.
 */

/** duizhao's production build may take at most this many times the bare build's wall time. */
const targetRatio = 1.3;

/** Not copied into the temporary project: dependencies (linked instead), outputs, tests, local data. */
const skippedTopLevel = new Set([
  'node_modules',
  'dist',
  '.astro',
  'data',
  'tests',
  '.git',
  'test-results',
  'playwright-report',
  '.wrangler',
]);

const runnerScript = join(projectRoot, 'scripts/bench/run-astro-build.mjs');

/**
 * @typedef {object} BuildResult
 * @property {string} id
 * @property {string} label
 * @property {number} pages HTML files in the output
 * @property {number} wallMs median over runs, spawn to exit of the build process
 * @property {number} buildMs median over runs, the `build()` call alone
 * @property {number} cpuMs median over runs, user + system CPU time
 * @property {number} msPerPage wall time per HTML page
 * @property {number} peakRssMb highest over runs
 * @property {number[]} wallRuns every run's wall time, in order
 * @property {number} maxLoadAverage highest one-minute load average seen at the end of a run
 */

/** @returns {{ essays: number, runs: number, seed: number, json: boolean, keep: boolean }} */
function readOptions() {
  const { values } = parseArgs({
    options: {
      essays: { type: 'string', default: '1000' },
      runs: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  /** @param {string} name @param {string} text @param {number} minimum */
  const readInteger = (name, text, minimum) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new Error(`--${name} must be an integer ≥ ${minimum}, got "${text}"`);
    return value;
  };
  return {
    essays: readInteger('essays', values.essays, 1),
    runs: readInteger('runs', values.runs, 1),
    seed: readInteger('seed', values.seed, 0),
    json: values.json,
    keep: values.keep,
  };
}

/** Progress goes to stderr so `--json` leaves stdout to the result alone. */
function logProgress(/** @type {string} */ message) {
  process.stderr.write(`[bench:build] ${message}\n`);
}

/** @param {string} file */
function readIds(file) {
  /** @type {Array<{ id: string }>} */
  const entries = JSON.parse(readFileSync(file, 'utf8'));
  return entries.map((entry) => entry.id);
}

/**
 * Copies the project without its essays, outputs and tests, and links the real node_modules.
 * @param {string} destination
 */
function copyProjectWithoutEssays(destination) {
  const realEssays = join(projectRoot, 'content', 'essays');
  mkdirSync(destination, { recursive: true });
  for (const name of readdirSync(projectRoot)) {
    if (skippedTopLevel.has(name)) continue;
    cpSync(join(projectRoot, name), join(destination, name), { recursive: true, filter: (source) => source !== realEssays });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(destination, 'node_modules'), 'dir');
}

/** @param {string} dir */
function countHtmlFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .length;
}

/** @param {readonly number[]} values */
function getMedian(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * @typedef {object} Project
 * @property {string} id
 * @property {string} label
 * @property {string} root
 * @property {boolean} [keepsShareCards] build with the share cards the previous build of this root left in its cache
 */

/** Where the share-card cache lands under the runner's cacheDir (see run-astro-build.mjs and integrations/share-card-cache.ts). */
const shareCardCachePath = join('.bench-cache', 'astro', 'share-cards');

/**
 * @typedef {object} BuildSample one cold build
 * @property {number} wallMs spawn to exit of the build process
 * @property {number} buildMs the `build()` call alone
 * @property {number} cpuMs user + system CPU time of the build process, all threads
 * @property {number} maxRssKb
 * @property {number} pages
 * @property {number} loadAverage the machine's one-minute load average when the build ended
 */

/**
 * Builds a project once, cold, in a child process of its own.
 * @param {Project} project
 * @param {{ minimumPages: number, label: string }} options
 * @returns {Promise<BuildSample>}
 */
async function measureBuildOnce(project, { minimumPages, label }) {
  const keptCards = join(project.root, '.bench-share-cards');
  if (project.keepsShareCards) {
    rmSync(keptCards, { recursive: true, force: true });
    cpSync(join(project.root, shareCardCachePath), keptCards, { recursive: true });
  }
  for (const dir of ['dist', '.astro', '.bench-cache']) rmSync(join(project.root, dir), { recursive: true, force: true });
  // Everything else starts cold: only the cards come back.
  if (project.keepsShareCards) cpSync(keptCards, join(project.root, shareCardCachePath), { recursive: true });
  logProgress(`building ${label}…`);
  const started = performance.now();
  const { exitCode, stdout } = await runCommand(nodeBinary, [runnerScript, project.root], {
    cwd: project.root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  const wallMs = performance.now() - started;
  if (exitCode !== 0) throw new Error(`${project.label} build failed (exit ${exitCode}):\n${stdout.slice(-4000)}`);
  const { result, otherOutput } = parseLastJsonLine(stdout);
  if (otherOutput.trim()) process.stderr.write(`${otherOutput}\n`);
  const { buildMs, cpuMs, maxRssKb } = /** @type {{ buildMs: number, cpuMs: number, maxRssKb: number }} */ (result);
  const pages = countHtmlFiles(join(project.root, 'dist'));
  if (pages < minimumPages) throw new Error(`${project.label} built ${pages} HTML pages, expected at least ${minimumPages}`);
  logProgress(
    `${label}: ${pages} pages in ${(wallMs / 1000).toFixed(1)} s (CPU ${(cpuMs / 1000).toFixed(1)} s), peak RSS ${Math.round(maxRssKb / 1024)} MB`,
  );
  return { wallMs, buildMs, cpuMs, maxRssKb, pages, loadAverage: loadavg()[0] ?? 0 };
}

/**
 * Builds every project `runs` times, taking turns so that a change in the machine's load
 * (another job starting) falls on all of them alike; times are medians, peak RSS the highest.
 * @param {readonly Project[]} projects
 * @param {{ runs: number, minimumPages: number }} options
 * @returns {Promise<BuildResult[]>}
 */
async function measureBuilds(projects, { runs, minimumPages }) {
  /** @type {BuildSample[][]} */
  const samples = projects.map(() => []);
  for (let run = 1; run <= runs; run += 1) {
    for (const [index, project] of projects.entries()) {
      const label = runs > 1 ? `${project.label} (run ${run}/${runs})` : project.label;
      samples[index]?.push(await measureBuildOnce(project, { minimumPages, label }));
    }
  }
  return projects.map((project, index) => {
    const projectSamples = samples[index] ?? [];
    const wallMs = getMedian(projectSamples.map((sample) => sample.wallMs));
    const pages = projectSamples[0]?.pages ?? 0;
    return {
      id: project.id,
      label: project.label,
      pages,
      wallMs,
      buildMs: getMedian(projectSamples.map((sample) => sample.buildMs)),
      cpuMs: getMedian(projectSamples.map((sample) => sample.cpuMs)),
      msPerPage: wallMs / pages,
      peakRssMb: Math.max(...projectSamples.map((sample) => sample.maxRssKb)) / 1024,
      wallRuns: projectSamples.map((sample) => sample.wallMs),
      maxLoadAverage: Math.max(...projectSamples.map((sample) => sample.loadAverage)),
    };
  });
}

/**
 * @typedef {object} Comparison one duizhao build against the bare one
 * @property {string} label
 * @property {number} ratio wall time
 * @property {number} cpuRatio
 * @property {'PASS' | 'OVER'} status
 */

/**
 * @param {BuildResult} build
 * @param {BuildResult} bare
 * @returns {Comparison}
 */
function compareWithBare(build, bare) {
  const ratio = build.wallMs / bare.wallMs;
  return { label: build.label, ratio, cpuRatio: build.cpuMs / bare.cpuMs, status: ratio <= targetRatio ? 'PASS' : 'OVER' };
}

/**
 * @param {readonly BuildResult[]} builds
 * @param {readonly Comparison[]} comparisons
 * @returns {import('./bench-support.mjs').Metric[]}
 */
function listMetrics(builds, comparisons) {
  return [
    ...builds.flatMap((build) => [
      { metric: `${build.label} pages`, value: build.pages, unit: '' },
      { metric: `${build.label} wall time`, value: roundForDisplay(build.wallMs / 1000), unit: 's' },
      { metric: `${build.label} time per page`, value: roundForDisplay(build.msPerPage), unit: 'ms' },
      { metric: `${build.label} CPU time`, value: roundForDisplay(build.cpuMs / 1000), unit: 's' },
      { metric: `${build.label} peak RSS`, value: Math.round(build.peakRssMb), unit: 'MB' },
    ]),
    ...comparisons.flatMap(({ label, ratio, cpuRatio, status }) => [
      { metric: `wall time ${label}/bare`, value: Number(ratio.toFixed(2)), unit: '×', target: `≤ ${targetRatio}×`, status },
      // For information: on a busy machine CPU time says what the build costs when wall time is noisy.
      { metric: `CPU time ${label}/bare`, value: Number(cpuRatio.toFixed(2)), unit: '×' },
    ]),
  ];
}

async function runBenchmark() {
  const options = readOptions();
  const tempDir = mkdtempSync(join(tmpdir(), 'duizhao-bench-build-'));
  const removeTempDir = () => {
    if (options.keep) logProgress(`kept ${tempDir}`);
    else rmSync(tempDir, { recursive: true, force: true });
  };
  const stopOnSignal = () => {
    removeTempDir();
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    logProgress(`generating ${options.essays} synthetic essay pairs (seed ${options.seed}) in ${tempDir}`);
    const essays = createSyntheticEssays({
      count: options.essays,
      seed: options.seed,
      tagIds: readIds(join(projectRoot, 'content/tags.json')),
      categoryIds: readIds(join(projectRoot, 'content/categories.json')),
    });
    const duizhaoRoot = join(tempDir, 'duizhao');
    copyProjectWithoutEssays(duizhaoRoot);
    writeSyntheticEssays(join(duizhaoRoot, 'content/essays'), essays);

    const bareRoot = join(tempDir, 'bare');
    mkdirSync(bareRoot);
    createBareAstroProject(bareRoot);
    writeSyntheticEssays(join(bareRoot, 'content/essays'), essays);
    symlinkSync(join(projectRoot, 'node_modules'), join(bareRoot, 'node_modules'), 'dir');

    // Every essay has both translations: each build makes at least one page per file.
    const measureOptions = { runs: options.runs, minimumPages: options.essays * 2 };
    // duizhao first: whatever warming of the file cache the first build does benefits the baseline.
    // A cold build draws every share card; an author's next build finds them in the cache, and
    // only a changed essay's card is drawn again (the second build here changes none).
    const builds = await measureBuilds(
      [
        { id: 'duizhao', label: 'duizhao', root: duizhaoRoot },
        { id: 'duizhao-cards-kept', label: 'duizhao, cards kept', root: duizhaoRoot, keepsShareCards: true },
        { id: 'bare', label: 'bare Astro+MDX', root: bareRoot },
      ],
      measureOptions,
    );
    const [duizhao, duizhaoCardsKept, bare] = builds;
    if (!duizhao || !duizhaoCardsKept || !bare) throw new Error('every build must have run');
    const comparisons = [compareWithBare(duizhao, bare), compareWithBare(duizhaoCardsKept, bare)];
    const { ratio, cpuRatio, status } = comparisons[0] ?? compareWithBare(duizhao, bare);
    const busiest = Math.max(...builds.map((build) => build.maxLoadAverage));
    const warnings =
      busiest > availableParallelism()
        ? [
            `the machine was busy (load average up to ${busiest.toFixed(1)} on ${availableParallelism()} cores): wall times are unreliable; rerun with --runs 3 when it is quiet`,
          ]
        : [];
    const report = {
      benchmark: 'build',
      essays: options.essays,
      runs: options.runs,
      seed: options.seed,
      node: process.version,
      builds,
      ratio,
      cpuRatio,
      targetRatio,
      status,
      comparisons,
      metrics: listMetrics(builds, comparisons),
      warnings,
    };

    if (options.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const runsNote = options.runs > 1 ? `, median of ${options.runs} runs` : '';
    console.log(`\nBuild benchmark: ${options.essays} synthetic essay pairs (seed ${options.seed}${runsNote}), Node ${process.version}\n`);
    console.log(
      formatTable(
        ['build', 'pages', 'wall s', 'ms/page', 'peak RSS MB', 'CPU s'],
        builds.map((build) => [
          build.label,
          build.pages,
          (build.wallMs / 1000).toFixed(1),
          build.msPerPage.toFixed(1),
          Math.round(build.peakRssMb),
          (build.cpuMs / 1000).toFixed(1),
        ]),
      ),
    );
    for (const comparison of comparisons) {
      console.log(`\nwall time ${comparison.label}/bare: ${comparison.ratio.toFixed(2)}× (target ≤ ${targetRatio}×) ${comparison.status}`);
      console.log(`CPU time ${comparison.label}/bare:  ${comparison.cpuRatio.toFixed(2)}× (for information)`);
    }
    for (const warning of warnings) console.log(`\nWarning: ${warning}.`);
  } finally {
    removeTempDir();
  }
}

try {
  await runBenchmark();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
