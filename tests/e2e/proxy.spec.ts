import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as requestOverHttp } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  addModerator,
  findTranslatedEssay,
  getFreePort,
  getUniqueMark,
  moderator,
  openCommentStore,
  startServer,
  type TestServer,
} from './fixtures.ts';
import {
  checkNginxInstalled,
  makeCertificate,
  requestOverTls,
  startNginx,
  type RunningNginx,
  type TlsAnswer,
} from '../support/reverse-proxy.ts';

/**
 * The deployment guide, run: the built site with an https SITE_URL behind nginx configured by
 * scripts/deploy/nginx.conf (TLS with a certificate made here), TRUST_PROXY=1, and Chromium
 * reaching it as https://duizhao.test:<port> (the project maps the name to 127.0.0.1).
 */

const projectRoot = join(import.meta.dirname, '..', '..');
const hostname = 'duizhao.test';
const essay = findTranslatedEssay();
/** Comments one sender may post in the suite's server; a post without the form's token (no JavaScript) gets half. */
const rateLimit = { setting: '4/10m', withoutToken: 2 };
/**
 * How long the server and nginx may take to start. About a second each, but once, with other
 * builds crowding the two cores, the server took over 20 s to answer.
 */
const slowStartMs = 90_000;

/** Runs the production build for `siteUrl` into `outDir`; the build's output only if it fails. */
async function buildSite(siteUrl: string, outDir: string): Promise<void> {
  const child = spawn(
    join(projectRoot, 'node_modules/.bin/node'),
    [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', relative(projectRoot, outDir)],
    {
      cwd: projectRoot,
      env: { ...process.env, SITE_URL: siteUrl, DEPLOY_TARGET: 'node', ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`The build for ${siteUrl} failed (exit ${code}):\n${log.slice(-4000)}`);
}

/**
 * The suite's build, made once per test run: a worker started again after a failed test finds
 * it (and its port) through a note in the run's scratch folder (global-setup's, removed at the
 * end of the run) instead of building again. Builds of earlier runs are removed first.
 */
async function prepareBuild(): Promise<{ buildDir: string; httpsPort: number }> {
  const note = process.env.DUIZHAO_E2E_DATA_DIR ? join(process.env.DUIZHAO_E2E_DATA_DIR, 'proxy-build.json') : undefined;
  if (note && existsSync(note)) return JSON.parse(readFileSync(note, 'utf8')) as { buildDir: string; httpsPort: number };
  // Inside the project: the built server imports its packages from node_modules.
  const outputDir = join(projectRoot, 'tests', '.output');
  mkdirSync(outputDir, { recursive: true });
  for (const name of readdirSync(outputDir))
    if (name.startsWith('proxy-build-')) rmSync(join(outputDir, name), { recursive: true, force: true });
  const prepared = { buildDir: mkdtempSync(join(outputDir, 'proxy-build-')), httpsPort: await getFreePort() };
  await buildSite(`https://${hostname}:${prepared.httpsPort}`, prepared.buildDir);
  if (note) writeFileSync(note, JSON.stringify(prepared));
  return prepared;
}

async function signIn(page: Page): Promise<void> {
  await page.goto('/moderate/?lang=en');
  await page.getByLabel('Name').fill(moderator.name);
  await page.getByLabel('Password').fill(moderator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/en\/moderate\/queue\/$/);
}

/** How often a header was sent (a proxy adding its own copy would make it two). */
function countHeader(answer: TlsAnswer, name: string): number {
  return answer.rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === name).length;
}

test.describe('behind nginx with TLS (scripts/deploy/nginx.conf)', () => {
  let scratchDir = '';
  let buildDir = '';
  let certificate = '';
  let httpsPort = 0;
  let httpPort = 0;
  let origin = '';
  let databasePath = '';
  let server: TestServer | undefined;
  let nginx: RunningNginx | undefined;

  /** One request to nginx, as a client at `localAddress` (another 127.x address is another client). */
  const send = (path: string, options: Omit<Parameters<typeof requestOverTls>[0], 'port' | 'hostname' | 'certificate' | 'path'> = {}) =>
    requestOverTls({ port: httpsPort, hostname, certificate, path, ...options });

  /** A comment posted as JSON without the form's token, from the given client address. */
  const postComment = (localAddress: string, headers: Record<string, string> = {}, fields: Record<string, unknown> = {}) =>
    send('/api/comments/', {
      method: 'POST',
      localAddress,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': 'en', ...headers },
      body: JSON.stringify({
        essay: essay.slug,
        lang: 'en',
        name: getUniqueMark('Reader'),
        body: getUniqueMark('comment'),
        website: '',
        formToken: '',
        ...fields,
      }),
    });

  const newContext = (browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> =>
    browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true, ...options });

  test.beforeAll(async ({}, testInfo) => {
    // A production build of its own (about 10 s of CPU, more on a loaded machine), the server and nginx.
    testInfo.setTimeout(300_000);
    // Before the build: without nginx the suite fails at once, saying how to get it.
    checkNginxInstalled();
    scratchDir = mkdtempSync(join(tmpdir(), 'duizhao-proxy-'));
    // nginx's workers run as another user when the tests run as root: they must reach their temporary files.
    chmodSync(scratchDir, 0o755);
    ({ buildDir, httpsPort } = await prepareBuild());
    httpPort = await getFreePort();
    origin = `https://${hostname}:${httpsPort}`;
    const made = makeCertificate(scratchDir, hostname);
    certificate = made.certificate;
    databasePath = join(scratchDir, 'comments.db');
    await addModerator(moderator, { kind: 'sqlite', path: databasePath });
    server = await startServer(
      {
        DUIZHAO_DIST_DIR: buildDir,
        SITE_URL: origin,
        TRUST_PROXY: '1',
        COMMENTS_DB: databasePath,
        COMMENTS_RATE_LIMIT: rateLimit.setting,
        // The fill-time check has its own tests; here it would only add a wait.
        COMMENTS_MIN_FILL_SECONDS: '0',
      },
      { startTimeoutMs: slowStartMs },
    );
    nginx = await startNginx(
      scratchDir,
      {
        serverName: hostname,
        httpPort,
        httpsPort,
        certificateFile: made.certificateFile,
        keyFile: made.keyFile,
        upstream: new URL(server.baseURL).host,
      },
      certificate,
      { startTimeoutMs: slowStartMs },
    );
  });

  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status === testInfo.expectedStatus) return;
    await testInfo.attach('nginx.log', { body: nginx?.output() ?? '', contentType: 'text/plain' });
    await testInfo.attach('server.log', { body: server?.output() ?? '', contentType: 'text/plain' });
  });

  test.afterAll(async () => {
    await nginx?.stop();
    await server?.stop();
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  });

  test('plain http is sent to https on the same path; certificate renewals are not', async () => {
    const get = (path: string) =>
      new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
        requestOverHttp({ host: '127.0.0.1', port: httpPort, path, headers: { host: `${hostname}:${httpPort}` } }, (answer) => {
          answer.resume();
          resolve({ status: answer.statusCode ?? 0, location: answer.headers.location });
        })
          .on('error', reject)
          .end();
      });
    // The guide's file redirects to the standard port, where the real site listens.
    expect(await get('/zh/essays/?page=2')).toEqual({ status: 301, location: `https://${hostname}/zh/essays/?page=2` });
    expect((await get('/.well-known/acme-challenge/no-such-token')).status).toBe(404);
  });

  test('a moderator signs in over https, gets a Secure, HttpOnly, SameSite=Strict cookie and HSTS, and approves a comment', async ({
    browser,
  }) => {
    const posted = await postComment('127.0.0.5');
    expect(posted.status, posted.body).toBe(201);
    const { id } = JSON.parse(posted.body) as { id: string };

    const context = await newContext(browser);
    const page = await context.newPage();
    const signInAnswer = page.waitForResponse(
      (response) => response.url().endsWith('/api/moderation/sign-in/') && response.request().method() === 'POST',
    );
    await signIn(page);
    const setCookie = (await (await signInAnswer).headerValue('set-cookie')) ?? '';
    expect(setCookie).toMatch(/^duizhao_moderator=/);
    expect(setCookie).toMatch(/;\s*Secure(;|$)/i);
    expect(setCookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict(;|$)/i);
    const [session] = (await context.cookies(origin)).filter((cookie) => cookie.name === 'duizhao_moderator');
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });

    const queue = await page.reload();
    expect(queue?.headers()['strict-transport-security']).toBe('max-age=31536000');
    await page.locator(`[data-comment-id="${id}"]`).getByRole('button', { name: 'Approve' }).click();
    await expect(page.locator(`[data-comment-id="${id}"]`)).toHaveCount(0);
    const store = await openCommentStore(databasePath);
    expect((await store.getComment(id))?.status).toBe('approved');
    await store.close();
    await context.close();
  });

  test('a reader posts a comment with JavaScript and another without', async ({ browser }) => {
    const withScript = await newContext(browser);
    const page = await withScript.newPage();
    const scriptName = getUniqueMark('Script');
    await page.goto(`/en/essays/${essay.slug}/`);
    await page.getByLabel('Name').fill(scriptName);
    await page.getByRole('textbox', { name: 'Comment' }).fill('Posted through nginx with JavaScript.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Received — your comment is awaiting moderation.' })).toBeVisible();
    await withScript.close();

    const withoutScript = await newContext(browser, { javaScriptEnabled: false });
    const plainPage = await withoutScript.newPage();
    const plainName = getUniqueMark('NoScript');
    await plainPage.goto(`/en/essays/${essay.slug}/`);
    await plainPage.getByLabel('Name').fill(plainName);
    await plainPage.getByRole('textbox', { name: 'Comment' }).fill('Posted through nginx without JavaScript.');
    await plainPage.getByRole('button', { name: 'Post comment' }).click();
    await expect(plainPage).toHaveURL(`${origin}/en/essays/${essay.slug}/#comment-received`);
    await expect(plainPage.getByText('Received — your comment is awaiting moderation.')).toBeVisible();
    await withoutScript.close();

    const store = await openCommentStore(databasePath);
    const stored = (await store.listComments({ essay: essay.slug })).filter(
      (comment) => comment.name === scriptName || comment.name === plainName,
    );
    await store.close();
    expect(stored.map((comment) => [comment.name, comment.status]).sort()).toEqual(
      [
        [plainName, 'pending'],
        [scriptName, 'pending'],
      ].sort(),
    );
  });

  test('the rate limit counts the address nginx saw: forged X-Forwarded-For, X-Real-IP or Forwarded buy no fresh allowance', async () => {
    const forged = (address: string) => ({ 'x-forwarded-for': address, 'x-real-ip': address, forwarded: `for=${address}` });
    for (let count = 0; count < rateLimit.withoutToken; count += 1) {
      const answer = await postComment('127.0.0.3', forged(`198.51.100.${count + 1}`));
      expect(answer.status, answer.body).toBe(201);
    }
    const refused = await postComment('127.0.0.3', forged('203.0.113.77'));
    expect(refused.status, refused.body).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'rate_limited' } });
    // Another real address is another sender: the limit is per client, not one for everyone behind nginx.
    const other = await postComment('127.0.0.4', forged('198.51.100.1'));
    expect(other.status, other.body).toBe(201);
  });

  test('answers keep the server’s headers, once each, and text is compressed', async () => {
    const page = await send('/zh/', { headers: { 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(countHeader(page, 'strict-transport-security')).toBe(1);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self';/);
    expect(countHeader(page, 'content-security-policy')).toBe(1);
    expect(page.headers.server).toBe('nginx');
    const stylesheet = /href="(\/_astro\/[^"]+\.css)"/.exec(await (await send('/zh/')).body)?.[1];
    expect(stylesheet, 'the home page links a stylesheet under /_astro/').toBeDefined();
    const asset = await send(stylesheet ?? '', { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(asset.headers['content-encoding']).toBe('gzip');
  });

  test('bodies over the server’s 4 MB get its 413 in the reader’s language; over nginx’s 5 MB a 413 in both', async () => {
    const oversized = (bytes: number) => Buffer.alloc(bytes, 'a');
    for (const headers of [{}, { 'transfer-encoding': 'chunked' }] as Record<string, string>[]) {
      const answer = await send('/api/comments/', {
        method: 'POST',
        body: oversized(4_500_000),
        headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', ...headers },
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'payload_too_large', message: '请求内容太大了。' } });
      const huge = await send('/api/comments/', {
        method: 'POST',
        body: oversized(6_000_000),
        headers: { 'content-type': 'application/json', ...headers },
      });
      expect(huge.status).toBe(413);
      expect(huge.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(huge.body)).toEqual({
        error: { code: 'payload_too_large', message: '请求内容太大了。 The request body is too large.' },
      });
    }
    expect((await send('/healthz')).status).toBe(200);
  });

  test('fifty readers at once all get their page', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => send(index % 2 ? '/zh/' : `/en/essays/${essay.slug}/`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
  });

  // Last: it stops the server.
  test('while the server is down, nginx says so in both languages and asks to come back', async () => {
    await server?.stop();
    for (const path of ['/zh/', '/api/comments/token/']) {
      const answer = await send(path);
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('10');
      expect(answer.body).toContain('对照暂时无法访问');
      expect(answer.body).toContain('duizhao is briefly unavailable');
    }
  });
});

test.describe('straight to the Node port', () => {
  let server: TestServer | undefined;
  let scratchDir = '';

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(slowStartMs + 30_000);
    scratchDir = mkdtempSync(join(tmpdir(), 'duizhao-direct-'));
    await addModerator(moderator, { kind: 'sqlite', path: join(scratchDir, 'comments.db') });
    // The default build (dist/, made for localhost) without a proxy: TRUST_PROXY=0, no SITE_URL.
    server = await startServer(
      { COMMENTS_DB: join(scratchDir, 'comments.db'), TRUST_PROXY: '0', SITE_URL: '' },
      { startTimeoutMs: slowStartMs },
    );
  });

  test.afterAll(async () => {
    await server?.stop();
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  });

  test('a forged X-Forwarded-Proto: https gets neither a Secure cookie nor HSTS with TRUST_PROXY=0', async ({ browser }) => {
    const context = await browser.newContext({
      baseURL: server?.baseURL,
      extraHTTPHeaders: { 'x-forwarded-proto': 'https', 'x-forwarded-host': hostname, forwarded: `proto=https;host=${hostname}` },
    });
    const page = await context.newPage();
    const signInAnswer = page.waitForResponse(
      (response) => response.url().endsWith('/api/moderation/sign-in/') && response.request().method() === 'POST',
    );
    await signIn(page);
    const answer = await signInAnswer;
    expect((await answer.headerValue('set-cookie')) ?? '').toMatch(/^duizhao_moderator=/);
    expect((await answer.headerValue('set-cookie')) ?? '').not.toMatch(/secure/i);
    expect(await answer.headerValue('strict-transport-security')).toBeNull();
    const queue = await page.reload();
    expect(queue?.headers()['strict-transport-security']).toBeUndefined();
    const [session] = (await context.cookies()).filter((cookie) => cookie.name === 'duizhao_moderator');
    expect(session?.secure).toBe(false);
    await context.close();
  });
});
