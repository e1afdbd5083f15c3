import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { findChart, findChineseOnlyEssay, findTranslatedEssay } from './fixtures.ts';

const translated = findTranslatedEssay();
const pages = [
  '/zh/',
  '/en/',
  `/zh/essays/${translated.slug}/`,
  `/en/essays/${translated.slug}/`,
  `/zh/essays/${translated.slug}/parallel/`,
  `/en/essays/${translated.slug}/parallel/`,
  `/en/essays/${findChineseOnlyEssay().slug}/`,
  '/zh/archive/',
  '/en/tags/',
  '/zh/search/',
  '/en/search/',
  '/zh/data/',
  `/en/data/${findChart('line').dataset.id}/`,
  `/zh/embed/charts/${findChart('bar').dataset.id}/`,
  '/',
];

for (const path of pages) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${path} has no axe violations (${colorScheme})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      if (path === '/') {
        // The root page's script moves a reader on at once; audit the page itself by serving it without the trigger.
        await page.route('/', async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, body: (await response.text()).replace(' data-root', '') });
        });
      }
      await page.goto(path);
      const results = await new AxeBuilder({ page }).analyze();
      expect(
        results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      await context.close();
    });
  }
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`search results and the open share panel have no axe violations (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    for (const [path, done] of [
      [`/zh/search/?q=${encodeURIComponent('TikTok 难民')}`, /^找到 \d+ 篇文章$/],
      ['/en/search/?q=moderation', /essays? found$/],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('status')).toHaveText(done);
      const results = await new AxeBuilder({ page }).analyze();
      expect(
        results.violations.map(
          (violation) => `${path} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        ),
      ).toEqual([]);
    }
    await page.goto(`/zh/essays/${translated.slug}/`);
    await page.getByText('微信扫一扫').click();
    await page.getByRole('button', { name: '复制链接' }).focus();
    const results = await new AxeBuilder({ page }).include('.share').analyze();
    expect(
      results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await context.close();
  });
}

test('a keyboard user can skip to the content and reach the language switch', async ({ page }) => {
  await page.goto(`/en/essays/${translated.slug}/`);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);

  await page.goto(`/en/essays/${translated.slug}/`);
  const chinese = page.getByRole('navigation', { name: 'Switch language' }).getByRole('link', { name: '中文' });
  for (let presses = 0; presses < 12 && !(await chinese.evaluate((link) => link === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(chinese).toBeFocused();
  const outline = await chinese.evaluate((link) => getComputedStyle(link).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`/zh/essays/${translated.slug}/`);
});
