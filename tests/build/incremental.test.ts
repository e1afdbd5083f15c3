import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBuildOutputs } from '../support/build-output-diff.ts';

/**
 * Incremental builds are correct: after each change, the site built incrementally on top of the
 * previous build is the same, file for file, as the site built from scratch. One chain of builds:
 * the incremental site keeps its cache from change to change. The clean build runs in the same
 * folder (the server bundle names the folder it was built in) with the incremental build's output
 * and cache moved aside, and only its share cards copied back: they are cached by content hash
 * whether or not pages are, and drawing them again would only make the test slower.
 */

const projectRoot = join(import.meta.dirname, '..', '..');
const runner = join(projectRoot, 'scripts/bench/run-astro-build.mjs');
const copied = ['src', 'content', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'];

const workDir = mkdtempSync(join(tmpdir(), 'duizhao-incremental-'));
const site = join(workDir, 'site');
/** The runner's cacheDir (scripts/bench/run-astro-build.mjs): Astro's cache, the incremental cache and the share cards in it. */
const cache = join(site, '.bench-cache');
const shareCards = join(cache, 'astro', 'share-cards');
const keptOutput = join(workDir, 'incremental-dist');
const keptCache = join(workDir, 'incremental-cache');

// Astro draws a new key for server islands on every build, unless ASTRO_KEY gives one; the server
// bundle carries it, so two builds differ there by design. Both builds here share one.
const astroKey = randomBytes(32).toString('base64');

interface BuildReport {
  pathsListed: number;
  pathsReused: number;
}

function buildSite(): BuildReport {
  const result = spawnSync(join(projectRoot, 'node_modules/.bin/node'), [runner, site], {
    cwd: site,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ASTRO_KEY: astroKey },
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`build failed (${result.status}):\n${result.stdout}\n${result.stderr}`.slice(-6000));
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as BuildReport;
}

/** Builds from scratch beside the incremental build's output, which is left as it was. */
function buildCleanAndCompare(): string[] {
  renameSync(join(site, 'dist'), keptOutput);
  renameSync(cache, keptCache);
  try {
    cpSync(join(keptCache, 'astro', 'share-cards'), shareCards, { recursive: true });
    const report = buildSite();
    expect(report.pathsReused).toBe(0);
    return compareBuildOutputs(keptOutput, join(site, 'dist'));
  } finally {
    rmSync(join(site, 'dist'), { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    renameSync(keptOutput, join(site, 'dist'));
    renameSync(keptCache, cache);
  }
}

function editFile(path: string, edit: (text: string) => string) {
  const file = join(site, path);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${path} changed nothing`);
  writeFileSync(file, after);
}

function readPage(path: string): string {
  return readFileSync(join(site, 'dist/client', path, 'index.html'), 'utf8');
}

/** Builds incrementally, then checks the result against a clean build; returns the incremental build's report. */
function rebuildAndCompare(): BuildReport {
  const report = buildSite();
  expect(buildCleanAndCompare()).toEqual([]);
  return report;
}

beforeAll(() => {
  for (const entry of copied) cpSync(join(projectRoot, entry), join(site, entry), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(site, 'node_modules'));
  const first = buildSite();
  expect(first.pathsReused).toBe(0);
  expect(first.pathsListed).toBeGreaterThan(40);
}, 300_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('an incremental build equals a clean build', () => {
  it('after an essay’s text and a dataset change, and renders only what shows them', () => {
    editFile('content/essays/who-welcomed-them/en.mdx', (text) => `${text}\nA paragraph added after publishing.\n`);
    editFile('content/data/platform-monthly-users.json', (text) =>
      text.replace(/("values": \[\s*)(\d+)/, (_, before: string, value: string) => `${before}${Number(value) + 1}`),
    );
    const report = rebuildAndCompare();
    expect(readPage('en/essays/who-welcomed-them')).toContain('A paragraph added after publishing.');
    // The essay's two pages in each language, its parallel views, the dataset's three files, and in
    // each language its data page, embed and share card and the data list (which names its time
    // span); nothing else shows the body or the data (lists show frontmatter only).
    expect(report.pathsListed - report.pathsReused).toBeLessThanOrEqual(17);
    expect(report.pathsReused).toBeGreaterThan(30);
  }, 300_000);

  it('after a title and a tag name change: lists, related essays and tag pages follow', () => {
    editFile('content/essays/tiktok-refugees-on-rednote/zh.mdx', (text) => text.replace(/^title: .*$/m, 'title: 改过的标题'));
    editFile('content/tags.json', (text) => text.replace('"Cultural exchange"', '"Exchanges between cultures"'));
    const report = rebuildAndCompare();
    expect(readPage('zh')).toContain('改过的标题');
    expect(readPage('en/tags/culture')).toContain('Exchanges between cultures');
    expect(report.pathsReused).toBeGreaterThan(10);
  }, 300_000);

  it('after a UI string changes, every page that shows it', () => {
    editFile('src/i18n/locales/en.json', (text) => text.replace(/("nav\.skip": ")([^"]*)"/, '$1$2 now"'));
    rebuildAndCompare();
    expect(readPage('en/search')).toMatch(/class="skip-link"[^>]*>[^<]* now</);
  }, 300_000);

  it('after an essay is added, one deleted and a draft published', () => {
    const frontmatter = 'title: 新的一篇\nsummary: 新文章的摘要。\npublished: 2025-03-01\ncategory: observation\ntags: [xiaohongshu]';
    cpSync(join(site, 'content/essays/the-rednote-name'), join(site, 'content/essays/a-new-essay'), { recursive: true });
    writeFileSync(join(site, 'content/essays/a-new-essay/zh.mdx'), `---\n${frontmatter}\n---\n\n新文章的正文。\n`);
    rmSync(join(site, 'content/essays/the-rednote-name'), { recursive: true });
    for (const lang of ['zh', 'en'])
      editFile(`content/essays/notes-in-progress/${lang}.mdx`, (text) => text.replace(/^draft: true\n/m, ''));
    const report = rebuildAndCompare();
    expect(readPage('zh')).toContain('新的一篇');
    expect(readPage('zh')).not.toContain('RedNote？');
    expect(readPage('en/essays/notes-in-progress')).toContain('English tutors');
    expect(report.pathsReused).toBeGreaterThan(10);
  }, 300_000);
});
