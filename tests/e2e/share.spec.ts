import { expect, test, type Page } from '@playwright/test';
import { cardGeometry, layoutShareCard } from '../../src/lib/share/card-layout.ts';
import { loadCardFonts, rasterizeCard, renderShareCardSvg } from '../../src/lib/share/render-share-card.ts';
import { findTranslatedEssay, listDemoEssays } from './fixtures.ts';

const languages = ['zh', 'en'] as const;
const han = /\p{Script=Han}/u;

/** Every card the build must have: each published essay in each language, with the title that card shows. */
const cards = listDemoEssays().flatMap((essay) =>
  languages.map((lang) => {
    const shownLang = essay.titles[lang] ? lang : lang === 'zh' ? 'en' : 'zh';
    return { slug: essay.slug, lang, title: essay.titles[shownLang] ?? '', titleLang: shownLang };
  }),
);

/** The share card path a page names in og:image (the URL is absolute, on SITE_URL). */
async function readCardPath(page: Page): Promise<string> {
  const image = (await page.locator('meta[property="og:image"]').getAttribute('content')) ?? '';
  expect(image).toMatch(/^https?:\/\//);
  await expect(page.locator('meta[name="twitter:image"]')).toHaveAttribute('content', image);
  await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary_large_image');
  return new URL(image).pathname;
}

for (const card of cards) {
  test(`${card.lang}/${card.slug} has a 1200×630 share card named in og:image`, async ({ page, request }) => {
    await page.goto(`/${card.lang}/essays/${card.slug}/`);
    const path = await readCardPath(page);
    expect(path).toBe(`/og/${card.lang}/${card.slug}.png`);
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('image/png');
    const png = await response.body();
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(630);
  });
}

test('other pages name the site’s card in their language', async ({ page, request }) => {
  for (const lang of languages) {
    await page.goto(`/${lang}/archive/`);
    const path = await readCardPath(page);
    expect(path).toBe(`/og/${lang}.png`);
    expect((await request.get(path)).headers()['content-type']).toBe('image/png');
  }
});

test('the cards show their titles in real glyphs: not blank, not tofu', async ({ page }) => {
  test.setTimeout(120_000);
  const cardFonts = await loadCardFonts();
  const latinOnly = cardFonts.filter((font) => font.name === 'Noto Sans');
  /** The title drawn alone by the same pipeline, with the card's fonts or with a font that has no Chinese. */
  const renderTitle = async (title: string, language: 'zh' | 'en', fonts: typeof cardFonts) => {
    const svg = await renderShareCardSvg({ title, summary: '', byline: '', siteName: '', language }, fonts);
    return `data:image/png;base64,${rasterizeCard(svg).render().asPng().toString('base64')}`;
  };
  await page.goto('/zh/');
  for (const card of cards) {
    const layout = layoutShareCard({ title: card.title, language: card.titleLang });
    const top = cardGeometry.paddingTop + cardGeometry.headerHeight + cardGeometry.headerGap;
    const band = { top, height: Math.round(layout.titleLines.length * layout.titleFontSize * cardGeometry.titleLineHeight) };
    const [reference, tofu] = await Promise.all([
      renderTitle(card.title, card.titleLang, cardFonts),
      renderTitle(card.title, card.titleLang, latinOnly),
    ]);
    const measured = await page.evaluate(
      async ({ sources, band }) => {
        const readBand = async (source: string) => {
          const image = new Image();
          image.src = source;
          await image.decode();
          const canvas = new OffscreenCanvas(image.width, image.height);
          const context = canvas.getContext('2d');
          if (!context) throw new Error('no 2d context');
          context.drawImage(image, 0, 0);
          const { data } = context.getImageData(0, band.top, image.width, band.height);
          const grey = new Uint8Array(data.length / 4);
          for (let index = 0; index < grey.length; index += 1)
            grey[index] = 0.299 * (data[index * 4] ?? 0) + 0.587 * (data[index * 4 + 1] ?? 0) + 0.114 * (data[index * 4 + 2] ?? 0);
          return grey;
        };
        const [built, reference, tofu] = await Promise.all(sources.map(readBand));
        if (!built || !reference || !tofu) throw new Error('an image did not load');
        const differing = (a: Uint8Array, b: Uint8Array) =>
          a.filter((value, index) => Math.abs(value - (b[index] ?? 0)) > 64).length / a.length;
        return {
          ink: built.filter((value) => value < 128).length / built.length,
          fromReference: differing(built, reference),
          fromTofu: differing(built, tofu),
        };
      },
      { sources: [`/og/${card.lang}/${card.slug}.png`, reference, tofu], band },
    );
    const name = `${card.lang}/${card.slug}`;
    expect(measured.ink, `${name}: the title band has ink`).toBeGreaterThan(0.02);
    expect(measured.fromReference, `${name}: the title is the one the card pipeline draws`).toBeLessThan(0.005);
    if (han.test(card.title)) expect(measured.fromTofu, `${name}: the Chinese title is not tofu`).toBeGreaterThan(0.02);
  }
});

test.describe('share links under an essay', () => {
  const essay = findTranslatedEssay();

  test('Weibo and X get the essay’s address and title; no script from either', async ({ page }) => {
    for (const [lang, heading, weibo, x] of [
      ['zh', '分享', '分享到微博', '分享到 X'],
      ['en', 'Share', 'Share on Weibo', 'Share on X'],
    ] as const) {
      await page.goto(`/${lang}/essays/${essay.slug}/`);
      const canonical = (await page.locator('link[rel="canonical"]').getAttribute('href')) ?? '';
      const share = page.getByRole('region', { name: heading });
      const weiboUrl = new URL((await share.getByRole('link', { name: weibo }).getAttribute('href')) ?? '');
      expect(weiboUrl.origin + weiboUrl.pathname).toBe('https://service.weibo.com/share/share.php');
      expect(weiboUrl.searchParams.get('url')).toBe(canonical);
      expect(weiboUrl.searchParams.get('title')).toBe(essay.titles[lang]);
      const xUrl = new URL((await share.getByRole('link', { name: x }).getAttribute('href')) ?? '');
      expect(xUrl.origin + xUrl.pathname).toBe('https://x.com/intent/post');
      expect(xUrl.searchParams.get('url')).toBe(canonical);
      expect(xUrl.searchParams.get('text')).toBe(essay.titles[lang]);
      const foreignScripts = await page
        .locator('script[src]')
        .evaluateAll((scripts) =>
          scripts.map((script) => (script as HTMLScriptElement).src).filter((src) => new URL(src).origin !== location.origin),
        );
      expect(foreignScripts).toEqual([]);
    }
  });

  test('“复制链接” copies the address and says so', async ({ browser }) => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.goto(`/zh/essays/${essay.slug}/`);
    const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
    await expect(page.getByRole('textbox', { name: '本文链接' })).toBeHidden();
    await page.getByRole('button', { name: '复制链接' }).click();
    await expect(page.getByRole('region', { name: '分享' }).getByRole('status')).toHaveText('链接已复制。');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(canonical);
    await context.close();
  });

  test('without JavaScript the address is shown to copy by hand, and the button is not', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/en/essays/${essay.slug}/`);
    const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
    await expect(page.getByRole('button', { name: 'Copy link' })).toBeHidden();
    await expect(page.getByRole('textbox', { name: 'Link to this essay' })).toHaveValue(canonical ?? '');
    await context.close();
  });

  test('the WeChat QR code waits behind “微信扫一扫”', async ({ page }) => {
    await page.goto(`/zh/essays/${essay.slug}/`);
    const code = page.getByRole('img', { name: '本文链接的二维码' });
    await expect(code).toBeHidden();
    await page.getByText('微信扫一扫').click();
    await expect(code).toBeVisible();
    const box = await code.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(150);
  });
});
