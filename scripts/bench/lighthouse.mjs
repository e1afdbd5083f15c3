// @ts-check
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { localeKeys } from '../../src/i18n/locales.ts';
import { exitUnlessBuilt, listPublishedEssays, startServer } from './api-bench-support.mjs';
import { formatTable } from './bench-support.mjs';

/**
 * Lighthouse (mobile defaults: a mid-range phone on a slow 4G link, CPU slowed 4×) on the built Node
 * server for the pages a reader meets, in both languages, with Debian's Chromium:
 *
 *   npm run bench:lighthouse -- [--runs 1] [--json]
 *
 * Pages: home, an essay with a chart, its side-by-side view, search, its comments page. Target 100
 * in each category on every page. Pages marked `noindex` on purpose (the side-by-side view and the
 * comments page: they repeat an essay that has its own indexed address) are exempt from SEO, whose
 * "page is blocked from indexing" audit they fail by design; the table says so. With --runs above 1
 * each score is the median of the runs (Lighthouse's performance score moves a few points between
 * runs on a shared machine). With --json the last line of stdout is a BenchmarkReport.
 */

const chromePath = process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium';
const categories = /** @type {const} */ (['performance', 'accessibility', 'best-practices', 'seo']);
const target = 100;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 9) {
  console.error('--runs must be a whole number from 1 to 9');
  process.exit(2);
}
const isJson = values.json === true;
exitUnlessBuilt(['node']);

/** The essay with a chart in both languages: the page readers share most and the heaviest to load. */
function pickChartEssay() {
  const essays = listPublishedEssays();
  return (
    essays.find((essay) => essay.slug === 'tiktok-refugees-on-rednote' && essay.langs.length > 1) ??
    essays.find((essay) => essay.langs.length > 1) ??
    essays[0]
  );
}

/** @param {string} slug */
function listPages(slug) {
  return localeKeys.flatMap((lang) => [
    { name: 'home', lang, path: `/${lang}/` },
    { name: 'essay with chart', lang, path: `/${lang}/essays/${slug}/` },
    { name: 'side by side', lang, path: `/${lang}/essays/${slug}/parallel/` },
    { name: 'search', lang, path: `/${lang}/search/` },
    { name: 'comments', lang, path: `/${lang}/essays/${slug}/comments/` },
  ]);
}

/** @param {number[]} numbers */
function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * @param {string} url
 * @param {number} port Chromium's debugging port
 */
async function audit(url, port) {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...categories] });
  const report = result?.lhr;
  if (!report) throw new Error(`Lighthouse returned no report for ${url}`);
  if (report.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${report.runtimeError.message}`);
  const scores = Object.fromEntries(categories.map((category) => [category, Math.round((report.categories[category]?.score ?? 0) * 100)]));
  const failing = categories.flatMap((category) =>
    (report.categories[category]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (report.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => `${category}: ${ref.id}`),
  );
  return {
    scores,
    isNoindex: (report.audits['is-crawlable']?.score ?? 1) < 1,
    cls: Number(report.audits['cumulative-layout-shift']?.numericValue ?? 0),
    lcpMs: Number(report.audits['largest-contentful-paint']?.numericValue ?? 0),
    transferKb: Number(report.audits['total-byte-weight']?.numericValue ?? 0) / 1024,
    failing,
  };
}

const folder = mkdtempSync(join(tmpdir(), 'duizhao-lighthouse-'));
const server = await startServer('node', folder);
/** @type {import('chrome-launcher').LaunchedChrome | undefined} */
let chrome;
/** @type {{ page: string, lang: string, path: string, scores: Record<string, number>, isNoindex: boolean, cls: number, lcpMs: number, transferKb: number, failing: string[] }[]} */
const rows = [];
try {
  chrome = await launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  for (const page of listPages(pickChartEssay()?.slug ?? '')) {
    /** @type {Awaited<ReturnType<typeof audit>>[]} */
    const samples = [];
    for (let run = 0; run < runs; run += 1) samples.push(await audit(`${server.baseURL}${page.path}`, chrome.port));
    const first = samples[0];
    if (!first) continue;
    rows.push({
      page: page.name,
      lang: page.lang,
      path: page.path,
      scores: Object.fromEntries(categories.map((category) => [category, median(samples.map((sample) => sample.scores[category] ?? 0))])),
      isNoindex: first.isNoindex,
      cls: median(samples.map((sample) => sample.cls)),
      lcpMs: median(samples.map((sample) => sample.lcpMs)),
      transferKb: median(samples.map((sample) => sample.transferKb)),
      failing: [...new Set(samples.flatMap((sample) => sample.failing))],
    });
  }
} finally {
  chrome?.kill();
  await server.stop();
  rmSync(folder, { recursive: true, force: true });
}

/** @param {(typeof rows)[number]} row */
const meetsTarget = (row) => categories.every((category) => (category === 'seo' && row.isNoindex) || row.scores[category] === target);

if (isJson) {
  const metrics = rows.flatMap((row) =>
    categories.map((category) => {
      const isExempt = category === 'seo' && row.isNoindex;
      const value = row.scores[category] ?? 0;
      return {
        metric: `${row.page} (${row.lang}) ${category}`,
        value,
        unit: '',
        ...(isExempt ? {} : { target: `= ${target}`, status: value === target ? 'PASS' : 'OVER' }),
      };
    }),
  );
  const warnings = rows.filter((row) => !meetsTarget(row)).map((row) => `${row.path}: ${row.failing.join(', ')}`);
  process.stdout.write(`${JSON.stringify({ benchmark: 'lighthouse', metrics, ...(warnings.length > 0 ? { warnings } : {}) })}\n`);
} else {
  const table = rows.map((row) => [
    row.page,
    row.lang,
    ...categories.map((category) =>
      category === 'seo' && row.isNoindex ? `${row.scores[category]} (noindex: exempt)` : String(row.scores[category]),
    ),
    row.cls.toFixed(3),
    `${Math.round(row.lcpMs)} ms`,
    `${row.transferKb.toFixed(1)} KB`,
    meetsTarget(row) ? 'PASS' : 'BELOW',
  ]);
  console.log(
    formatTable(['page', 'lang', 'performance', 'accessibility', 'best practices', 'SEO', 'CLS', 'LCP', 'transfer', 'status'], table),
  );
  for (const row of rows.filter((row) => !meetsTarget(row))) console.log(`\n${row.path} loses points on: ${row.failing.join(', ')}`);
}
