import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { findTranslatedEssay, listDemoEssays } from './fixtures.ts';

test('an essay page shows its byline, contents, callouts and footnotes in the page language', async ({ page }) => {
  const essay = findTranslatedEssay();
  await page.goto(`/zh/essays/${essay.slug}/`);
  const byline = page.locator('.byline');
  await expect(byline).toContainText(/发布于 \d{4}年\d{1,2}月\d{1,2}日/);
  await expect(byline).toContainText(/约 \d+ 分钟读完/);
  await expect(page.getByRole('navigation', { name: '目录' })).toBeVisible();
  await expect(page.getByRole('complementary').first()).toBeVisible();

  await page.goto(`/en/essays/${essay.slug}/`);
  await expect(page.locator('.byline')).toContainText(
    /Published (January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}/,
  );
  await expect(page.locator('.byline')).toContainText(/\d+ min read/);
  await expect(page.getByRole('navigation', { name: 'Contents' })).toBeVisible();
});

test('footnotes link to their note and back, labelled in the page language', async ({ page }) => {
  const essay = findTranslatedEssay();
  await page.goto(`/zh/essays/${essay.slug}/`);
  // The first visible one: the other language's text, folded under each heading, has its own.
  const reference = page.locator('[data-footnote-ref]:visible').first();
  test.skip((await reference.count()) === 0, 'this essay has no footnotes');
  await reference.click();
  await expect(page.locator('#footnote-label')).toHaveText('注释');
  await expect(page.getByRole('link', { name: '回到正文' }).first()).toBeVisible();
});

test('each page announces its translations, canonical URL and social metadata', async ({ page }) => {
  const essay = findTranslatedEssay();
  await page.goto(`/en/essays/${essay.slug}/`);
  const head = page.locator('head');
  await expect(head.locator('link[rel="canonical"]')).toHaveAttribute('href', new RegExp(`/en/essays/${essay.slug}/$`));
  await expect(head.locator('link[hreflang="zh-Hans"]')).toHaveAttribute('href', new RegExp(`/zh/essays/${essay.slug}/$`));
  await expect(head.locator('link[hreflang="en"]')).toHaveAttribute('href', new RegExp(`/en/essays/${essay.slug}/$`));
  await expect(head.locator('link[hreflang="x-default"]')).toHaveCount(1);
  await expect(head.locator('meta[property="og:title"]')).toHaveAttribute(
    'content',
    new RegExp(essay.titles.en.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  );
  await expect(head.locator('meta[property="og:type"]')).toHaveAttribute('content', 'article');
  await expect(head.locator('meta[name="twitter:card"]')).toHaveCount(1);
});

test('the sitemap pairs translations and leaves out untranslated notices', async ({ request }) => {
  const index = await request.get('/sitemap-index.xml');
  expect(index.ok()).toBe(true);
  const sitemap = await (await request.get('/sitemap-0.xml')).text();
  const essay = findTranslatedEssay();
  expect(sitemap).toContain(`/en/essays/${essay.slug}/</loc>`);
  expect(sitemap).toMatch(new RegExp(`hreflang="zh-Hans" href="[^"]*/zh/essays/${essay.slug}/"`));
});

test('each language has its own RSS feed', async ({ request }) => {
  const essay = findTranslatedEssay();
  for (const [lang, title] of [
    ['zh', essay.titles.zh],
    ['en', essay.titles.en],
  ] as const) {
    const feed = await request.get(`/${lang}/rss.xml`);
    expect(feed.ok()).toBe(true);
    const xml = await feed.text();
    expect(xml).toContain(`<language>${lang === 'zh' ? 'zh-Hans' : 'en'}</language>`);
    expect(xml).toContain(title.replace(/&/g, '&amp;'));
    // Categories are the tags' names in the feed's language, never their ids.
    const tagNames = JSON.parse(readFileSync(join(import.meta.dirname, '../../content/tags.json'), 'utf8')) as Array<{
      id: string;
      zh: string;
      en: string;
    }>;
    const tag = tagNames.find((entry) => entry.id === essay.tags[0]);
    expect(tag).toBeDefined();
    expect(xml).toContain(`<category>${tag?.[lang]}</category>`);
    if (tag && tag.id !== tag[lang]) expect(xml).not.toContain(`<category>${tag.id}</category>`);
  }
});

test('an essay page runs only small scripts: the inline preference script and the bundled islands it names (chart bootstrap, comments, copy link, reader signals)', async ({
  page,
}) => {
  const essay = findTranslatedEssay();
  const scriptSizes = new Map<string, number>();
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') scriptSizes.set(response.url(), (await response.body()).byteLength);
  });
  await page.goto(`/en/essays/${essay.slug}/`);
  // External scripts are only the bundled islands the page names itself; Chart.js waits until a chart is in view.
  const moduleScripts = await page
    .locator('script[type="module"][src]')
    .evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).src));
  expect(moduleScripts.length).toBeLessThanOrEqual(4);
  await expect.poll(() => moduleScripts.filter((url) => !scriptSizes.has(url))).toEqual([]);
  for (const url of moduleScripts) expect(new URL(url).pathname).toMatch(/^\/_astro\/[\w.-]+\.js$/);
  // Besides them, only the small modules the islands share and import: their translator, the locale
  // table, the copy button (share links and the chart's embed code), the comment preview (shared with
  // the comments page), Vite's helper for code loaded on demand.
  // Named, not counted: other suites may have added comments, and then the comment renderer (the Markdown
  // parser, ~40 KB gzip) and the date formatter it imports load too, as Chart.js loads only for a chart in view.
  const chunkName = (url: string) => /^\/_astro\/([\w-]+)\.[\w-]+\.js$/.exec(new URL(url).pathname)?.[1];
  const imported = [...scriptSizes.keys()].filter((url) => !moduleScripts.includes(url));
  const shared = ['island-translator', 'locales', 'copy-link', 'comment-preview', 'preload-helper'];
  const onceCommentsAreListed = ['comment-view', 'format'];
  for (const url of imported) expect([...shared, ...onceCommentsAreListed]).toContain(chunkName(url));
  for (const [url, size] of scriptSizes) if (chunkName(url) !== 'comment-view') expect(size, url).toBeLessThan(16_384);
  // Inline: only the preference script in <head>, hashed in the CSP (islands are never inlined).
  const inlineSizes = await page
    .locator('script:not([src]):not([type="application/json"])')
    .evaluateAll((scripts) => scripts.map((script) => new Blob([script.textContent ?? '']).size));
  expect(inlineSizes.length).toBe(1);
  for (const size of inlineSizes) expect(size).toBeLessThan(1024);
});

test('the theme toggle switches to dark and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/en/');
  const toggle = page.getByRole('button', { name: 'Toggle dark mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const lightBackground = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).not.toBe(lightBackground);
  await page.goto('/zh/about/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: '切换深色模式' })).toHaveAttribute('aria-pressed', 'true');
});

test('the page follows the system’s scheme without JavaScript, and the reader’s choice over it', async ({ browser, page }) => {
  const paperOf = (target: typeof page) => target.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const withoutScript = await browser.newContext({ javaScriptEnabled: false, colorScheme: 'dark' });
  const darkPage = await withoutScript.newPage();
  await darkPage.goto(new URL('/zh/', test.info().project.use.baseURL).href);
  expect(await paperOf(darkPage)).toBe('rgb(20, 20, 21)');
  await withoutScript.close();

  // A reader who chose light on a dark system gets light, text and charts alike.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/en/');
  expect(await paperOf(page)).toBe('rgb(20, 20, 21)');
  await page.getByRole('button', { name: 'Toggle dark mode' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => paperOf(page)).toBe('rgb(251, 250, 247)');
});

test('Chinese emphasis uses dots, not italics', async ({ page }) => {
  await page.goto('/zh/');
  const style = await page.evaluate(() => {
    const em = document.createElement('em');
    em.textContent = '重点';
    document.querySelector('main')?.append(em);
    const computed = getComputedStyle(em);
    return { fontStyle: computed.fontStyle, emphasis: computed.getPropertyValue('text-emphasis-style') };
  });
  expect(style.fontStyle).toBe('normal');
  expect(style.emphasis).toContain('dot');
});

test('drafts are not part of the production site', async ({ page, request }) => {
  const draft = 'notes-in-progress';
  expect((await request.get(`/en/essays/${draft}/`)).status()).toBe(404);
  expect((await request.get(`/zh/essays/${draft}/`)).status()).toBe(404);
  await page.goto('/zh/archive/');
  await expect(page.getByRole('link', { name: /写作中/ })).toHaveCount(0);
  for (const path of ['/zh/rss.xml', '/en/rss.xml', '/sitemap-0.xml']) {
    expect(await (await request.get(path)).text()).not.toContain(draft);
  }
});

for (const lang of ['zh', 'en'] as const) {
  test(`the About page (${lang}) is set like an essay, and names the form's private checkbox`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/${lang}/essays/${findTranslatedEssay().slug}/comments/`);
    const privateLabel = await page
      .locator('#comment-private')
      .evaluate((box) => (box as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? '');
    const firstWords = privateLabel.split(/[—，,]/)[0]?.trim() ?? '';
    expect(firstWords.length).toBeGreaterThan(1);

    await page.goto(`/${lang}/about/`);
    const titleBox = await page.getByRole('heading', { level: 1 }).boundingBox();
    const paragraphBox = await page.locator('.prose p').first().boundingBox();
    expect(Math.round(titleBox?.x ?? -1)).toBe(Math.round(paragraphBox?.x ?? -2));
    await expect(page.locator('.prose')).toContainText(firstWords);
  });
}

test('Chinese pages put no ASCII space after full-width punctuation in the footer', async ({ page }) => {
  await page.goto('/zh/');
  const footer = (await page.locator('.site-footer').textContent()) ?? '';
  expect(footer).toContain('。');
  expect(footer).not.toMatch(/[。，；：？！] /);
});

test('an English heading that quotes a quoted title does not double its quotation marks', async ({ page }) => {
  for (const essay of listDemoEssays().filter((entry) => entry.titles.en)) {
    await page.goto(`/en/essays/${essay.slug}/comments/`);
    const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    expect(heading).toContain('Comments on “');
    expect(heading, essay.slug).not.toMatch(/““|””/);
  }
});

for (const lang of ['zh', 'en'] as const) {
  test(`the byline, end matter and comment form (${lang}) line up with the text column`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/${lang}/essays/${findTranslatedEssay().slug}/`);
    const edges = async (selector: string) => {
      const box = await page.locator(selector).first().boundingBox();
      return box ? [Math.round(box.x), Math.round(box.x + box.width)] : undefined;
    };
    const column = await edges('.prose > p');
    for (const selector of ['.byline', '.essay-footer', '.comments form']) expect(await edges(selector), selector).toEqual(column);
  });
}

test('Chinese words in English prose are set in the Chinese serif; Latin letters and quotes are not', async ({ page }) => {
  test.skip(
    !existsSync('/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc'),
    'needs Debian’s fonts-noto-cjk (npm test installs it as root)',
  );
  await page.goto('/en/about/');
  const paragraph = page
    .locator('.prose p')
    .filter({ hasText: /\p{Script=Han}/u })
    .first();
  const text = (await paragraph.textContent()) ?? '';
  const hanCount = [...text].filter((character) => /\p{Script=Han}/u.test(character)).length;
  expect(hanCount).toBeGreaterThan(0);
  // The fonts Chromium really drew the paragraph's text node with.
  const session = await page.context().newCDPSession(page);
  await session.send('DOM.enable');
  await session.send('CSS.enable');
  const { root } = await session.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await session.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.prose p:nth-of-type(1)' });
  const { fonts } = await session.send('CSS.getPlatformFontsForNode', { nodeId });
  const cjkFonts = fonts.filter((font) => /CJK|Songti|Han/i.test(font.familyName));
  expect(cjkFonts.map((font) => font.familyName)).toEqual(['Noto Serif CJK SC']);
  expect(cjkFonts[0]?.glyphCount).toBe(hanCount);
});

/** Every layout shift the page makes while it loads and its islands fill in (counts, comments), as Chromium reports them. */
async function measureLayoutShifts(page: Page, path: string): Promise<Array<{ value: number; nodes: string[] }>> {
  await page.addInitScript(() => {
    const shifts: Array<{ value: number; nodes: string[] }> = [];
    (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Array<{
        value: number;
        hadRecentInput: boolean;
        sources: Array<{ node?: Node }>;
      }>) {
        if (!entry.hadRecentInput)
          shifts.push({ value: entry.value, nodes: entry.sources.map((source) => (source.node as Element | undefined)?.className ?? '?') });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(path, { waitUntil: 'networkidle' });
  // The counts arrive after the page: wait until the byline shows them.
  if (path.includes('/essays/') && !path.includes('/comments/')) await expect(page.locator('[data-views]')).toBeVisible();
  await page.waitForTimeout(500);
  return page.evaluate(() => (window as unknown as { __shifts: Array<{ value: number; nodes: string[] }> }).__shifts);
}

for (const lang of ['zh', 'en'] as const) {
  test(`nothing moves while a page loads on a phone (${lang})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const essay = findTranslatedEssay();
    for (const width of [360, 390, 412, 430]) {
      for (const path of [`/${lang}/essays/${essay.slug}/`, `/${lang}/`, `/${lang}/essays/${essay.slug}/comments/`, `/${lang}/about/`]) {
        if (width !== 412 && !path.endsWith(`/essays/${essay.slug}/`)) continue;
        const page = await browser.newPage({ viewport: { width, height: 823 } });
        expect(await measureLayoutShifts(page, path), `${path} at ${width} px`).toEqual([]);
        await page.close();
      }
    }
  });
}
