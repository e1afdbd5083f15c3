// @ts-check
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBareAstroProject } from './bare-astro-project.mjs';
import {
  formatTable,
  getTimingSpan,
  nodeBinary,
  parseLastJsonLine,
  projectRoot,
  readBuildTimings,
  roundForDisplay,
  runCommand,
} from './bench-support.mjs';
import { createSyntheticEssays, writeSyntheticEssays } from './synthetic-essays.mjs';
import { localeKeys } from '../../src/i18n/locales.ts';

/**
 * Build benchmark: duizhao against a bare Astro + MDX project on the same synthetic essays, cold
 * and incrementally (Astro's incremental build, src/lib/build/page-cache-keys.ts).
 *
 *   npm run bench:build -- [--essays 1000] [--runs 1] [--seed 1] [--json] [--keep]
 *
 * With --json the result is the last line of stdout (`npm run -s` keeps npm's banner out of it).
 * Both projects are built in temporary copies; the real content/ and dist/ are never touched.
 */

/** Targets (issue 19): each a ratio of wall times, with the builds it compares. */
const targets = {
  /** A cold build makes twice the bare build's pages, plus share cards and two search indexes. */
  coldOverBare: 3.0,
  /** Per HTML page, with the share cards an author's previous build left (the cold pages' own cost). */
  perPageOverBare: 1.3,
  /** Rebuild with nothing changed, against the cold build. */
  unchangedOverCold: 0.1,
  /** Rebuild after one essay's text changed, against the cold build. */
  oneEssayOverCold: 0.15,
};

/** Synthetic essays that embed a chart of the dataset the benchmark changes (duizhao only: the bare project has no charts). */
const chartedEssays = 10;
const changedDataset = 'platform-monthly-users';

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
 * @property {number} pathsRendered static paths Astro rendered (the rest it copied from its incremental cache)
 * @property {number} wallMs median over runs, spawn to exit of the build process
 * @property {number} buildMs median over runs, the `build()` call alone
 * @property {number} cpuMs median over runs, user + system CPU time
 * @property {number} msPerPage wall time per HTML page
 * @property {number} peakRssMb highest over runs
 * @property {number} searchMs median over runs, both search indexes (their span)
 * @property {number} compressMs median over runs, the Brotli and gzip copies
 * @property {number} cardsMs median over runs, drawing the share cards not kept (their span)
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
 * @property {'cold' | 'cards-kept' | 'incremental'} start what the build finds from the previous build of this root:
 *   nothing; only the share cards (as the build before incremental builds did); everything (dist/ and the caches)
 * @property {(root: string) => void} [change] an edit made before the build
 */

/** Where the share-card cache lands under the runner's cacheDir (see run-astro-build.mjs and integrations/share-card-cache.ts). */
const shareCardCachePath = join('.bench-cache', 'astro', 'share-cards');

/**
 * Leaves the project as its next build should find it.
 * @param {Project} project
 */
function prepareBuild(project) {
  if (project.start !== 'incremental') {
    const keptCards = join(project.root, '.bench-share-cards');
    if (project.start === 'cards-kept') {
      rmSync(keptCards, { recursive: true, force: true });
      cpSync(join(project.root, shareCardCachePath), keptCards, { recursive: true });
    }
    for (const dir of ['dist', '.astro', '.bench-cache']) rmSync(join(project.root, dir), { recursive: true, force: true });
    // Everything else starts cold: only the cards come back.
    if (project.start === 'cards-kept') cpSync(keptCards, join(project.root, shareCardCachePath), { recursive: true });
  }
  project.change?.(project.root);
}

/**
 * @typedef {object} BuildSample one cold build
 * @property {number} wallMs spawn to exit of the build process
 * @property {number} buildMs the `build()` call alone
 * @property {number} cpuMs user + system CPU time of the build process, all threads
 * @property {number} maxRssKb
 * @property {number} pages
 * @property {number} pathsRendered
 * @property {number} searchMs
 * @property {number} compressMs
 * @property {number} cardsMs
 * @property {number} loadAverage the machine's one-minute load average when the build ended
 */

/**
 * Builds a project once, as `project.start` says, in a child process of its own.
 * @param {Project} project
 * @param {{ minimumPages: number, label: string }} options
 * @returns {Promise<BuildSample>}
 */
async function measureBuildOnce(project, { minimumPages, label }) {
  prepareBuild(project);
  logProgress(`building ${label}…`);
  // The steps the build times itself (src/lib/build/build-timings.ts), to say where a rebuild's time goes.
  const timingsFile = join(project.root, '.bench-build-timings.jsonl');
  rmSync(timingsFile, { force: true });
  const started = performance.now();
  const { exitCode, stdout } = await runCommand(nodeBinary, [runnerScript, project.root], {
    cwd: project.root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', DUIZHAO_BUILD_TIMINGS: timingsFile },
  });
  const wallMs = performance.now() - started;
  if (exitCode !== 0) throw new Error(`${project.label} build failed (exit ${exitCode}):\n${stdout.slice(-4000)}`);
  const { result, otherOutput } = parseLastJsonLine(stdout);
  if (otherOutput.trim()) process.stderr.write(`${otherOutput}\n`);
  const { buildMs, cpuMs, maxRssKb, pathsListed, pathsReused } =
    /** @type {{ buildMs: number, cpuMs: number, maxRssKb: number, pathsListed: number, pathsReused: number }} */ (result);
  const pages = countHtmlFiles(join(project.root, 'dist'));
  if (pages < minimumPages) throw new Error(`${project.label} built ${pages} HTML pages, expected at least ${minimumPages}`);
  const pathsRendered = pathsListed - pathsReused;
  const timings = readBuildTimings(timingsFile);
  const searchMs = getTimingSpan(timings.filter((timing) => timing.step.startsWith('search-index:')));
  const compressMs = getTimingSpan(timings.filter((timing) => timing.step === 'compressed-copies'));
  const cardsMs = getTimingSpan(timings.filter((timing) => timing.step === 'share-card'));
  logProgress(
    `${label}: ${pages} pages (${pathsRendered} paths rendered) in ${(wallMs / 1000).toFixed(1)} s (CPU ${(cpuMs / 1000).toFixed(1)} s), peak RSS ${Math.round(maxRssKb / 1024)} MB`,
  );
  return { wallMs, buildMs, cpuMs, maxRssKb, pages, pathsRendered, searchMs, compressMs, cardsMs, loadAverage: loadavg()[0] ?? 0 };
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
      pathsRendered: projectSamples[0]?.pathsRendered ?? 0,
      wallMs,
      buildMs: getMedian(projectSamples.map((sample) => sample.buildMs)),
      cpuMs: getMedian(projectSamples.map((sample) => sample.cpuMs)),
      msPerPage: wallMs / pages,
      peakRssMb: Math.max(...projectSamples.map((sample) => sample.maxRssKb)) / 1024,
      searchMs: getMedian(projectSamples.map((sample) => sample.searchMs)),
      compressMs: getMedian(projectSamples.map((sample) => sample.compressMs)),
      cardsMs: getMedian(projectSamples.map((sample) => sample.cardsMs)),
      wallRuns: projectSamples.map((sample) => sample.wallMs),
      maxLoadAverage: Math.max(...projectSamples.map((sample) => sample.loadAverage)),
    };
  });
}

/**
 * @typedef {object} Comparison one build's wall time against another's, with its target
 * @property {string} label
 * @property {number} ratio
 * @property {number} cpuRatio the same ratio for CPU time (for information: on a busy machine it is the steadier one)
 * @property {number} target
 * @property {'PASS' | 'OVER'} status
 */

/**
 * @param {string} label
 * @param {number} ratio
 * @param {number} cpuRatio
 * @param {number} target
 * @returns {Comparison}
 */
function createComparison(label, ratio, cpuRatio, target) {
  return { label, ratio, cpuRatio, target, status: ratio <= target ? 'PASS' : 'OVER' };
}

/**
 * @param {Record<'cold' | 'cardsKept' | 'unchanged' | 'oneEssay' | 'oneDataset' | 'bare', BuildResult>} builds
 * @returns {Comparison[]}
 */
function compareBuilds({ cold, cardsKept, unchanged, oneEssay, oneDataset, bare }) {
  /** @param {BuildResult} build @param {BuildResult} base */
  const perPage = (build, base) => build.wallMs / build.pages / (base.wallMs / base.pages);
  /** @param {BuildResult} build @param {BuildResult} base */
  const cpuPerPage = (build, base) => build.cpuMs / build.pages / (base.cpuMs / base.pages);
  return [
    createComparison('cold / bare', cold.wallMs / bare.wallMs, cold.cpuMs / bare.cpuMs, targets.coldOverBare),
    createComparison('per page, cards kept / bare', perPage(cardsKept, bare), cpuPerPage(cardsKept, bare), targets.perPageOverBare),
    createComparison('nothing changed / cold', unchanged.wallMs / cold.wallMs, unchanged.cpuMs / cold.cpuMs, targets.unchangedOverCold),
    createComparison('one essay changed / cold', oneEssay.wallMs / cold.wallMs, oneEssay.cpuMs / cold.cpuMs, targets.oneEssayOverCold),
    // No target in the issue: for information, beside the essay's figure.
    {
      label: 'one dataset changed / cold',
      ratio: oneDataset.wallMs / cold.wallMs,
      cpuRatio: oneDataset.cpuMs / cold.cpuMs,
      target: Infinity,
      status: 'PASS',
    },
  ];
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
      { metric: `${build.label} paths rendered`, value: build.pathsRendered, unit: '' },
      { metric: `${build.label} wall time`, value: roundForDisplay(build.wallMs / 1000), unit: 's' },
      { metric: `${build.label} time per page`, value: roundForDisplay(build.msPerPage), unit: 'ms' },
      { metric: `${build.label} CPU time`, value: roundForDisplay(build.cpuMs / 1000), unit: 's' },
      { metric: `${build.label} peak RSS`, value: Math.round(build.peakRssMb), unit: 'MB' },
      { metric: `${build.label} search indexes`, value: roundForDisplay(build.searchMs / 1000), unit: 's' },
      { metric: `${build.label} compressed copies`, value: roundForDisplay(build.compressMs / 1000), unit: 's' },
      { metric: `${build.label} share cards drawn`, value: roundForDisplay(build.cardsMs / 1000), unit: 's' },
    ]),
    ...comparisons.flatMap(({ label, ratio, cpuRatio, target, status }) => [
      {
        metric: `wall time ${label}`,
        value: Number(ratio.toFixed(3)),
        unit: '×',
        ...(Number.isFinite(target) && { target: `≤ ${target}×`, status }),
      },
      { metric: `CPU time ${label}`, value: Number(cpuRatio.toFixed(3)), unit: '×' },
    ]),
  ];
}

/**
 * Appends a paragraph to one synthetic essay's English text (a new one on every run).
 * @param {string} root
 * @param {string} slug
 */
function changeEssayText(root, slug) {
  const file = join(root, 'content/essays', slug, 'en.mdx');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nA paragraph added after publishing, at ${new Date().toISOString()}.\n`);
}

/**
 * Adds one to the first value of the dataset's first series.
 * @param {string} root
 */
function changeDataset(root) {
  const file = join(root, 'content/data', `${changedDataset}.json`);
  /** @type {{ series: Array<{ values: Array<number | null> }> }} */
  const dataset = JSON.parse(readFileSync(file, 'utf8'));
  const [first] = dataset.series;
  if (!first) throw new Error(`${file} has no series`);
  first.values[0] = (first.values[0] ?? 0) + 1;
  writeFileSync(file, `${JSON.stringify(dataset, null, 2)}\n`);
}

/**
 * A chart of the changed dataset under the first essays' text, in both languages.
 * @param {string} essaysDir
 * @param {readonly import('./synthetic-essays.mjs').SyntheticEssay[]} essays
 */
function addCharts(essaysDir, essays) {
  for (const essay of essays.slice(0, chartedEssays)) {
    for (const lang of localeKeys) {
      const file = join(essaysDir, essay.slug, `${lang}.mdx`);
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n<Chart dataset="${changedDataset}" type="bar" />\n`);
    }
  }
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
    addCharts(join(duizhaoRoot, 'content/essays'), essays);

    const bareRoot = join(tempDir, 'bare');
    mkdirSync(bareRoot);
    createBareAstroProject(bareRoot);
    writeSyntheticEssays(join(bareRoot, 'content/essays'), essays);
    symlinkSync(join(projectRoot, 'node_modules'), join(bareRoot, 'node_modules'), 'dir');

    // An essay in the middle of the list, without a chart: its neighbours and related essays follow its text, not its data.
    const changedEssay = essays[Math.floor(essays.length / 2)]?.slug ?? '';
    // Every essay has both translations: each build makes at least one page per file.
    const measureOptions = { runs: options.runs, minimumPages: options.essays * 2 };
    // duizhao first: whatever warming of the file cache the first build does benefits the baseline.
    // A cold build draws every share card; the next starts cold but for the cards (what a build
    // cost before incremental builds, with the cards kept); the three after it are incremental,
    // each on top of the one before, as an author's builds are.
    /** @type {Project[]} */
    const projects = [
      { id: 'duizhao', label: 'duizhao cold', root: duizhaoRoot, start: 'cold' },
      { id: 'duizhao-cards-kept', label: 'duizhao cold, cards kept', root: duizhaoRoot, start: 'cards-kept' },
      { id: 'duizhao-unchanged', label: 'duizhao, nothing changed', root: duizhaoRoot, start: 'incremental' },
      {
        id: 'duizhao-one-essay',
        label: 'duizhao, one essay changed',
        root: duizhaoRoot,
        start: 'incremental',
        change: (root) => changeEssayText(root, changedEssay),
      },
      { id: 'duizhao-one-dataset', label: 'duizhao, one dataset changed', root: duizhaoRoot, start: 'incremental', change: changeDataset },
      { id: 'bare', label: 'bare Astro+MDX', root: bareRoot, start: 'cold' },
    ];
    const builds = await measureBuilds(projects, measureOptions);
    const [cold, cardsKept, unchanged, oneEssay, oneDataset, bare] = builds;
    if (!cold || !cardsKept || !unchanged || !oneEssay || !oneDataset || !bare) throw new Error('every build must have run');
    const comparisons = compareBuilds({ cold, cardsKept, unchanged, oneEssay, oneDataset, bare });
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
      targets,
      status: comparisons.every((comparison) => comparison.status === 'PASS') ? 'PASS' : 'OVER',
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
        ['build', 'pages', 'paths rendered', 'wall s', 'ms/page', 'peak RSS MB', 'CPU s', 'search s', 'compress s', 'cards s'],
        builds.map((build) => [
          build.label,
          build.pages,
          build.pathsRendered,
          (build.wallMs / 1000).toFixed(1),
          build.msPerPage.toFixed(1),
          Math.round(build.peakRssMb),
          (build.cpuMs / 1000).toFixed(1),
          (build.searchMs / 1000).toFixed(1),
          (build.compressMs / 1000).toFixed(1),
          (build.cardsMs / 1000).toFixed(1),
        ]),
      ),
    );
    console.log('');
    console.log(
      formatTable(
        ['wall time', 'ratio', 'target', 'status', 'CPU time ratio'],
        comparisons.map((comparison) => [
          comparison.label,
          `${comparison.ratio.toFixed(3)}×`,
          Number.isFinite(comparison.target) ? `≤ ${comparison.target}×` : '',
          Number.isFinite(comparison.target) ? comparison.status : '',
          `${comparison.cpuRatio.toFixed(3)}×`,
        ]),
      ),
    );
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
