// @ts-check
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { getFreePort, nodeBinary, projectRoot } from './bench-support.mjs';

/**
 * Chart benchmark: what the chart island costs a reader, measured in Chromium against the production build.
 *
 *   npm run bench:charts -- [--json] [--build] [--dist dist]
 *
 * Builds first when there is no build (or with --build), serves it on 127.0.0.1, opens the first essay
 * with a line chart and records every script the page fetches, before and after the chart scrolls into
 * view, and the layout shifts while it draws. Sizes are gzip (level 6, as servers compress on the fly).
 * With --json the result is the last line of stdout.
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

/** Every chunk a line chart loads, bootstrap included, gzipped. */
const lineChartBudgetBytes = 56 * 1024;
/** The bootstrap only defines <chart-figure> and its observer; it has no business growing. */
const bootstrapBudgetBytes = 2 * 1024;

/**
 * One row of the result.
 * @typedef {object} Result
 * @property {string} metric
 * @property {number} value
 * @property {string} unit
 * @property {string} target
 * @property {boolean} pass
 */

/** @typedef {{ path: string, bytes: number, gzipBytes: number }} Script */

function readOptions() {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      dist: { type: 'string', default: 'dist' },
    },
  });
  return { isJson: values.json, forceBuild: values.build, distDir: join(projectRoot, values.dist) };
}

/**
 * Runs a command with its output on stderr, so stdout stays free for the result.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<void>}
 */
function run(command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** @param {string} distDir */
async function ensureBuild(distDir, /** @type {boolean} */ forceBuild) {
  if (!forceBuild && existsSync(join(distDir, 'server/entry.mjs'))) return;
  process.stderr.write('[bench:charts] building…\n');
  const outDir = relative(projectRoot, distDir);
  await run(
    nodeBinary,
    [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'build', ...(outDir === 'dist' ? [] : ['--outDir', outDir])],
    {
      ...process.env,
      ASTRO_TELEMETRY_DISABLED: '1',
    },
  );
}

/**
 * The URL path of the first built essay page with a chart of this type.
 * @param {string} clientDir
 * @param {string} type
 */
function findPageWithChart(clientDir, type) {
  /** @param {string} dir @returns {string | undefined} */
  const search = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const found = search(path);
        if (found) return found;
      } else if (entry.name === 'index.html' && readFileSync(path, 'utf8').includes(`<chart-figure data-type="${type}"`)) {
        return `/${relative(clientDir, dir).split(sep).join('/')}/`;
      }
    }
    return undefined;
  };
  const page = search(join(clientDir, 'en', 'essays')) ?? search(clientDir);
  if (!page) throw new Error(`no built page has a ${type} chart`);
  return page;
}

/**
 * Starts the built server on 127.0.0.1 and waits until it answers.
 * @param {string} distDir
 * @returns {Promise<{ baseURL: string, stop: () => void }>}
 */
async function startServer(distDir) {
  const port = await getFreePort();
  // Through the launcher, as `npm run serve` does, with a throwaway comment database (it opens one before listening).
  const child = spawn(nodeBinary, [join(projectRoot, 'scripts/serve.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DUIZHAO_DIST_DIR: distDir,
      COMMENTS_DB: join(mkdtempSync(join(tmpdir(), 'duizhao-bench-charts-')), 'comments.db'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk) => (log += chunk));
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${baseURL}/`)).ok) return { baseURL, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  child.kill('SIGTERM');
  throw new Error(`the server did not answer within 30 s:\n${log}`);
}

/**
 * Loads the page, then scrolls its first chart into view; returns the scripts fetched in each phase and the layout shift while drawing.
 * @param {string} baseURL
 * @param {string} path
 * @param {string} distDir
 */
async function measurePage(baseURL, path, distDir) {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    /** @type {Script[]} */
    const scripts = [];
    /** @type {Promise<void>[]} */
    const pending = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      pending.push(
        response.body().then((body) => {
          scripts.push({ path: new URL(response.url()).pathname, bytes: body.byteLength, gzipBytes: gzipSync(body).byteLength });
        }),
      );
    });
    await page.addInitScript(() => {
      /** @type {number[]} */
      const shifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const shift = /** @type {PerformanceEntry & { value: number, hadRecentInput: boolean }} */ (entry);
          if (!shift.hadRecentInput) shifts.push(shift.value);
        }
      }).observe({ type: 'layout-shift', buffered: true });
      Object.assign(window, { benchLayoutShifts: shifts });
    });
    await page.goto(baseURL + path, { waitUntil: 'networkidle' });
    await Promise.all(pending);
    const beforeView = [...scripts];
    const islandPaths = await page
      .locator('script[type="module"][src]')
      .evaluateAll((elements) => elements.map((element) => new URL(/** @type {HTMLScriptElement} */ (element).src).pathname));
    // The page also names other islands (comments, copy link); only the chart's own bootstrap counts here.
    const bootstrapPaths = islandPaths.filter((path) => /\/Chart(Figure)?\.astro_/.test(path));
    // What the other islands import as they load (the islands' shared translator) is theirs, not chart code.
    const otherIslandPaths = listStaticImports(
      distDir,
      islandPaths.filter((path) => !bootstrapPaths.includes(path)),
    );
    const readShift = () =>
      page.evaluate(() =>
        /** @type {{ benchLayoutShifts: number[] }} */ (/** @type {unknown} */ (window)).benchLayoutShifts.reduce(
          (sum, value) => sum + value,
          0,
        ),
      );
    const shiftBeforeView = await readShift();

    await page.locator('chart-figure').first().scrollIntoViewIfNeeded();
    await page.locator('chart-figure[data-state="drawn"]').first().waitFor({ timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    await Promise.all(pending);
    const shiftWhileDrawing = (await readShift()) - shiftBeforeView;
    return { beforeView, afterView: scripts.slice(beforeView.length), bootstrapPaths, otherIslandPaths, shiftWhileDrawing };
  } finally {
    await browser.close();
  }
}

/**
 * The given scripts and every chunk they import statically (`import … from "./x.js"`, not
 * `import("./x.js")`), as URL paths; read from the build, where the server found them.
 * @param {string} distDir
 * @param {readonly string[]} paths
 */
function listStaticImports(distDir, paths) {
  const found = new Set(paths);
  const queue = [...paths];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    const file = join(distDir, 'client', ...path.split('/'));
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/\bimport\s*(?:[^"'();]*?\bfrom\s*)?["']([^"']+)["']/g)) {
      const imported = new URL(match[1] ?? '', `http://bench${path}`).pathname;
      if (found.has(imported)) continue;
      found.add(imported);
      queue.push(imported);
    }
  }
  return [...found];
}

/** @param {Script[]} scripts */
const sumGzip = (scripts) => scripts.reduce((sum, script) => sum + script.gzipBytes, 0);
/** @param {number} bytes */
const toKilobytes = (bytes) => Math.round((bytes / 1024) * 10) / 10;

/**
 * @param {readonly string[]} header
 * @param {ReadonlyArray<ReadonlyArray<string>>} rows
 */
function formatTable(header, rows) {
  const cells = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => [...(row[column] ?? '')].length)));
  /** @param {ReadonlyArray<string>} row */
  const format = (row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  return [format(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(format)].join('\n');
}

const { isJson, forceBuild, distDir } = readOptions();
await ensureBuild(distDir, forceBuild);
const path = findPageWithChart(join(distDir, 'client'), 'line');
const server = await startServer(distDir);
let measured;
try {
  measured = await measurePage(server.baseURL, path, distDir);
} finally {
  server.stop();
}

const { beforeView, afterView, bootstrapPaths, otherIslandPaths, shiftWhileDrawing } = measured;
const bootstrap = beforeView.filter((script) => bootstrapPaths.includes(script.path));
const chartLibraryBeforeView = beforeView.filter(
  (script) => !bootstrapPaths.includes(script.path) && !otherIslandPaths.includes(script.path),
);
const lineChartBytes = sumGzip(bootstrap) + sumGzip(afterView);

/** @type {Result[]} */
const results = [
  {
    metric: 'line chart JS, all chunks incl. bootstrap (gzip)',
    value: toKilobytes(lineChartBytes),
    unit: 'KB',
    target: `≤ ${lineChartBudgetBytes / 1024} KB`,
    pass: lineChartBytes <= lineChartBudgetBytes,
  },
  {
    metric: 'chart library JS before a chart is in view (gzip)',
    value: sumGzip(chartLibraryBeforeView),
    unit: 'B',
    target: '0 B',
    pass: sumGzip(chartLibraryBeforeView) === 0,
  },
  {
    metric: 'island bootstrap JS before a chart is in view (gzip)',
    value: sumGzip(bootstrap),
    unit: 'B',
    target: `≤ ${bootstrapBudgetBytes} B`,
    pass: sumGzip(bootstrap) <= bootstrapBudgetBytes,
  },
  {
    metric: 'layout shift while the chart draws (CLS)',
    value: Math.round(shiftWhileDrawing * 10_000) / 10_000,
    unit: '',
    target: '0',
    pass: shiftWhileDrawing === 0,
  },
];

if (isJson) {
  // `metrics` repeats `results` in the shape scripts/bench/run-all.mjs reads.
  const metrics = results.map(({ pass, ...result }) => ({ ...result, status: pass ? 'PASS' : 'OVER' }));
  const chunks = [...bootstrap, ...afterView].map((script) => ({ path: script.path, bytes: script.bytes, gzipBytes: script.gzipBytes }));
  process.stdout.write(`${JSON.stringify({ benchmark: 'charts', page: path, results, metrics, chunks })}\n`);
} else {
  console.log(`Chart island on ${path} (Chromium, 1280×720, gzip level 6)\n`);
  console.log(
    formatTable(
      ['metric', 'value', 'target', 'status'],
      results.map((result) => [
        result.metric,
        `${result.value}${result.unit ? ` ${result.unit}` : ''}`,
        result.target,
        result.pass ? 'PASS' : 'OVER',
      ]),
    ),
  );
  console.log('\nScripts the line chart loads:');
  console.log(
    formatTable(
      ['script', 'when', 'bytes', 'gzip'],
      [...bootstrap.map((script) => ({ script, when: 'on load' })), ...afterView.map((script) => ({ script, when: 'in view' }))].map(
        ({ script, when }) => [script.path, when, String(script.bytes), String(script.gzipBytes)],
      ),
    ),
  );
}
