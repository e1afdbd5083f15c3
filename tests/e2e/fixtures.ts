import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { createCommentStore, type CommentStore } from '../../src/lib/comments/store.ts';
import { getFreePort, startServer, type TestServer } from '../support/built-server.ts';
import { addModerator, executeOnLocalD1, openReadOnlyDriver, type ModeratorAccount } from '../support/database-access.ts';

export { getFreePort, startServer, type TestServer } from '../support/built-server.ts';
export { addModerator, type ModeratorAccount } from '../support/database-access.ts';

const essaysDir = join(import.meta.dirname, '..', '..', 'content', 'essays');

export interface DemoEssay {
  slug: string;
  titles: { zh?: string; en?: string };
  tags: string[];
  published: string;
}

function readTitle(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const source = readFileSync(file, 'utf8');
  if (/^draft:\s*true/m.test(source)) return undefined;
  const title = /^title:\s*(.+)$/m.exec(source)?.[1]?.trim();
  return title?.replace(/^(['"])(.*)\1$/, '$2');
}

/** The demo essays, read from content/ so tests follow the content instead of repeating it. */
export function listDemoEssays(): DemoEssay[] {
  return readdirSync(essaysDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const [file] = ['zh.mdx', 'en.mdx'].map((name) => join(essaysDir, entry.name, name)).filter((path) => existsSync(path));
      const frontmatter = file ? readFileSync(file, 'utf8') : '';
      return {
        slug: entry.name,
        titles: { zh: readTitle(join(essaysDir, entry.name, 'zh.mdx')), en: readTitle(join(essaysDir, entry.name, 'en.mdx')) },
        tags: (/^tags:\s*\[([^\]]*)\]/m.exec(frontmatter)?.[1] ?? '')
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
        published: /^published:\s*(\S+)/m.exec(frontmatter)?.[1] ?? '',
      };
    })
    .filter((essay) => essay.titles.zh || essay.titles.en);
}

/** The text of a published essay version that search can find: title, summary and body (not the other frontmatter). */
function readSearchableText(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const source = readFileSync(file, 'utf8');
  if (/^draft:\s*true/m.test(source)) return undefined;
  const [, frontmatter = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source) ?? [];
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(frontmatter)?.[1] ?? '';
  return [field('title'), field('summary'), body].join('\n');
}

/** Published essays whose version in `lang` mentions `word` (case-insensitive): what a search for it must find. */
export function findEssaysMentioning(word: string, lang: 'zh' | 'en'): Array<DemoEssay & { title: string }> {
  return listDemoEssays().flatMap((essay) => {
    const text = readSearchableText(join(essaysDir, essay.slug, `${lang}.mdx`));
    const title = essay.titles[lang];
    return text && title && text.toLowerCase().includes(word.toLowerCase()) ? [{ ...essay, title }] : [];
  });
}

/** The draft demo essay: its slug, and sentences from its body that must never be found. */
export function findDraftEssay(): { slug: string; sentences: { zh: string; en: string } } {
  const slug = 'notes-in-progress';
  const firstSentence = (lang: 'zh' | 'en') => {
    const body = readFileSync(join(essaysDir, slug, `${lang}.mdx`), 'utf8').split(/\n---\n/)[1] ?? '';
    const paragraph = body.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
    return paragraph.split(/[。.:：]/)[0] ?? '';
  };
  if (!/^draft:\s*true/m.test(readFileSync(join(essaysDir, slug, 'zh.mdx'), 'utf8')))
    throw new Error(`The demo essay ${slug} must stay a draft`);
  return { slug, sentences: { zh: firstSentence('zh'), en: firstSentence('en') } };
}

export function findTranslatedEssay(): DemoEssay & { titles: { zh: string; en: string } } {
  const essay = listDemoEssays().find((candidate) => candidate.titles.zh && candidate.titles.en);
  if (!essay?.titles.zh || !essay.titles.en) throw new Error('The demo content needs an essay in both languages');
  return { ...essay, titles: { zh: essay.titles.zh, en: essay.titles.en } };
}

export function findChineseOnlyEssay(): DemoEssay & { titles: { zh: string } } {
  const essay = listDemoEssays().find((candidate) => candidate.titles.zh && !candidate.titles.en);
  if (!essay?.titles.zh) throw new Error('The demo content needs an essay that exists only in Chinese');
  return { ...essay, titles: { zh: essay.titles.zh } };
}

/** What the body of one version of an essay holds, read from its MDX: its `##` headings (as written) and `<Chart>`s. */
export function readEssayBody(slug: string, locale: 'zh' | 'en'): { headings: string[]; chartCount: number } {
  const source = readFileSync(join(essaysDir, slug, `${locale}.mdx`), 'utf8');
  return {
    headings: [...source.matchAll(/^## (.+)$/gm)].map((match) => match[1]?.trim() ?? ''),
    chartCount: [...source.matchAll(/^<Chart\s/gm)].length,
  };
}

const dataDir = join(import.meta.dirname, '..', '..', 'content', 'data');

/** A dataset file from content/data, as authored. */
interface DemoDataset {
  id: string;
  title: { zh: string; en: string };
  illustrative?: boolean;
  x: { type: 'date'; values: string[] } | { type: 'category'; values: { id: string; zh: string; en: string }[] };
  series: { id: string; name: { zh: string; en: string }; values: (number | null)[]; illustrative?: boolean }[];
}

export interface DemoChart {
  slug: string;
  type: string;
  dataset: DemoDataset;
  /** The series the chart shows, in order. */
  series: DemoDataset['series'];
}

/** The first chart of a type in an essay that has it in both languages, read from the MDX and its dataset file. */
export function findChart(type: string): DemoChart {
  for (const essay of listDemoEssays()) {
    if (!essay.titles.zh || !essay.titles.en) continue;
    const source = readFileSync(join(essaysDir, essay.slug, 'zh.mdx'), 'utf8');
    for (const match of source.matchAll(/<Chart\s+([^>]*?)\/>/g)) {
      const attributes = match[1] ?? '';
      if (/type="([^"]+)"/.exec(attributes)?.[1] !== type) continue;
      const datasetId = /dataset="([^"]+)"/.exec(attributes)?.[1] ?? '';
      const dataset = JSON.parse(readFileSync(join(dataDir, `${datasetId}.json`), 'utf8')) as DemoDataset;
      const seriesIds = JSON.parse(/series=\{(\[[^\]]*\])\}/.exec(attributes)?.[1] ?? 'null') as string[] | null;
      const series = seriesIds ? dataset.series.filter((candidate) => seriesIds.includes(candidate.id)) : dataset.series;
      return { slug: essay.slug, type, dataset, series };
    }
  }
  throw new Error(`The demo content needs a translated essay with a ${type} chart`);
}

const projectRoot = join(import.meta.dirname, '..', '..');

/**
 * One static file of each kind the build wrote into `clientDir` (scripts, styles, images, share
 * cards, search files, CSV and JSON data, feeds…), as the path a browser asks for; pages
 * (`index.html`) are asked for by their folder.
 */
export function listStaticFileSamples(clientDir: string): string[] {
  const samples = new Map<string, string>();
  const visit = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) visit(join(folder, entry.name), `${prefix}${entry.name}/`);
      // `_headers` and dot files (`.assetsignore`) configure the host and are never served; `.br`
      // and `.gz` copies are sent for their file, never at an address of their own.
      else if (!/^[_.]/.test(entry.name) && !/\.(br|gz)$/.test(entry.name)) {
        const kind = `${prefix.split('/')[0]}:${entry.name.includes('.') ? entry.name.slice(entry.name.lastIndexOf('.')) : entry.name}`;
        if (!samples.has(kind)) samples.set(kind, entry.name === 'index.html' ? `/${prefix}` : `/${prefix}${entry.name}`);
      }
    }
  };
  visit(join(projectRoot, clientDir), '');
  return [...samples.values()];
}

/**
 * Opens a page of another site (a server of its own on localhost, another site than 127.0.0.1)
 * that shows `url` in an iframe, and checks the browser refused to show it.
 */
export async function expectFramingRefused(page: Page, url: string): Promise<void> {
  const elsewhere = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><title>Elsewhere</title><iframe title="framed" src="${url}"></iframe>`);
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = elsewhere.address() as AddressInfo;
    const [framed] = await Promise.all([page.waitForResponse(url), page.goto(`http://localhost:${port}/`)]);
    // The page was sent, and its own headers kept the browser from showing it.
    expect(framed.status()).toBe(200);
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    await expect.poll(async () => frame?.url()).toMatch(/^chrome-error:/);
    await expect(page.frameLocator('iframe').locator('#main')).toHaveCount(0);
  } finally {
    await new Promise((resolve) => elsewhere.close(resolve));
  }
}

/** Settings every test server gets: global-setup's two and the ones a suite starts for itself. */
export const testServerSettings = {
  // Tests stand behind one pretend proxy, so each can post from its own address (X-Forwarded-For).
  TRUST_PROXY: '1',
  COMMENTS_MIN_FILL_SECONDS: '1',
  COMMENTS_RATE_LIMIT: '5/10m',
  // Small enough that a test reaches it in a few clicks.
  COLLECTS_RATE_LIMIT: '6/10m',
  // Known to the tests, which can then work out what the server derives from it: a form token, the
  // keys a sign-in attempt is counted under.
  COMMENTS_SECRET: 'e2e-comments-secret-for-tests-only',
};

/** The moderator global-setup adds to both servers' databases; tests sign in as them. */
export const moderator: ModeratorAccount = { name: 'e2e-moderator', password: 'e2e moderator password' };

/** A second account global-setup adds, which only the sign-in throttling test attacks (so no other test's sign-in is slowed). */
export const targetModerator: ModeratorAccount = { name: 'e2e-target', password: 'the target’s long password' };

/** A third account global-setup adds, for what a second moderator does (the audit log names who acted). */
export const secondModerator: ModeratorAccount = { name: 'e2e-second', password: 'the second moderator’s password' };

/** Whether the running test is in the "cloudflare" project (the Worker in workerd with a local D1). */
export function isCloudflareTarget(): boolean {
  return test.info().project.name === 'cloudflare';
}

/** For tests that start Node servers of their own (other settings, kill -9): they have no Worker counterpart. */
export function skipOnCloudflare(reason = 'starts a Node server of its own'): void {
  test.skip(isCloudflareTarget(), reason);
}

/** The database file of the server under test: the Node server's SQLite file, or the Worker's local D1 file. */
export function getServerDatabasePath(): string {
  const [name, path] = isCloudflareTarget()
    ? ['DUIZHAO_CLOUDFLARE_COMMENTS_DB', process.env.DUIZHAO_CLOUDFLARE_COMMENTS_DB]
    : ['DUIZHAO_COMMENTS_DB', process.env.DUIZHAO_COMMENTS_DB];
  if (!path)
    throw new Error(
      `${name} is not set: run the browser tests through tests/playwright.config.ts (the cloudflare project needs npm run build:cloudflare first)`,
    );
  return path;
}

/**
 * The comment store of a running server's database (the test target's, or the file at `path`),
 * to check what the server stored. It only reads: tests prepare data through the site's API.
 */
export async function openCommentStore(path = getServerDatabasePath()): Promise<CommentStore & { close(): Promise<void> }> {
  const driver = openReadOnlyDriver(path);
  return { ...createCommentStore(driver), close: () => driver.close() };
}

/** The rows a query finds in the test target's database, read-only. */
export async function queryServerDatabase<Row>(sql: string, params: Array<string | number | null> = []): Promise<Row[]> {
  const driver = openReadOnlyDriver(getServerDatabasePath());
  try {
    return await driver.all<Row>(sql, params);
  } finally {
    await driver.close();
  }
}

let addressCount = 0;
const processPrefix = `fd00:${Math.floor(Math.random() * 0xffff).toString(16)}:${(process.pid & 0xffff).toString(16)}`;

/** A sender of its own (a private IPv6 /64; limits count by /64), so rate limits do not mix tests. */
export function getTestAddress(): string {
  addressCount += 1;
  return `${processPrefix}:${addressCount.toString(16)}::1`;
}

/** A string no other test run writes, to find a comment again in pages and feeds. */
export function getUniqueMark(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Miniflare keeps a local D1 database as one SQLite file; the tests read it like the Node target's. */
function findLocalD1File(stateDir: string): string {
  const folder = join(stateDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = existsSync(folder) ? readdirSync(folder).find((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite') : undefined;
  if (!file) throw new Error(`No local D1 database file in ${folder}`);
  return join(folder, file);
}

/** How long a Worker may take to start (wrangler applies the migrations, then starts workerd): a test that starts one needs this much more time. */
export const workerStartTimeoutMs = 90_000;

/**
 * Starts the Cloudflare build (dist-cloudflare/) in workerd through npm run serve:cloudflare, on
 * 127.0.0.1 and a free port, with its local D1 under `stateDir` (migrated on start).
 */
export async function startWorker(env: Record<string, string>, stateDir: string): Promise<TestServer & { databasePath: string }> {
  const port = await getFreePort();
  const child = spawn(join(projectRoot, 'node_modules/.bin/node'), [join(projectRoot, 'scripts/cloudflare/serve.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      CLOUDFLARE_STATE_DIR: stateDir,
      TRUST_PROXY: '',
      COMMENTS_MIN_FILL_SECONDS: '',
      COMMENTS_RATE_LIMIT: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // wrangler runs workerd as a child of its own: the whole group is stopped.
    detached: true,
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, signal);
    await exited;
  };
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + workerStartTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Worker exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${baseURL}/api/comments/token/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`The Worker did not start within ${workerStartTimeoutMs / 1000} s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseURL, process: child, output: () => log, stop, databasePath: findLocalD1File(stateDir) };
}

/** A test server with a database no other suite uses. */
export interface OwnServer extends TestServer {
  /** Runs statements on its database, with the project's own tools (the Node driver, `wrangler d1 execute`); only between tests, while nothing else uses the server. */
  execute(statements: readonly string[]): Promise<void>;
}

/**
 * Starts a server of the given target (the Node build or the Worker) with a database of its own,
 * the test settings and the test moderator, for a suite that must know everything in its database.
 */
export async function startOwnServer(target: 'node' | 'cloudflare'): Promise<OwnServer> {
  const folder = mkdtempSync(join(tmpdir(), 'duizhao-own-server-'));
  try {
    if (target === 'node') {
      const path = join(folder, 'comments.db');
      // Before the server starts: the command migrates the new file, as the server would.
      await addModerator(moderator, { kind: 'sqlite', path });
      const server = await startServer({ ...testServerSettings, COMMENTS_DB: path });
      return {
        ...server,
        execute: async (statements) => {
          const driver = createSqliteDriver(path);
          try {
            await driver.batch(statements.map((sql) => ({ sql })));
          } finally {
            await driver.close();
          }
        },
        stop: async (signal) => {
          await server.stop(signal);
          rmSync(folder, { recursive: true, force: true });
        },
      };
    }
    const stateDir = join(folder, 'state');
    const worker = await startWorker(testServerSettings, stateDir);
    // The migrations are applied when the Worker starts; it has served no request that writes yet.
    await addModerator(moderator, { kind: 'd1', stateDir }).catch(async (error: unknown) => {
      await worker.stop();
      throw error;
    });
    return {
      ...worker,
      execute: (statements) => executeOnLocalD1(stateDir, statements.join(';\n')),
      stop: async (signal) => {
        await worker.stop(signal);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** What the moderation console's scripts send, through its API: for tests that need approved comments or the author's replies. */
export interface ModerationApi {
  /** Approves comments, as the queue's Approve button does. */
  approve(...ids: string[]): Promise<void>;
  /** Rejects comments, as the queue's Reject button does. */
  reject(...ids: string[]): Promise<void>;
  /** Publishes the author's reply to a comment; returns the reply's id. */
  reply(id: string, body: string): Promise<string>;
}

async function openModerationApi(baseURL: string, account: ModeratorAccount): Promise<ModerationApi> {
  const context: APIRequestContext = await request.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-for': getTestAddress() } });
  const signedIn = await context.post('/api/moderation/sign-in/', { data: account });
  if (signedIn.status() !== 200) throw new Error(`Signing in through the API answered ${signedIn.status()}: ${await signedIn.text()}`);
  // The console's scripts send the token its forms carry.
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await context.get('/en/moderate/queue/')).text())?.[1];
  if (!csrf) throw new Error('The moderation queue carries no CSRF token');
  const act = async (data: Record<string, unknown>, status: number) => {
    const response = await context.post('/api/moderation/actions/', { data, headers: { 'x-csrf-token': csrf } });
    if (response.status() !== status) throw new Error(`${String(data.action)} answered ${response.status()}: ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    approve: async (...ids) => {
      await act({ action: 'approve', id: ids }, 200);
    },
    reject: async (...ids) => {
      await act({ action: 'reject', id: ids }, 200);
    },
    reply: async (id, body) => String((await act({ action: 'reply', id, body }, 201)).id),
  };
}

const moderationApis = new Map<string, Promise<ModerationApi>>();

/** The moderation API of the server under test, signed in once per test process as `account` (the test moderator by default). */
export function getModerationApi(baseURL = String(test.info().project.use.baseURL), account = moderator): Promise<ModerationApi> {
  const key = `${account.name} ${baseURL}`;
  let api = moderationApis.get(key);
  if (!api) {
    api = openModerationApi(baseURL, account);
    // A failed sign-in is reported by this call and tried again by the next.
    api.catch(() => moderationApis.delete(key));
    moderationApis.set(key, api);
  }
  return api;
}

/** Signs in through the form, in the given language, from a test address of its own. */
export async function signInAsModerator(page: Page, lang: 'zh' | 'en' = 'en'): Promise<void> {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': getTestAddress() });
  await page.goto(`/moderate/?lang=${lang}`);
  const labels =
    lang === 'en' ? { name: 'Name', password: 'Password', submit: 'Sign in' } : { name: '用户名', password: '密码', submit: '登录' };
  await page.getByLabel(labels.name).fill(moderator.name);
  await page.getByLabel(labels.password).fill(moderator.password);
  await page.getByRole('button', { name: labels.submit }).click();
  await expect(page).toHaveURL(new RegExp(`/${lang}/moderate/queue/`));
}
