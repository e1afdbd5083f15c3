import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page, type Response } from '@playwright/test';
import { findChineseOnlyEssay, findTranslatedEssay, getTestAddress } from './fixtures.ts';

const essay = findTranslatedEssay();

// Headless Chromium names itself HeadlessChrome, which is rightly not counted as a reader; these tests play one.
test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' });
const viewsApi = '/api/signals/views/';
const collectsApi = '/api/signals/collects/';

interface SignalAnswer {
  views: number;
  collects: number;
  counted?: boolean;
  collected?: boolean;
}

const isViewAnswer = (response: Response) => new URL(response.url()).pathname === viewsApi && response.request().method() === 'POST';
const isCollectAnswer = (response: Response) => new URL(response.url()).pathname === collectsApi;

/** Opens the essay and returns what the server answered to the page's view report. */
async function openEssay(page: Page, lang: 'zh' | 'en', slug = essay.slug): Promise<SignalAnswer> {
  const [answer] = await Promise.all([page.waitForResponse(isViewAnswer), page.goto(`/${lang}/essays/${slug}/`)]);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as SignalAnswer;
}

const compact = (value: number, lang: 'zh' | 'en') =>
  new Intl.NumberFormat(lang === 'zh' ? 'zh-Hans-CN' : 'en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);

test.describe('view counts', () => {
  test.beforeEach(async ({ page }) => {
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': getTestAddress() });
  });

  test('a reader is counted once a day across both languages, and the byline shows the count', async ({ page }) => {
    const first = await openEssay(page, 'zh');
    expect(first.counted).toBe(true);
    const byline = page.locator('.byline');
    await expect(byline).toContainText(`${compact(first.views, 'zh')} 次阅读`);

    const again = await openEssay(page, 'zh');
    expect(again.counted).toBe(false);

    const [inEnglish] = await Promise.all([
      page.waitForResponse(isViewAnswer),
      page.getByRole('link', { name: 'English' }).first().click(),
    ]);
    await expect(page).toHaveURL(new RegExp(`/en/essays/${essay.slug}/$`));
    const answer = (await inEnglish.json()) as SignalAnswer;
    expect(answer.counted).toBe(false);
    await expect(byline).toContainText(answer.views === 1 ? '1 view' : `${compact(answer.views, 'en')} views`);
  });

  test('counting sets no cookie and stores nothing in the browser', async ({ page, context }) => {
    const first = await openEssay(page, 'en');
    expect(first.counted).toBe(true);
    await expect(page.locator('.byline')).toContainText('view');
    expect(await context.cookies()).toEqual([]);
    const storedKeys = await page.evaluate(() => Object.keys(localStorage));
    // Only the reader's own language and theme choices may be there, never anything from counting.
    expect(storedKeys.filter((key) => !['duizhao.lang', 'duizhao.theme'].includes(key))).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  test('crawlers and headless browsers are not counted', async ({ request }) => {
    const headers = {
      'x-forwarded-for': getTestAddress(),
      'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    };
    const answer = await request.post(viewsApi, { data: { essay: essay.slug, lang: 'zh' }, headers });
    expect(answer.status()).toBe(200);
    expect(((await answer.json()) as SignalAnswer).counted).toBe(false);
    expect(answer.headers()['set-cookie']).toBeUndefined();
    const headless = await request.post(viewsApi, {
      data: { essay: essay.slug, lang: 'zh' },
      headers: {
        'x-forwarded-for': getTestAddress(),
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      },
    });
    expect(((await headless.json()) as SignalAnswer).counted).toBe(false);
  });

  test('a bad view report gets a clear error in the reader language', async ({ request }) => {
    const answer = await request.post(viewsApi, { data: { essay: 'no-such-essay', lang: 'zh' }, headers: { 'accept-language': 'en' } });
    expect(answer.status()).toBe(404);
    expect(await answer.json()).toEqual({ error: { code: 'essay_not_found', message: '没有这篇文章。' } });
    const malformed = await request.post(viewsApi, { data: { essay: 42 }, headers: { 'accept-language': 'en' } });
    expect(malformed.status()).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'invalid_input', message: 'The request is not valid.' } });
  });
});

test.describe('another site’s page', () => {
  test('counts no view through the API or the pixel, and the same reader still counts on our page', async ({ request }) => {
    const address = getTestAddress();
    const viewFrom = (headers: Record<string, string>) =>
      request.post(viewsApi, { data: { essay: essay.slug, lang: 'zh' }, headers: { 'x-forwarded-for': address, ...headers } });
    const fromElsewhere: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { referer: 'https://elsewhere.example/post' },
      { origin: 'https://elsewhere.example' },
    ];
    for (const headers of fromElsewhere) {
      const answer = await viewFrom(headers);
      expect(answer.status(), JSON.stringify(headers)).toBe(200);
      expect(((await answer.json()) as SignalAnswer).counted, JSON.stringify(headers)).toBe(false);
    }
    const pixel = await request.get(`/api/signals/view.gif?essay=${essay.slug}&lang=zh`, {
      headers: { 'x-forwarded-for': address, 'sec-fetch-site': 'cross-site', referer: 'https://elsewhere.example/' },
    });
    expect(pixel.status()).toBe(200);
    expect(pixel.headers()['content-type']).toBe('image/gif');
    expect((await pixel.body()).subarray(0, 6).toString('latin1')).toBe('GIF89a');
    // None of those was stored: the reader's first view from our own page is new.
    const ours = await viewFrom({ 'sec-fetch-site': 'same-origin' });
    expect(((await ours.json()) as SignalAnswer).counted).toBe(true);
  });

  test('that shows our pixel gets the image, and the reader is not counted', async ({ page, baseURL }) => {
    const address = getTestAddress();
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': address });
    const pixelUrl = `${baseURL}/api/signals/view.gif?essay=${essay.slug}&lang=en`;
    // Another site on this machine (Chromium keeps public pages from loading loopback addresses): localhost is another site than 127.0.0.1.
    const elsewhere = createServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><title>Elsewhere</title><img alt="pixel" src="${pixelUrl}">`);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = elsewhere.address() as AddressInfo;
      const [pixel] = await Promise.all([
        page.waitForResponse((response) => response.url() === pixelUrl),
        page.goto(`http://localhost:${port}/`),
      ]);
      expect(pixel.status()).toBe(200);
      expect(await pixel.request().headerValue('sec-fetch-site')).toBe('cross-site');
      // The image loaded (a broken image has no natural width).
      await expect
        .poll(() => page.getByRole('img', { name: 'pixel' }).evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
        .toBe(1);
    } finally {
      await new Promise((resolve) => elsewhere.close(resolve));
    }
    const first = await openEssay(page, 'en');
    expect(first.counted).toBe(true);
  });

  test('may not collect: a 403 in the page’s language', async ({ request }) => {
    const data = { essay: essay.slug, reader: 'c'.repeat(22), collected: true };
    for (const [lang, message] of [
      ['zh', '只能在本站自己的页面上收藏。'],
      ['en', 'Collecting works only on this site’s own pages.'],
    ] as const) {
      const refused = await request.post(collectsApi, {
        data: { ...data, lang },
        headers: { 'x-forwarded-for': getTestAddress(), 'sec-fetch-site': 'cross-site', origin: 'https://elsewhere.example' },
      });
      expect(refused.status()).toBe(403);
      expect(refused.headers()['content-type']).toMatch(/^application\/json/);
      expect(await refused.json()).toEqual({ error: { code: 'cross_site', message } });
    }
    const byReferer = await request.post(collectsApi, {
      data: { ...data, lang: 'en' },
      headers: { 'x-forwarded-for': getTestAddress(), referer: 'https://elsewhere.example/' },
    });
    expect(byReferer.status()).toBe(403);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the page still reports its view, through an image', async ({ page, request }) => {
    const address = getTestAddress();
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': address });
    const [pixel] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/api/signals/view.gif'),
      page.goto(`/zh/essays/${essay.slug}/`),
    ]);
    expect(pixel.status()).toBe(200);
    expect(pixel.headers()['content-type']).toBe('image/gif');
    expect(pixel.headers()['set-cookie']).toBeUndefined();
    // The same reader reporting again the same day is not counted twice.
    const browserAgent = (await pixel.request().allHeaders())['user-agent'] ?? '';
    const repeat = await request.post(viewsApi, {
      data: { essay: essay.slug, lang: 'en' },
      headers: { 'x-forwarded-for': address, 'user-agent': browserAgent },
    });
    expect(((await repeat.json()) as SignalAnswer).counted).toBe(false);
  });
});

test.describe('collect', () => {
  test.beforeEach(async ({ page }) => {
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': getTestAddress() });
  });

  test('a reader collects an essay, sees it kept after reloading, and un-collects it', async ({ page }) => {
    const before = await openEssay(page, 'zh');
    const button = page.getByRole('button', { name: /收藏/ });
    await expect(button).toHaveAttribute('aria-pressed', 'false');

    const [collected] = await Promise.all([page.waitForResponse(isCollectAnswer), button.click()]);
    expect(((await collected.json()) as SignalAnswer).collects).toBe(before.collects + 1);
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('status').filter({ hasText: '已收藏' })).toBeVisible();
    await expect(page.locator('.byline')).toContainText(`${compact(before.collects + 1, 'zh')} 人收藏`);

    await openEssay(page, 'zh');
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    // Kept on this device in either language.
    await openEssay(page, 'en');
    const englishButton = page.getByRole('button', { name: /Collect/ });
    await expect(englishButton).toHaveAttribute('aria-pressed', 'true');

    const [released] = await Promise.all([page.waitForResponse(isCollectAnswer), englishButton.click()]);
    expect(((await released.json()) as SignalAnswer).collects).toBe(before.collects);
    await expect(englishButton).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByRole('status').filter({ hasText: 'Removed from your collection.' })).toBeVisible();
  });

  test('too many collects from one network are refused with a message, and the button keeps its state', async ({ page }) => {
    // Another essay than the test above, whose counts this one would change.
    await openEssay(page, 'zh', findChineseOnlyEssay().slug);
    const button = page.getByRole('button', { name: /收藏/ });
    // The test servers allow 6 collect actions per network per 10 minutes.
    for (let click = 0; click < 6; click += 1) {
      const [answer] = await Promise.all([page.waitForResponse(isCollectAnswer), button.click()]);
      expect(answer.status()).toBe(200);
      // The button ignores a click while an answer is on its way; it shows each answer once it takes clicks again.
      await expect(button).toHaveAttribute('aria-pressed', String(click % 2 === 0));
    }
    await expect(button).toHaveAttribute('aria-pressed', 'false');
    const [refused] = await Promise.all([page.waitForResponse(isCollectAnswer), button.click()]);
    expect(refused.status()).toBe(429);
    await expect(page.getByRole('status').filter({ hasText: '你所在的网络收藏操作过多' })).toBeVisible();
    await expect(button).toHaveAttribute('aria-pressed', 'false');
  });
});
