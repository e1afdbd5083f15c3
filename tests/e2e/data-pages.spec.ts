import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { DatasetInput } from '../../src/lib/charts/dataset-schema.ts';
import { loadDatasets } from '../../src/lib/datasets/dataset-files.ts';
import { expectFramingRefused, findChart, listDemoEssays } from './fixtures.ts';

const root = join(import.meta.dirname, '..', '..');
const datasets = loadDatasets(root).flatMap((loaded) => (loaded.isValid ? [loaded.input] : []));
const languages = ['zh', 'en'] as const;
const labels = {
  zh: {
    nav: '数据',
    about: '关于这组数据',
    embed: '嵌入',
    history: '修订记录',
    citations: '引用这组数据的文章',
    open: '在对照查看这组数据',
  },
  en: {
    nav: 'Data',
    about: 'About this data',
    embed: 'Embed',
    history: 'History of changes',
    citations: 'Essays that cite this data',
    open: 'See this data on duizhao',
  },
};

/** The essays whose MDX (either language) draws `datasetId`, with the titles of their versions. */
function findCitingEssays(datasetId: string) {
  return listDemoEssays().filter((essay) =>
    languages.some((lang) => {
      const file = join(root, 'content/essays', essay.slug, `${lang}.mdx`);
      return essay.titles[lang] && existsSync(file) && readFileSync(file, 'utf8').includes(`dataset="${datasetId}"`);
    }),
  );
}

const xHeaders = (dataset: DatasetInput, lang: 'zh' | 'en') =>
  dataset.x.type === 'category'
    ? dataset.x.values.map((category) => category[lang])
    : dataset.x.values.map((iso) =>
        new Intl.DateTimeFormat(lang === 'zh' ? 'zh-Hans-CN' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso)),
      );

async function expectDataPage(page: Page, dataset: DatasetInput, lang: 'zh' | 'en') {
  await expect(page.getByRole('heading', { level: 1, name: dataset.title[lang] })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table).toBeVisible();
  for (const header of xHeaders(dataset, lang)) await expect(table.getByRole('rowheader', { name: header, exact: true })).toBeVisible();
  await expect(page.getByText(dataset.source.name[lang]).first()).toBeVisible();
  if (dataset.licence) await expect(page.getByText(dataset.licence[lang]).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: labels[lang].history })).toBeVisible();
  const citations = page.getByRole('region', { name: labels[lang].citations });
  for (const essay of findCitingEssays(dataset.id)) {
    for (const version of languages) {
      const title = essay.titles[version];
      if (title) await expect(citations.getByRole('link', { name: title })).toHaveAttribute('href', `/${version}/essays/${essay.slug}/`);
    }
  }
}

test.describe('the data pages', () => {
  for (const lang of languages) {
    test(`${lang}: the navigation leads to a list of every dataset, and each to its page`, async ({ page }) => {
      await page.goto(`/${lang}/`);
      await page.getByRole('navigation').getByRole('link', { name: labels[lang].nav, exact: true }).click();
      await expect(page).toHaveURL(`/${lang}/data/`);
      for (const dataset of datasets) await expect(page.getByRole('link', { name: dataset.title[lang], exact: true })).toBeVisible();
      const [first] = datasets;
      if (!first) throw new Error('the demo content needs a dataset');
      await page.getByRole('link', { name: first.title[lang], exact: true }).click();
      await expect(page).toHaveURL(`/${lang}/data/${first.id}/`);
      await expectDataPage(page, first, lang);
    });

    test(`${lang}: every data page shows its chart, its whole table, source, citing essays and history; the downloads work`, async ({
      page,
      request,
    }) => {
      for (const dataset of datasets) {
        await page.goto(`/${lang}/data/${dataset.id}/`);
        await expectDataPage(page, dataset, lang);
        await expect(page.locator('chart-figure')).toHaveAttribute('data-state', 'drawn');
        for (const link of await page.getByRole('link', { name: /CSV|JSON/ }).all()) {
          const response = await request.get((await link.getAttribute('href')) ?? '');
          expect(response.status()).toBe(200);
        }
        await expect(page.getByRole('link', { name: 'Share on X' }).or(page.getByRole('link', { name: '分享到 X' }))).toBeVisible();
        const card = await page.locator('meta[property="og:image"]').getAttribute('content');
        expect((await request.get(new URL(card ?? '').pathname)).headers()['content-type']).toBe('image/png');
      }
    });
  }

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    for (const lang of languages) {
      test(`${lang}: a data page is complete, and the picture downloads are absent`, async ({ page }) => {
        for (const dataset of datasets) {
          await page.goto(`/${lang}/data/${dataset.id}/`);
          await expectDataPage(page, dataset, lang);
          await expect(page.getByRole('button', { name: /PNG|SVG/ })).toHaveCount(0);
        }
      });
    }

    test('the embed shows the table', async ({ page }) => {
      const [dataset] = datasets;
      if (!dataset) throw new Error('the demo content needs a dataset');
      await page.goto(`/en/embed/charts/${dataset.id}/`);
      for (const header of xHeaders(dataset, 'en')) await expect(page.getByRole('rowheader', { name: header, exact: true })).toBeVisible();
    });
  });
});

test.describe('a chart in an essay', () => {
  const chart = findChart('line');

  test('links to its data page and gives an iframe snippet for its embed', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/en/essays/${chart.slug}/`);
    const figure = page.locator('chart-figure', { hasText: chart.dataset.title.en }).first();
    await figure.getByText(labels.en.embed, { exact: true }).click();
    const snippet = await figure.getByRole('textbox').inputValue();
    expect(snippet).toMatch(/^<iframe src="[^"]+\/en\/embed\/charts\/[a-z0-9-]+\/" title="[^"]+" width="100%" height="\d+"/);
    await figure.getByRole('button', { name: 'Copy embed code' }).click();
    await expect(figure.getByRole('status').filter({ hasText: 'Embed code copied.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await figure.getByRole('link', { name: labels.en.about }).click();
    await expect(page).toHaveURL(`${baseURL}/en/data/${chart.dataset.id}/`);
  });
});

/** Serves a page on another origin (localhost instead of 127.0.0.1) that frames `url`, and opens it. */
async function openInForeignFrame(page: Page, url: string): Promise<() => Promise<void>> {
  const elsewhere = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>Elsewhere</title><p>Another site</p><iframe title="framed chart" src="${url}" width="640" height="560"></iframe>`,
      );
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  const { port } = elsewhere.address() as AddressInfo;
  await page.goto(`http://localhost:${port}/`);
  return () => new Promise((resolve) => elsewhere.close(() => resolve()));
}

test.describe('the embed', () => {
  for (const lang of languages) {
    test(`${lang}: another site shows it in a frame: the chart is drawn, with its source and a link back; no cookie, no view counted`, async ({
      page,
      context,
      baseURL,
    }) => {
      const dataset = findChart('line').dataset;
      const apiRequests: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests.push(request.url());
      });
      const embedUrl = `${baseURL}/${lang}/embed/charts/${dataset.id}/`;
      const responses: Record<string, string>[] = [];
      page.on('response', (response) => {
        if (response.url().startsWith(baseURL ?? '')) responses.push(response.headers());
      });
      const close = await openInForeignFrame(page, embedUrl);
      try {
        const frame = page.frameLocator('iframe');
        await expect(frame.getByRole('img', { name: dataset.title[lang], exact: false })).toBeVisible();
        await expect(frame.locator('chart-figure')).toHaveAttribute('data-state', 'drawn');
        // An absolute address from the build's SITE_URL, opened outside the frame.
        const back = frame.getByRole('link', { name: labels[lang].open });
        await expect(back).toHaveAttribute('href', new RegExp(`^https?://[^/]+/${lang}/data/${dataset.id}/$`));
        await expect(back).toHaveAttribute('target', '_blank');
        await expect(frame.getByText(/来源|Source/).first()).toBeVisible();
        expect(await context.cookies()).toEqual([]);
        expect(responses.some((headers) => 'set-cookie' in headers)).toBe(false);
        expect(apiRequests).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  test('answers with frame-ancestors * and no X-Frame-Options; the data page and essays keep refusing frames', async ({
    page,
    request,
    baseURL,
  }) => {
    const dataset = findChart('line').dataset;
    const embed = await request.get(`/zh/embed/charts/${dataset.id}/`);
    expect(embed.headers()['content-security-policy']).toMatch(/frame-ancestors \*$/);
    expect(embed.headers()['x-frame-options']).toBeUndefined();
    const dataPage = await request.get(`/zh/data/${dataset.id}/`);
    expect(dataPage.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'$/);
    expect(dataPage.headers()['x-frame-options']).toBe('DENY');
    await expectFramingRefused(page, `${baseURL}/zh/data/${dataset.id}/`);
    await expectFramingRefused(page, `${baseURL}/zh/essays/${findChart('line').slug}/`);
  });
});

/** The text chunks (iTXt, tEXt) of a PNG file, by keyword. */
function readPngTexts(bytes: Buffer): Map<string, string> {
  const texts = new Map<string, string>();
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'iTXt' || type === 'tEXt') {
      const keywordEnd = data.indexOf(0);
      const keyword = data.toString('latin1', 0, keywordEnd);
      if (type === 'tEXt') texts.set(keyword, data.toString('latin1', keywordEnd + 1));
      else {
        // keyword \0 compression flag, method, language \0, translated keyword \0, text
        const languageEnd = data.indexOf(0, keywordEnd + 3);
        const translatedEnd = data.indexOf(0, languageEnd + 1);
        texts.set(keyword, data.toString('utf8', translatedEnd + 1));
      }
    }
    offset += 12 + length;
  }
  return texts;
}

test.describe('picture downloads', () => {
  for (const lang of languages) {
    test(`${lang}: PNG at twice the size and SVG, each with title and source; the drawing code loads only on the click`, async ({
      page,
    }) => {
      const dataset = findChart('line').dataset;
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
      });
      await page.goto(`/${lang}/data/${dataset.id}/`);
      await expect(page.locator('chart-figure')).toHaveAttribute('data-state', 'drawn');
      const loadedBefore = [...scripts];
      const sourceLine = (await page.locator('.chart-source').innerText()).trim();

      const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PNG' }).click()]);
      expect(png.suggestedFilename()).toBe(`${dataset.id}.${lang}.png`);
      const exportChunks = scripts.slice(loadedBefore.length);
      expect(exportChunks.length, 'the click loads the drawing code').toBeGreaterThan(0);
      expect(loadedBefore.some((path) => exportChunks.includes(path))).toBe(false);

      const pngBytes = readFileSync((await png.path()) ?? '');
      expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      const width = pngBytes.readUInt32BE(16);
      expect(width).toBe(1920);
      const texts = readPngTexts(pngBytes);
      expect(texts.get('Title')).toBe(dataset.title[lang]);
      expect(texts.get('Source')).toBe(sourceLine);
      expect(texts.get('Author')).toBe('对照 · duizhao');
      // Opened as an image: its pixels are not one colour, and the band where the title is drawn has ink in it.
      const pixels = await page.evaluate(
        async (dataUrl) => {
          const image = new Image();
          image.src = dataUrl;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.naturalWidth;
          canvas.height = image.naturalHeight;
          const context = canvas.getContext('2d');
          if (!context) return { colours: 0, titleInk: 0 };
          context.drawImage(image, 0, 0);
          const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
          const colours = new Set<number>();
          for (let index = 0; index < data.length; index += 4 * 97)
            colours.add(((data[index] ?? 0) << 16) | ((data[index + 1] ?? 0) << 8) | (data[index + 2] ?? 0));
          const paper = data.slice(0, 3);
          const band = context.getImageData(80, 80, canvas.width - 160, 70).data;
          let titleInk = 0;
          for (let index = 0; index < band.length; index += 4) if (Math.abs((band[index] ?? 0) - (paper[0] ?? 0)) > 60) titleInk += 1;
          return { colours: colours.size, titleInk };
        },
        `data:image/png;base64,${pngBytes.toString('base64')}`,
      );
      expect(pixels.colours).toBeGreaterThan(10);
      expect(pixels.titleInk).toBeGreaterThan(500);

      const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'SVG' }).click()]);
      expect(svg.suggestedFilename()).toBe(`${dataset.id}.${lang}.svg`);
      const svgText = readFileSync((await svg.path()) ?? '', 'utf8');
      const parsed = await page.evaluate((text) => {
        const document = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: document.querySelector('parsererror')?.textContent ?? null,
          root: document.documentElement.localName,
          title: document.querySelector('svg > title')?.textContent,
          texts: [...document.querySelectorAll('text')].map((element) => element.textContent),
          images: document.querySelectorAll('image').length,
        };
      }, svgText);
      expect(parsed.error).toBeNull();
      expect(parsed.root).toBe('svg');
      expect(parsed.title).toBe(dataset.title[lang]);
      expect(parsed.texts.join('')).toContain(dataset.title[lang]);
      expect(parsed.texts.join('').replaceAll(/\s+/g, '')).toContain(sourceLine.replaceAll(/\s+/g, ''));
      expect(parsed.texts).toContain('对照 · duizhao');
      expect(parsed.images).toBe(1);
    });
  }
});
