// @ts-check
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { getFreePort, getTimingSpan, nodeBinary, projectRoot, readBuildTimings } from './bench-support.mjs';

/**
 * Search and share-card benchmark: what Pagefind and the share cards add to a build of N synthetic
 * essay pairs, and how many bytes a reader's first search fetches.
 *
 *   npm run bench:search -- [--essays 1000] [--json] [--keep]
 *
 * Copies the project's sources to a scratch folder, writes N essay pairs (zh + en) in place of the
 * demo essays, runs `astro build` there with DUIZHAO_BUILD_TIMINGS set (the Pagefind integration
 * and the card route record their own time), then serves the build and, in Chromium, searches once
 * on /zh/search/ and once on /en/search/, adding up the bytes of every /pagefind/ response.
 * With --json the result is the last line of stdout. The synthetic essays come from a small
 * generator in this file (scripts/bench/synthetic-essays.mjs was not on this branch when it was written).
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

/** Budgets at the default 1,000 pairs (2,000 pages and 2,000 cards). */
const budgets = {
  /** Pagefind over both languages, as a share of the whole build. */
  searchShareOfBuild: 0.1,
  /** One 1200×630 card, font loading amortised. */
  msPerCard: 120,
  /** Everything one search fetches from /pagefind/ on a fresh page: both engines, indexes, excerpts. */
  bytesPerQuery: 600 * 1024,
};

/**
 * One row of the result.
 * @typedef {object} Result
 * @property {string} metric
 * @property {number} value
 * @property {string} unit
 * @property {string} target
 * @property {boolean} pass
 */

function readOptions() {
  const { values } = parseArgs({
    options: {
      essays: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const essayCount = Number.parseInt(values.essays, 10);
  if (!Number.isInteger(essayCount) || essayCount < 1) throw new Error('--essays takes a whole number above 0');
  return { essayCount, isJson: values.json, keep: values.keep };
}

/** A seeded PRNG (mulberry32), so every run builds the same essays. */
function createRandom(/** @type {number} */ seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  /** @template T @param {readonly T[]} items @returns {T} */
  const pick = (items) => /** @type {T} */ (items[Math.floor(next() * items.length)]);
  /** @param {number} min @param {number} max */
  const between = (min, max) => min + Math.floor(next() * (max - min + 1));
  return { pick, between };
}

const zhWords = [
  '小红书',
  '抖音',
  '审核',
  '难民',
  '用户',
  '平台',
  '标签',
  '评论区',
  '数据',
  '迁移',
  '翻译',
  '算法',
  '推荐',
  '海外',
  '留学生',
  '博主',
  '流量',
  '社区',
  '内容',
  '规则',
  '账号',
  '视频',
  '笔记',
  '网友',
  '猫税',
  '英语',
  '中文',
  '禁令',
  '应用商店',
  '榜单',
];
const zhGlue = ['的', '了', '在', '是', '和', '也', '就', '都', '而', '把', '让', '对', '从', '向'];
const enWords = [
  'RedNote',
  'TikTok',
  'moderation',
  'refugees',
  'users',
  'platform',
  'hashtag',
  'comments',
  'numbers',
  'migration',
  'translation',
  'algorithm',
  'feed',
  'overseas',
  'students',
  'creators',
  'traffic',
  'community',
  'posts',
  'rules',
  'accounts',
  'videos',
  'notes',
  'friendly',
  'week',
  'charts',
  'downloads',
  'English',
  'Chinese',
  'ban',
  'store',
  'attention',
  'welcome',
  'question',
];
const enGlue = ['the', 'a', 'of', 'and', 'in', 'on', 'to', 'with', 'for', 'that', 'was', 'were', 'is', 'by', 'from'];

/**
 * Writes `count` essay pairs into `essaysDir`: frontmatter the schema accepts, five sections,
 * about 1,600 Chinese characters and 900 English words each.
 * @param {string} essaysDir
 * @param {number} count
 */
function writeSyntheticEssays(essaysDir, count) {
  const random = createRandom(20250118);
  const tagIds = ['xiaohongshu', 'tiktok', 'platforms', 'moderation', 'data', 'migration', 'culture', 'branding'];
  const zhSentence = () => {
    const parts = Array.from({ length: random.between(6, 12) }, (_, index) =>
      index % 2 === 0 ? random.pick(zhWords) : random.pick(zhGlue),
    );
    return `${parts.join('')}${random.pick(['。', '。', '，也有人说', '；'])}`;
  };
  const enSentence = () => {
    const words = Array.from({ length: random.between(8, 16) }, (_, index) =>
      index % 2 === 0 ? random.pick(enWords) : random.pick(enGlue),
    );
    const text = words.join(' ');
    return `${text[0]?.toUpperCase()}${text.slice(1)}.`;
  };
  /** @param {() => string} sentence @param {string} joiner @param {(index: number) => string} heading */
  const body = (sentence, joiner, heading) =>
    Array.from({ length: 5 }, (_, section) => {
      const paragraphs = Array.from({ length: 4 }, () => Array.from({ length: random.between(3, 5) }, sentence).join(joiner));
      return `## ${heading(section)}\n\n${paragraphs.join('\n\n')}`;
    }).join('\n\n');
  for (let index = 1; index <= count; index += 1) {
    const slug = `bench-essay-${String(index).padStart(4, '0')}`;
    const day = new Date(Date.UTC(2020, 0, 1) + random.between(0, 2190) * 86_400_000).toISOString().slice(0, 10);
    const tags = [...new Set([random.pick(tagIds), random.pick(tagIds)])];
    const [zhA, zhB, enA, enB] = [random.pick(zhWords), random.pick(zhWords), random.pick(enWords), random.pick(enWords)];
    const frontmatter = (/** @type {string} */ title, /** @type {string} */ summary) =>
      `---\ntitle: "${title}"\nsummary: "${summary}"\npublished: ${day}\ncategory: observation\ntags: [${tags.join(', ')}]\n---\n\n`;
    mkdirSync(join(essaysDir, slug), { recursive: true });
    writeFileSync(
      join(essaysDir, slug, 'zh.mdx'),
      frontmatter(`第 ${index} 篇：${zhA}和${zhB}`, `${zhSentence()}${zhSentence()}`) +
        body(zhSentence, '', (section) => `第 ${section + 1} 节：${random.pick(zhWords)}`),
    );
    writeFileSync(
      join(essaysDir, slug, 'en.mdx'),
      frontmatter(`Essay ${index}: ${enA} and ${enB}`, `${enSentence()} ${enSentence()}`) +
        body(enSentence, ' ', (section) => `Part ${section + 1}: ${random.pick(enWords)}`),
    );
  }
}

/** A scratch copy of the project with `count` synthetic essay pairs and nothing else in content/essays. */
function createBenchProject(/** @type {number} */ count) {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-bench-search-'));
  for (const entry of ['src', 'public', 'content', 'package.json', 'tsconfig.json', 'astro.config.mjs']) {
    cpSync(join(projectRoot, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'));
  rmSync(join(root, 'content/essays'), { recursive: true, force: true });
  writeSyntheticEssays(join(root, 'content/essays'), count);
  return root;
}

/**
 * Runs a command with its output on stderr, so stdout stays free for the result.
 * @param {string} command @param {string[]} args @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<void>}
 */
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Starts the built server on 127.0.0.1 and waits until it answers. */
async function startServer(/** @type {string} */ root) {
  const port = await getFreePort();
  // Through the project's launcher, as `npm run serve` does; the comment database it opens stays in the scratch copy.
  const child = spawn(nodeBinary, [join(projectRoot, 'scripts/serve.ts')], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DUIZHAO_DIST_DIR: join(root, 'dist'),
      COMMENTS_DB: join(root, 'data', 'comments.db'),
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
      if ((await fetch(`${baseURL}/zh/`)).ok) return { baseURL, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  child.kill('SIGTERM');
  throw new Error(`the server did not answer within 30 s:\n${log}`);
}

/**
 * Searches once on a fresh page and adds up what came from /pagefind/: the engine (JS and
 * WebAssembly) and the index data (entry, meta, index chunks, excerpt fragments).
 * @param {string} baseURL @param {import('../../src/i18n/locales.ts').Locale} lang @param {string} query
 */
async function measureQuery(baseURL, lang, query) {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    /** @type {Promise<{ path: string, bytes: number }>[]} */
    const responses = [];
    // The search runs in a worker, whose requests the browser context sees (the page does not).
    page.context().on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith('/pagefind/')) responses.push(response.body().then((body) => ({ path, bytes: body.byteLength })));
    });
    await page.goto(`${baseURL}/${lang}/search/`);
    await page.getByRole('searchbox').fill(query);
    await page.getByRole('searchbox').press('Enter');
    await page.locator('site-search[data-state="done"]').waitFor({ timeout: 60_000 });
    const status = (await page.getByRole('status').textContent()) ?? '';
    await page.waitForLoadState('networkidle');
    const fetched = await Promise.all(responses);
    const isEngine = (/** @type {string} */ path) => path.endsWith('.js') || path.includes('/wasm.');
    const sum = (/** @type {typeof fetched} */ list) => list.reduce((total, item) => total + item.bytes, 0);
    return {
      status,
      engineBytes: sum(fetched.filter((item) => isEngine(item.path))),
      indexBytes: sum(fetched.filter((item) => !isEngine(item.path))),
      requests: fetched.length,
    };
  } finally {
    await browser.close();
  }
}

/** Total size of the files under a folder. */
function measureFolder(/** @type {string} */ dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

/** @param {readonly string[]} header @param {ReadonlyArray<ReadonlyArray<string>>} rows */
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

const round = (/** @type {number} */ value, /** @type {number} */ digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const { essayCount, isJson, keep } = readOptions();
process.stderr.write(`[bench:search] writing ${essayCount} essay pairs…\n`);
const root = createBenchProject(essayCount);
const timingsFile = join(root, 'build-timings.jsonl');
try {
  process.stderr.write(`[bench:search] building in ${root}…\n`);
  const started = performance.now();
  // run-astro-build.mjs keeps Astro's cache inside the scratch project: through the linked
  // node_modules, `astro build` would use (and prune) the real project's share-card cache, and
  // the cards would not be drawn cold.
  await run(nodeBinary, [join(projectRoot, 'scripts/bench/run-astro-build.mjs'), root], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', DUIZHAO_BUILD_TIMINGS: timingsFile },
  });
  const buildMs = performance.now() - started;
  const timings = readBuildTimings(timingsFile);
  const searchMs = getTimingSpan(timings.filter((timing) => timing.step.startsWith('search-index:')));
  const cardTimings = timings.filter((timing) => timing.step === 'share-card');
  const cardsMs = getTimingSpan(cardTimings);
  const searchFolder = measureFolder(join(root, 'dist/client/pagefind'));
  const cardFolder = measureFolder(join(root, 'dist/client/og'));

  const server = await startServer(root);
  let zhQuery;
  let enQuery;
  try {
    zhQuery = await measureQuery(server.baseURL, 'zh', '审核');
    enQuery = await measureQuery(server.baseURL, 'en', 'moderation');
  } finally {
    server.stop();
  }

  const queryRow = (/** @type {string} */ label, /** @type {typeof zhQuery} */ query) => {
    const total = query.engineBytes + query.indexBytes;
    return {
      metric: `bytes fetched from /pagefind/ for one query on ${label} (${query.requests} requests: engine ${round(query.engineBytes / 1024)} KB + index ${round(query.indexBytes / 1024)} KB)`,
      value: round(total / 1024),
      unit: 'KB',
      target: `≤ ${budgets.bytesPerQuery / 1024} KB`,
      pass: total <= budgets.bytesPerQuery,
    };
  };
  /** @type {Result[]} */
  const results = [
    {
      metric: `build wall time, ${essayCount} essay pairs (search and cards included)`,
      value: round(buildMs / 1000),
      unit: 's',
      target: '—',
      pass: true,
    },
    {
      metric: 'search index (Pagefind, both languages at once)',
      value: round(searchMs / 1000, 2),
      unit: 's',
      target: `≤ ${budgets.searchShareOfBuild * 100}% of the build (${round((searchMs / buildMs) * 100)}%)`,
      pass: searchMs <= buildMs * budgets.searchShareOfBuild,
    },
    {
      metric: `share cards (${cardTimings.length} PNGs, ${round(cardFolder.bytes / 1024 / 1024)} MB)`,
      value: round(cardsMs / 1000),
      unit: 's',
      target: `${round((cardsMs / buildMs) * 100)}% of the build`,
      pass: true,
    },
    {
      metric: 'share cards: build time per card (their span over their number)',
      value: round(cardsMs / Math.max(1, cardTimings.length)),
      unit: 'ms',
      target: `≤ ${budgets.msPerCard} ms`,
      pass: cardsMs / Math.max(1, cardTimings.length) <= budgets.msPerCard,
    },
    {
      metric: `search bundles on disk (${searchFolder.files} files)`,
      value: round(searchFolder.bytes / 1024 / 1024, 2),
      unit: 'MB',
      target: '—',
      pass: true,
    },
    queryRow('/zh/search/ “审核”', zhQuery),
    queryRow('/en/search/ “moderation”', enQuery),
  ];

  if (isJson) {
    // `metrics` repeats `results` in the shape scripts/bench/run-all.mjs reads.
    const metrics = results.map(({ pass, ...result }) => ({ ...result, status: pass ? 'PASS' : 'OVER' }));
    process.stdout.write(`${JSON.stringify({ benchmark: 'search-share', essays: essayCount, results, metrics })}\n`);
  } else {
    console.log(`Search and share cards at ${essayCount} essay pairs (zh results: ${zhQuery.status}; en results: ${enQuery.status})\n`);
    console.log(
      formatTable(
        ['metric', 'value', 'target', 'status'],
        results.map((result) => [result.metric, `${result.value} ${result.unit}`, result.target, result.pass ? 'PASS' : 'OVER']),
      ),
    );
  }
} finally {
  if (keep) process.stderr.write(`[bench:search] kept ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
}
