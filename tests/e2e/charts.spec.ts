import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { findChart, type DemoChart } from './fixtures.ts';

const line = findChart('line');
const bar = findChart('bar');
const intlTags = { zh: 'zh-Hans-CN', en: 'en-US' } as const;

/** How a reader of the language says a number: zh `1.7亿`, en `170M`; and in full, zh `1.7亿`, en `170,000,000`. */
const compact = (value: number, lang: 'zh' | 'en') =>
  new Intl.NumberFormat(intlTags[lang], { notation: 'compact', maximumFractionDigits: 1 }).format(value);
/** A table's number: exact, and in myriads for Chinese readers (6100万), as the chart beside it says it. */
const full = (value: number, lang: 'zh' | 'en') =>
  new Intl.NumberFormat(intlTags[lang], { notation: lang === 'zh' ? 'compact' : 'standard', maximumFractionDigits: 8 }).format(value);
const shortDate = (iso: string, lang: 'zh' | 'en') =>
  new Intl.DateTimeFormat(intlTags[lang], { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(iso));

function getXLabels(chart: DemoChart, lang: 'zh' | 'en', style: 'short' | 'long'): string[] {
  const { x } = chart.dataset;
  if (x.type === 'category') return x.values.map((category) => category[lang]);
  return x.values.map((iso) =>
    style === 'short'
      ? shortDate(iso, lang)
      : new Intl.DateTimeFormat(intlTags[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso)),
  );
}

/** The chart's canvas, found as a reader's assistive technology finds it: an image named after the chart. */
const chartImage = (page: Page, chart: DemoChart, lang: 'zh' | 'en') =>
  page.getByRole('img', { name: chart.dataset.title[lang], exact: false });

/** Counts painted pixels: a blank canvas has none. */
async function countPaintedPixels(page: Page, chart: DemoChart, lang: 'zh' | 'en'): Promise<number> {
  return chartImage(page, chart, lang).evaluate((canvas) => {
    const context = (canvas as HTMLCanvasElement).getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
    let painted = 0;
    for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) painted += 1;
    return painted;
  });
}

async function scrollToChart(page: Page, chart: DemoChart, lang: 'zh' | 'en') {
  await chartImage(page, chart, lang).scrollIntoViewIfNeeded();
  await expect.poll(() => countPaintedPixels(page, chart, lang)).toBeGreaterThan(2000);
}

test.describe('a line chart in an essay', () => {
  test('fetches no chart code until the chart comes near, then only what a line chart needs, and paints the canvas', async ({ page }) => {
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`/zh/essays/${line.slug}/`);
    await page.waitForLoadState('networkidle');
    const bootstrap = await page
      .locator('script[type="module"][src]')
      .evaluateAll((elements) => elements.map((element) => new URL((element as HTMLScriptElement).src).pathname));
    // Up front: the page's island scripts and the small modules they share (translator, formatting), no chart code.
    const upFront = [...scripts];
    expect(upFront).toEqual(expect.arrayContaining(bootstrap));
    const shared = upFront.filter((path) => !bootstrap.includes(path));
    for (const path of shared) expect(path).toMatch(/^\/_astro\/[\w.-]+\.js$/);
    expect(shared.filter((path) => /chart/i.test(path))).toEqual([]);
    expect(await countPaintedPixels(page, line, 'zh')).toBe(0);

    await scrollToChart(page, line, 'zh');
    const chartScripts = scripts.slice(upFront.length);
    expect(chartScripts.length).toBeGreaterThan(0);
    expect(chartScripts.some((path) => path.includes('line-chart'))).toBe(true);
    expect(chartScripts.filter((path) => /bar-chart|doughnut-chart|area-chart/.test(path))).toEqual([]);
  });

  test('draws without moving anything on the page', async ({ page }) => {
    await page.goto(`/en/essays/${line.slug}/`);
    await page.evaluate(() => {
      const shifts: number[] = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) shifts.push(entry.value);
        }
      }).observe({ type: 'layout-shift', buffered: true });
      Object.assign(window, { layoutShifts: shifts });
    });
    await scrollToChart(page, line, 'en');
    await page.waitForTimeout(300);
    const shift = await page.evaluate(() =>
      (window as unknown as { layoutShifts: number[] }).layoutShifts.reduce((sum, value) => sum + value, 0),
    );
    expect(shift).toBe(0);
  });

  test('reserves a 16:9 box on a wide screen and 4:3 on a narrow one', async ({ page }) => {
    for (const [width, ratio] of [
      [1280, 16 / 9],
      [390, 4 / 3],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`/en/essays/${line.slug}/`);
      const box = await chartImage(page, line, 'en').boundingBox();
      expect(box && box.width / box.height).toBeCloseTo(ratio, 1);
    }
  });

  test('shows a tooltip in the page language when a reader points at the chart', async ({ page }) => {
    for (const lang of ['zh', 'en'] as const) {
      await page.goto(`/${lang}/essays/${line.slug}/`);
      await scrollToChart(page, line, lang);
      const canvas = chartImage(page, line, lang);
      const box = await canvas.boundingBox();
      if (!box) throw new Error('the chart has no box');
      // The tooltip follows the nearest x value, so pointing near the right end of the plot picks the last one.
      await page.mouse.move(box.x + box.width - 24, box.y + box.height / 2);
      const tooltip = page.getByRole('tooltip');
      await expect(tooltip).toBeVisible();
      const [series] = line.series;
      const lastValue = series?.values.at(-1);
      if (!series || typeof lastValue !== 'number') throw new Error('the demo line chart needs a last value');
      await expect(tooltip).toContainText(getXLabels(line, lang, 'short').at(-1) ?? '');
      await expect(tooltip).toContainText(`${series.name[lang]}${lang === 'zh' ? '：' : ': '}${compact(lastValue, lang)}`);
      await page.mouse.move(0, 0);
      await expect(tooltip).toBeHidden();
    }
  });

  test('a keyboard user steps through the points and hears each one, in Chinese', async ({ page }) => {
    await page.goto(`/zh/essays/${line.slug}/`);
    await scrollToChart(page, line, 'zh');
    const canvas = chartImage(page, line, 'zh');
    await canvas.focus();
    await expect(canvas).toBeFocused();
    const labels = getXLabels(line, 'zh', 'short');
    const values = line.series[0]?.values ?? [];
    const said = (index: number) => `${labels[index]}：${compact(values[index] ?? 0, 'zh')}`;
    const status = page.getByRole('status').filter({ hasText: /./ });

    await page.keyboard.press('ArrowRight');
    await expect(status).toHaveText(said(0));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(status).toHaveText(said(2));
    await expect(page.getByRole('tooltip')).toContainText(compact(values[2] ?? 0, 'zh'));
    await page.keyboard.press('End');
    await expect(status).toHaveText(said(labels.length - 1));
    await page.keyboard.press('Home');
    await expect(status).toHaveText(said(0));
    await page.keyboard.press('Tab');
    await expect(page.getByRole('tooltip')).toBeHidden();
  });

  test('says it is illustrative, on the figure and in the chart’s name', async ({ page }) => {
    test.skip(!line.dataset.illustrative, 'the demo line chart is measured data');
    await page.goto(`/zh/essays/${line.slug}/`);
    const figure = page.getByRole('figure', { name: line.dataset.title.zh });
    await expect(figure.getByText('示意数据，非实测').first()).toBeVisible();
    await expect(chartImage(page, line, 'zh')).toHaveAccessibleName(/示意数据，非实测$/);
    await page.goto(`/en/essays/${line.slug}/`);
    await expect(page.getByRole('figure', { name: line.dataset.title.en }).getByText('Illustrative, not measured').first()).toBeVisible();
  });

  test('redraws in the dark theme’s colours when the reader switches theme', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`/en/essays/${line.slug}/`);
    await scrollToChart(page, line, 'en');
    const canvas = chartImage(page, line, 'en');
    const before = await canvas.evaluate((element) => (element as HTMLCanvasElement).toDataURL());
    await page.getByRole('button', { name: 'Toggle dark mode' }).click();
    await expect.poll(() => canvas.evaluate((element) => (element as HTMLCanvasElement).toDataURL())).not.toBe(before);
  });
});

test.describe('the data behind a chart', () => {
  test('without JavaScript the table shows every value and the links still download the data', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const lang of ['zh', 'en'] as const) {
      await page.goto(`/${lang}/essays/${line.slug}/`);
      const figure = page.getByRole('figure', { name: line.dataset.title[lang] });
      await expect(figure.getByRole('img')).toBeHidden();
      await expect(figure.getByRole('button')).toBeHidden();
      const table = figure.getByRole('table');
      await expect(table).toBeVisible();
      const labels = getXLabels(line, lang, 'long');
      const rows = table.getByRole('row');
      await expect(rows).toHaveCount(labels.length + 1);
      for (const [index, label] of labels.entries()) {
        const row = table.getByRole('row', { name: label });
        await expect(row.getByRole('rowheader')).toHaveText(label);
        for (const series of line.series) {
          const value = series.values[index];
          await expect(row).toContainText(
            value === null || value === undefined ? (lang === 'zh' ? '无数据' : 'no data') : full(value, lang),
          );
        }
      }
      await expect(figure.getByRole('link', { name: /CSV/ })).toBeVisible();
    }
    await context.close();
  });

  test('with JavaScript the table waits behind “查看数据”', async ({ page }) => {
    await page.goto(`/zh/essays/${bar.slug}/`);
    const figure = page.getByRole('figure', { name: bar.dataset.title.zh });
    const toggle = figure.getByRole('button', { name: '查看数据' });
    await expect(figure.getByRole('table')).toBeHidden();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    // Open, the same button offers to close the table.
    const closer = figure.getByRole('button', { name: '收起数据' });
    await expect(closer).toHaveAttribute('aria-expanded', 'true');
    const table = figure.getByRole('table');
    await expect(table).toBeVisible();
    for (const [index, label] of getXLabels(bar, 'zh', 'long').entries()) {
      await expect(table.getByRole('row', { name: label })).toContainText(full(bar.series[0]?.values[index] ?? 0, 'zh'));
    }
    await closer.click();
    await expect(figure.getByRole('table')).toBeHidden();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });

  test('prints the table in place of a chart that was never drawn', async ({ page }) => {
    await page.goto(`/en/essays/${bar.slug}/`);
    await page.emulateMedia({ media: 'print' });
    const figure = page.getByRole('figure', { name: bar.dataset.title.en });
    await expect(figure.getByRole('table')).toBeVisible();
    await expect(figure.getByRole('img')).toBeHidden();
  });

  test('the CSV download opens in a spreadsheet: byte-order mark, headers in the page language, every value', async ({ page }) => {
    for (const lang of ['zh', 'en'] as const) {
      await page.goto(`/${lang}/essays/${line.slug}/`);
      const figure = page.getByRole('figure', { name: line.dataset.title[lang] });
      const [download] = await Promise.all([page.waitForEvent('download'), figure.getByRole('link', { name: /CSV/ }).click()]);
      const bytes = await readDownload(download);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n');
      const header = lines[0]?.split(',') ?? [];
      expect(header[0]).toBe(lang === 'zh' ? '日期' : 'Date');
      for (const series of line.dataset.series) {
        expect(header.some((cell) => cell.startsWith(series.name[lang]))).toBe(true);
      }
      const x = line.dataset.x;
      for (const [index, key] of x.values.entries()) {
        const cells = lines[index + 1]?.split(',') ?? [];
        expect(cells[0]).toBe(typeof key === 'string' ? key : key[lang]);
        expect(cells.slice(1, 1 + line.dataset.series.length)).toEqual(
          line.dataset.series.map((series) => String(series.values[index] ?? '')),
        );
      }
    }
  });

  test('the JSON download is the dataset, in both languages', async ({ page, request }) => {
    await page.goto(`/en/essays/${bar.slug}/`);
    const figure = page.getByRole('figure', { name: bar.dataset.title.en });
    const [download] = await Promise.all([page.waitForEvent('download'), figure.getByRole('link', { name: /JSON/ }).click()]);
    const data = JSON.parse((await readDownload(download)).toString('utf8')) as typeof bar.dataset;
    expect(data.id).toBe(bar.dataset.id);
    expect(data.title).toEqual(bar.dataset.title);
    expect(data.series.map((series) => series.values)).toEqual(bar.dataset.series.map((series) => series.values));
    const response = await request.get(`/data/${bar.dataset.id}.json`);
    expect(response.headers()['content-type']).toContain('application/json');
  });
});

test.describe('a bar chart in an essay', () => {
  test('loads the bar chart code, not the line chart’s, and labels categories in the page language', async ({ page }) => {
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`/en/essays/${bar.slug}/`);
    await scrollToChart(page, bar, 'en');
    expect(scripts.some((path) => path.includes('bar-chart'))).toBe(true);
    expect(scripts.filter((path) => /line-chart|doughnut-chart|area-chart/.test(path))).toEqual([]);
    const canvas = chartImage(page, bar, 'en');
    await canvas.focus();
    await page.keyboard.press('End');
    const labels = getXLabels(bar, 'en', 'short');
    const lastValue = bar.series[0]?.values.at(-1) ?? 0;
    await expect(page.getByRole('status').filter({ hasText: /./ })).toHaveText(`${labels.at(-1)}: ${compact(lastValue, 'en')}`);
  });
});

test('a line and a bar chart on one page each draw, with their own Chart.js build', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`/en/essays/${line.slug}/`);
  await scrollToChart(page, line, 'en');
  // No demo essay mixes chart types, so borrow the bar chart's server-rendered figure; <chart-figure> draws it like any other.
  const barFigure = await page.evaluate(async (path) => {
    const html = await (await fetch(path)).text();
    return new DOMParser().parseFromString(html, 'text/html').querySelector('chart-figure')?.outerHTML ?? '';
  }, `/en/essays/${bar.slug}/`);
  await page.evaluate((html) => document.querySelector('.prose')?.insertAdjacentHTML('beforeend', html), barFigure);
  await scrollToChart(page, bar, 'en');
  expect(await countPaintedPixels(page, line, 'en')).toBeGreaterThan(2000);
  expect(errors).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a drawn chart with its table open has no axe violations (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    for (const [chart, lang] of [
      [line, 'zh'],
      [bar, 'en'],
    ] as const) {
      await page.goto(`/${lang}/essays/${chart.slug}/`);
      await scrollToChart(page, chart, lang);
      await page
        .getByRole('figure', { name: chart.dataset.title[lang] })
        .getByRole('button', { name: lang === 'zh' ? '查看数据' : 'Show data' })
        .click();
      await chartImage(page, chart, lang).focus();
      await page.keyboard.press('ArrowRight');
      const results = await new AxeBuilder({ page }).include('chart-figure').analyze();
      expect(
        results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
      ).toEqual([]);
    }
    await context.close();
  });
}

async function readDownload(download: import('@playwright/test').Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
