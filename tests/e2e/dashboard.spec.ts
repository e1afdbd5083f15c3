import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import {
  findChineseOnlyEssay,
  findTranslatedEssay,
  getTestAddress,
  signInAsModerator,
  startOwnServer,
  workerStartTimeoutMs,
  type OwnServer,
} from './fixtures.ts';

const translated = findTranslatedEssay();
const chineseOnly = findChineseOnlyEssay();

/** The signal tables, which each test starts with empty. */
const signalTables = ['essay_views', 'view_visitors', 'view_networks', 'essay_collects', 'collect_actions'];

/**
 * The dashboard counts every reader of the site, so its tests run against a server of their own
 * (the project's target, Node or Worker) that no other suite's readers reach, one per test process;
 * each test starts there from no views and no collects, so none depends on another having run.
 */
const test = base.extend<{ emptySignals: void }, { ownServer: OwnServer }>({
  ownServer: [
    async ({}, use, workerInfo) => {
      const server = await startOwnServer(workerInfo.project.name === 'cloudflare' ? 'cloudflare' : 'node');
      await use(server);
      await server.stop();
    },
    // Starting a Worker and adding the moderator take a while on a crowded machine.
    { scope: 'worker', timeout: workerStartTimeoutMs + 60_000 },
  ],
  emptySignals: [
    async ({ ownServer }, use) => {
      // Between tests, while nothing uses the server (on the Worker: wrangler d1 execute, a few seconds).
      await ownServer.execute(signalTables.map((table) => `DELETE FROM ${table}`));
      await use();
    },
    { auto: true, timeout: 60_000 },
  ],
  baseURL: async ({ ownServer }, use) => use(ownServer.baseURL),
});

// The file's tests take turns on its server rather than each starting one.
test.describe.configure({ mode: 'default' });

let readerCount = 0;

/** A view from a reader of its own: the server tells readers apart by network and browser. */
async function recordView(request: APIRequestContext, essay: string, lang: 'zh' | 'en') {
  readerCount += 1;
  const response = await request.post('/api/signals/views/', {
    data: { essay, lang },
    headers: {
      'user-agent': `Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.${readerCount}`,
      'x-forwarded-for': getTestAddress(),
    },
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ counted: true });
}

/** Collects (or lets go of) an essay for one device's reader id. */
async function setCollected(request: APIRequestContext, essay: string, lang: 'zh' | 'en', reader: string, collected: boolean) {
  const response = await request.post('/api/signals/collects/', {
    data: { essay, lang, reader, collected },
    headers: { 'x-forwarded-for': getTestAddress() },
  });
  expect(response.status()).toBe(200);
}

/** Browser errors on the page, CSP refusals included. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const today = () => new Date().toISOString().slice(0, 10);
const longDate = (iso: string, intl: string) => new Intl.DateTimeFormat(intl, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

test('signed out, the dashboard sends the moderator to sign in and shows none of its data', async ({ page, request }) => {
  await recordView(request, translated.slug, 'en');
  for (const lang of ['zh', 'en']) {
    const response = await request.get(`/${lang}/moderate/dashboard/?days=7`, { maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe(`/${lang}/moderate/`);
    const body = await response.text();
    expect(body).not.toContain(translated.slug);
    expect(body).not.toContain('chart-figure');
  }
  await page.goto('/moderate/dashboard/?lang=en');
  await expect(page).toHaveURL(/\/en\/moderate\/$/);
  await expect(page.getByRole('heading', { name: 'Sign in to moderate' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('before any reader, the dashboard says there is nothing yet', async ({ page }) => {
  await signInAsModerator(page, 'zh');
  await page.getByRole('link', { name: '读者数据' }).click();
  await expect(page).toHaveURL(/\/zh\/moderate\/dashboard\/$/);
  await expect(page.getByRole('heading', { level: 1, name: '读者数据' })).toBeVisible();
  await expect(page.getByText('还没有阅读或收藏。')).toBeVisible();
  await expect(page.locator('chart-figure')).toHaveCount(0);
});

test('a moderator sees the week’s top essays with their counts, and charts that draw with a table of today’s figures', async ({
  page,
  request,
}) => {
  // Ten requests, two drawn charts read pixel by pixel and an axe analysis: 7–19 s on a shared two-core machine, once 34 s under load.
  test.slow();
  for (let index = 0; index < 3; index += 1) await recordView(request, translated.slug, 'en');
  for (let index = 0; index < 2; index += 1) await recordView(request, translated.slug, 'zh');
  await recordView(request, chineseOnly.slug, 'zh');
  const [kept, undone] = [randomBytes(16).toString('base64url'), randomBytes(16).toString('base64url')];
  await setCollected(request, translated.slug, 'en', kept, true);
  await setCollected(request, translated.slug, 'zh', undone, true);
  await setCollected(request, translated.slug, 'zh', undone, false);

  const errors = collectErrors(page);
  await signInAsModerator(page, 'en');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');

  const top = page.getByRole('table', { name: 'Top essays this week' });
  const rows = top.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByRole('rowheader')).toHaveText(translated.titles.en);
  // Rank, views in Chinese, in English, both, collects (the undone collect is gone).
  await expect(rows.nth(0).getByRole('cell')).toHaveText(['1', '2', '3', '5', '1']);
  await expect(rows.nth(0).getByRole('link', { name: translated.titles.en })).toHaveAttribute('href', `/en/essays/${translated.slug}/`);
  // An essay without an English version links to the version it has.
  await expect(rows.nth(1).getByRole('link', { name: chineseOnly.titles.zh })).toHaveAttribute('href', `/zh/essays/${chineseOnly.slug}/`);
  await expect(rows.nth(1).getByRole('cell')).toHaveText(['2', '1', '0', '1', '0']);
  await expect(page.getByRole('table', { name: 'All-time totals' }).locator('tbody tr').first().getByRole('cell')).toHaveText([
    '2',
    '3',
    '5',
    '1',
  ]);

  const views = page.locator('chart-figure').filter({ has: page.getByText('Views per day', { exact: true }) });
  await views.getByRole('img', { name: /^Views per day/ }).scrollIntoViewIfNeeded();
  await expect(views).toHaveAttribute('data-state', 'drawn');
  const painted = await views.locator('canvas').evaluate((element) => {
    const canvas = element as HTMLCanvasElement;
    const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    return pixels.filter((value, index) => index % 4 === 3 && value > 0).length;
  });
  expect(painted).toBeGreaterThan(1000);
  await expect(views.getByRole('link', { name: /CSV|JSON/ })).toHaveCount(0);
  await views.getByRole('button', { name: 'Show data' }).click();
  const todayRow = views.getByRole('row', { name: new RegExp(`^${longDate(today(), 'en-US')}`) });
  // All essays: today's Chinese views are both essays' (2 + 1).
  await expect(todayRow.getByRole('cell')).toHaveText(['3', '3']);
  await expect(views.getByRole('columnheader')).toHaveText(['Date', '中文', 'English']);

  const collects = page.locator('chart-figure').filter({ has: page.getByText('Collects per day', { exact: true }) });
  await collects.getByRole('img', { name: /^Collects per day/ }).scrollIntoViewIfNeeded();
  await expect(collects).toHaveAttribute('data-state', 'drawn');
  await collects.getByRole('button', { name: 'Show data' }).click();
  await expect(collects.getByRole('row', { name: new RegExp(`^${longDate(today(), 'en-US')}`) }).getByRole('cell')).toHaveText(['0', '1']);

  expect(errors).toEqual([]);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});

test('period and essay choices, in Chinese; a value the dashboard cannot show is named, not an error', async ({ page, request }) => {
  await recordView(request, translated.slug, 'zh');
  await recordView(request, chineseOnly.slug, 'zh');
  await recordView(request, chineseOnly.slug, 'zh');
  await signInAsModerator(page, 'zh');

  await page.goto('/zh/moderate/dashboard/');
  await page.getByRole('combobox', { name: /^时间段/ }).selectOption({ label: '最近 7 天' });
  await page.getByRole('combobox', { name: /^文章/ }).selectOption({ label: translated.titles.zh });
  await page.getByRole('button', { name: '更新' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?days=7&essay=${translated.slug}$`));
  await expect(page.getByText(`${translated.titles.zh}，`)).toBeVisible();
  const views = page.locator('chart-figure').filter({ has: page.getByText('每日阅读量', { exact: true }) });
  await views.getByRole('button', { name: '查看数据' }).click();
  await expect(views.locator('tbody tr')).toHaveCount(7);
  await expect(views.getByRole('row', { name: new RegExp(`^${longDate(today(), 'zh-Hans-CN')}`) }).getByRole('cell')).toHaveText([
    '1',
    '0',
  ]);
  // The week's ranking stays site-wide: the Chinese-only essay leads it.
  await expect(page.getByRole('table', { name: '本周热门文章' }).locator('tbody tr').first().getByRole('rowheader')).toHaveText(
    chineseOnly.titles.zh,
  );

  const response = await page.goto('/zh/moderate/dashboard/?days=365&essay=no-such-essay');
  expect(response?.status()).toBe(200);
  // The charts draw under the console's policy: scripts from the site only, never framed, never cached.
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['cache-control']).toBe('no-store');
  await expect(page.getByRole('alert').filter({ hasText: '只能查看最近 7、30 或 90 天，下面显示最近 30 天。' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: '没有已发布的文章“no-such-essay”，下面显示全部文章。' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: /^时间段/ })).toHaveValue('30');
  await expect(page.getByText('全部文章，')).toBeVisible();

  // On a phone the tables scroll inside their own frame; the page does not (once Chart.js has fitted the canvases to the new width).
  await page.setViewportSize({ width: 360, height: 740 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
