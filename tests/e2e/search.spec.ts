import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { findDraftEssay, findEssaysMentioning, listDemoEssays } from './fixtures.ts';

const searchboxName = { zh: '搜索文章', en: 'Search the essays' } as const;
const groupName = {
  zh: { zh: /^中文文章（\d+）$/, en: /^英文文章（\d+）$/ },
  en: { zh: /^Essays in Chinese \(\d+\)$/, en: /^Essays in English \(\d+\)$/ },
} as const;
const finished = /^(找到 \d+ 篇文章|没有找到与“.*”相关的文章。|\d+ essays? found|No essays match “.*”\.)$/;

/** Types a query into the search page of `lang` and waits until the result count is announced. */
async function search(page: Page, lang: 'zh' | 'en', query: string) {
  if (!page.url().endsWith(`/${lang}/search/`)) await page.goto(`/${lang}/search/`);
  const box = page.getByRole('searchbox', { name: searchboxName[lang] });
  await box.fill(query);
  await box.press('Enter');
  await expect(page.getByRole('status')).toHaveText(finished);
}

const group = (page: Page, lang: 'zh' | 'en', resultsIn: 'zh' | 'en') => page.getByRole('region', { name: groupName[lang][resultsIn] });

test.describe('searching in Chinese', () => {
  for (const word of ['抖音', '审核']) {
    test(`the two-character word ${word} finds every Chinese essay that uses it, marked in the excerpt`, async ({ page }) => {
      const expected = findEssaysMentioning(word, 'zh');
      expect(expected.length).toBeGreaterThan(0);
      await search(page, 'zh', word);
      await expect(page.getByRole('status')).toHaveText(/^找到 \d+ 篇文章$/);
      const results = group(page, 'zh', 'zh');
      for (const essay of expected) {
        await expect(results.getByRole('link', { name: essay.title, exact: true })).toHaveAttribute('href', `/zh/essays/${essay.slug}/`);
      }
      // Pagefind marks the indexed words it matched; around a two-character word that may be the word or one of its characters.
      await expect(results.getByRole('listitem').filter({ hasText: word }).locator('mark').first()).toBeVisible();
    });
  }

  test('the mixed query “TikTok 难民” finds Chinese essays first and English ones in a second, marked group', async ({ page }) => {
    await search(page, 'zh', 'TikTok 难民');
    for (const essay of findEssaysMentioning('TikTok 难民', 'zh')) {
      await expect(group(page, 'zh', 'zh').getByRole('link', { name: essay.title, exact: true })).toBeVisible();
    }
    const english = group(page, 'zh', 'en');
    const expected = findEssaysMentioning('TikTok', 'en');
    expect(expected.length).toBeGreaterThan(0);
    for (const essay of expected) {
      const item = english.getByRole('listitem').filter({ has: page.getByRole('link', { name: essay.title, exact: true }) });
      await expect(item.getByText('英文', { exact: true })).toBeVisible();
      await expect(item).toHaveAttribute('lang', 'en');
    }
    const groups = page.getByRole('region');
    await expect(groups.first()).toHaveAccessibleName(groupName.zh.zh);
  });

  test('a query with no match says so', async ({ page }) => {
    await search(page, 'zh', 'qwxzvj');
    await expect(page.getByRole('status')).toHaveText('没有找到与“qwxzvj”相关的文章。');
    await expect(page.getByRole('region')).toHaveCount(0);
  });
});

test.describe('searching in English', () => {
  test('an English word finds the English essays that use it', async ({ page }) => {
    const expected = findEssaysMentioning('moderation', 'en');
    expect(expected.length).toBeGreaterThan(0);
    await search(page, 'en', 'moderation');
    await expect(page.getByRole('status')).toHaveText(`${expected.length} ${expected.length === 1 ? 'essay' : 'essays'} found`);
    for (const essay of expected) {
      await expect(group(page, 'en', 'en').getByRole('link', { name: essay.title, exact: true })).toHaveAttribute('href', `/en/essays/${essay.slug}/`);
    }
  });

  test('a Chinese word on the English page finds Chinese essays, badged “Chinese”', async ({ page }) => {
    const expected = findEssaysMentioning('抖音', 'zh');
    await search(page, 'en', '抖音');
    const chinese = group(page, 'en', 'zh');
    for (const essay of expected) {
      const item = chinese.getByRole('listitem').filter({ has: page.getByRole('link', { name: essay.title, exact: true }) });
      await expect(item.getByText('Chinese', { exact: true })).toBeVisible();
      await expect(item).toHaveAttribute('lang', 'zh-Hans');
    }
  });
});

test('the header links to search, and a keyboard user reaches the results from the search box', async ({ page }) => {
  await page.goto('/en/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
  await expect(page).toHaveURL('/en/search/');
  const box = page.getByRole('searchbox', { name: 'Search the essays' });
  await box.focus();
  await page.keyboard.type('moderation');
  await expect(page.getByRole('status')).toHaveText(/essays? found/);
  await page.keyboard.press('ArrowDown');
  const first = group(page, 'en', 'en').getByRole('link').first();
  await expect(first).toBeFocused();
  const href = await first.getAttribute('href');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(href ?? '');
});

test('the query lives in the address, and switching language keeps it', async ({ page }) => {
  const [essay] = findEssaysMentioning('审核', 'zh');
  await page.goto(`/zh/search/?q=${encodeURIComponent('审核')}`);
  await expect(page.getByRole('searchbox', { name: '搜索文章' })).toHaveValue('审核');
  await expect(group(page, 'zh', 'zh').getByRole('link', { name: essay?.title ?? '', exact: true })).toBeVisible();
  await page.getByRole('navigation', { name: '切换语言' }).getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(`/en/search/?q=${encodeURIComponent('审核')}`);
  await expect(group(page, 'en', 'zh').getByRole('link', { name: essay?.title ?? '', exact: true })).toBeVisible();
});

test('without JavaScript the search page says search needs it and points to the archive and tags', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [lang, message, archive, tags] of [
    ['zh', '搜索需要浏览器启用 JavaScript，而它现在是关闭的。', '按时间浏览全部文章（归档）', '按标签浏览'],
    ['en', 'Search needs JavaScript, which is turned off in your browser.', 'All essays by date (archive)', 'Essays by tag'],
  ] as const) {
    await page.goto(`/${lang}/search/`);
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByRole('searchbox')).toBeHidden();
    await expect(page.getByRole('link', { name: archive })).toHaveAttribute('href', `/${lang}/archive/`);
    await expect(page.getByRole('link', { name: tags })).toHaveAttribute('href', `/${lang}/tags/`);
  }
  await context.close();
});

test.describe('what the index holds', () => {
  const draft = findDraftEssay();

  test('searching for a draft’s own words never leads to the draft', async ({ page }) => {
    for (const [lang, query] of [
      ['zh', draft.sentences.zh],
      ['en', draft.sentences.en],
      ['zh', '写作中'],
      ['en', 'tutors'],
    ] as const) {
      await search(page, lang, query);
      await expect(page.locator(`a[href*="/${draft.slug}/"]`)).toHaveCount(0);
    }
  });

  test('only published essay bodies are indexed: no draft, no list page, no share links or neighbouring titles', () => {
    const clientDir = join(import.meta.dirname, '..', '..', process.env.DUIZHAO_DIST_DIR ?? 'dist', 'client');
    const fragments = ['zh', 'en'].flatMap((lang) => {
      const dir = join(clientDir, 'pagefind', lang, 'fragment');
      return readdirSync(dir).map((file) => {
        // A fragment is gzip'd "pagefind_dcd" + JSON; Chinese content carries zero-width spaces between words.
        const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8').replace(/^pagefind_dcd/, '');
        const fragment = JSON.parse(text) as { url: string; content: string };
        return { lang, url: fragment.url, content: fragment.content.replaceAll('\u200b', '') };
      });
    });
    const published = listDemoEssays().flatMap((essay) => (['zh', 'en'] as const).filter((lang) => essay.titles[lang]).map((lang) => `/${lang}/essays/${essay.slug}/`));
    expect(fragments.map((fragment) => fragment.url).sort()).toEqual(published.sort());
    for (const fragment of fragments) {
      expect(fragment.url.startsWith(`/${fragment.lang}/essays/`)).toBe(true);
      expect(fragment.content).not.toContain(draft.sentences.zh);
      expect(fragment.content).not.toContain(draft.sentences.en);
      for (const chrome of ['复制链接', 'Copy link', '微信扫一扫', 'Scan with WeChat', '分享到微博', 'Share on Weibo', '分钟读完', ' min read']) {
        expect(fragment.content).not.toContain(chrome);
      }
    }
  });
});
