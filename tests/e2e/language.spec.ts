import { expect, test } from '@playwright/test';
import { findChineseOnlyEssay, findTranslatedEssay } from './fixtures.ts';

test.describe('switching language', () => {
  test('on an essay, the switch leads to the same essay in the other language and back', async ({ page }) => {
    const essay = findTranslatedEssay();
    await page.goto(`/zh/essays/${essay.slug}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(essay.titles.zh);

    await page.getByRole('navigation', { name: '切换语言' }).getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(`/en/essays/${essay.slug}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(essay.titles.en);

    await page.getByRole('navigation', { name: 'Switch language' }).getByRole('link', { name: '中文' }).click();
    await expect(page).toHaveURL(`/zh/essays/${essay.slug}/`);
  });

  test('an essay without a translation leads to a page that says so in both languages', async ({ page }) => {
    const essay = findChineseOnlyEssay();
    await page.goto(`/zh/essays/${essay.slug}/`);
    await page.getByRole('link', { name: 'English' }).click();

    await expect(page).toHaveURL(`/en/essays/${essay.slug}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This essay has not been translated into English yet');
    await expect(page.getByText('这篇文章还没有英文版')).toBeVisible();
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex');

    await page.getByRole('link', { name: 'Read the Chinese version' }).click();
    await expect(page).toHaveURL(`/zh/essays/${essay.slug}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(essay.titles.zh);
  });

  test('tag, archive and about pages switch to their counterparts', async ({ page }) => {
    for (const path of ['archive/', 'about/', 'tags/']) {
      await page.goto(`/zh/${path}`);
      await page.getByRole('link', { name: 'English' }).click();
      await expect(page).toHaveURL(`/en/${path}`);
    }
    await page.goto('/zh/tags/');
    await page.getByRole('link', { name: '#小红书' }).click();
    await expect(page).toHaveURL('/zh/tags/xiaohongshu/');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL('/en/tags/xiaohongshu/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tagged: RedNote');
  });

  test('the English home lists a Chinese-only essay with a language badge', async ({ page }) => {
    const essay = findChineseOnlyEssay();
    await page.goto('/en/');
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: essay.titles.zh }) });
    await expect(item.getByText('Chinese', { exact: true })).toBeVisible();
  });
});

test.describe('the root page', () => {
  test('sends a reader to their browser language', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL('/en/');
    await context.close();
  });

  test('falls back to Chinese for other browser languages', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL('/zh/');
    await context.close();
  });

  test('remembers the language the reader chose, over the browser language', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto('/zh/');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL('/en/');
    await page.goto('/');
    await expect(page).toHaveURL('/en/');
    await context.close();
  });

  test('without JavaScript it is a plain page linking both languages', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    const page = await context.newPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL('/');
    await expect(page.getByRole('link', { name: /中文/ })).toHaveAttribute('href', '/zh/');
    await expect(page.getByRole('link', { name: /English/ })).toHaveAttribute('href', '/en/');
    await context.close();
  });

  test('language home pages never redirect', async ({ request }) => {
    for (const path of ['/zh/', '/en/']) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status()).toBe(200);
    }
  });
});

test('an unknown address gets a 404 page in the language of its URL', async ({ page }) => {
  const english = await page.goto('/en/no-such-page/');
  expect(english?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // A missing page belongs to no section of the site: nothing in the header is marked current.
  await expect(page.getByRole('navigation', { name: 'Main' }).locator('[aria-current]')).toHaveCount(0);

  const chinese = await page.goto('/zh/essays/no-such-essay/');
  expect(chinese?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('找不到这个页面');
});
