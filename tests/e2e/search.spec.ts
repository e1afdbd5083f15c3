import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { findDraftEssay, findEssaysMentioning, listDemoEssays, readEssayBody } from './fixtures.ts';

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
      // The excerpt marks the word whole, never one of its characters.
      const marks = results.getByRole('listitem').filter({ hasText: word }).locator('mark');
      await expect(marks.first()).toBeVisible();
      expect(new Set(await marks.allTextContents())).toEqual(new Set([word]));
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

const contentDir = join(import.meta.dirname, '..', '..', 'content');

interface ChineseEssay {
  slug: string;
  title: string;
  /** What a reader sees of the essay: title, summary and body, Markdown and component tags taken out. */
  text: string;
}

/** The published Chinese essays, read from their MDX. */
function readChineseEssays(): ChineseEssay[] {
  return readdirSync(join(contentDir, 'essays')).flatMap((slug) => {
    const file = join(contentDir, 'essays', slug, 'zh.mdx');
    if (!existsSync(file)) return [];
    const [, frontmatter = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(readFileSync(file, 'utf8')) ?? [];
    if (/^draft:\s*true/m.test(frontmatter)) return [];
    const field = (name: string) =>
      (new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(frontmatter)?.[1] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
    const visible = [field('title'), field('summary'), body]
      .join('\n')
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/\[\^[^\]]*\]:?/g, ' ')
      .replace(/<[^>]*\btitle="([^"]*)"[^>]*>/g, ' $1 ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/[*_`[\]]/g, '');
    return [{ slug, title: field('title'), text: visible }];
  });
}

/**
 * Chinese terms a reader might search for, drawn from the essays so the list follows the content:
 * the tags' Chinese names, every run of 2–6 characters that word segmentation cuts from the titles
 * (小红书 out of 小|红|书), every four-character word of the bodies (五花八门), the 50 most frequent
 * words and the 30 most frequent two- and three-character sequences of the bodies.
 */
function listChineseSearchTerms(essays: ChineseEssay[]): string[] {
  const isChinese = (text: string) => /^\p{Script=Han}+$/u.test(text);
  const segmenter = new Intl.Segmenter('zh-Hans', { granularity: 'word' });
  const wordsOf = (text: string) => [...segmenter.segment(text)].filter((part) => part.isWordLike).map((part) => part.segment);
  const runsOf = (text: string) => text.match(/\p{Script=Han}+/gu) ?? [];
  const terms = new Set<string>();
  const tags = JSON.parse(readFileSync(join(contentDir, 'tags.json'), 'utf8')) as Array<{ zh: string }>;
  for (const tag of tags) if (isChinese(tag.zh) && tag.zh.length >= 2 && tag.zh.length <= 6) terms.add(tag.zh);
  for (const essay of essays) {
    for (const run of runsOf(essay.title)) {
      const words = wordsOf(run);
      for (let first = 0; first < words.length; first++) {
        let span = '';
        for (const word of words.slice(first)) {
          span += word;
          if (span.length > 6) break;
          if (span.length >= 2) terms.add(span);
        }
      }
    }
  }
  const wordCounts = new Map<string, number>();
  const sequenceCounts = new Map<string, number>();
  for (const run of essays.flatMap((essay) => runsOf(essay.text))) {
    for (const word of wordsOf(run)) if (word.length >= 2 && word.length <= 6) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
    for (const length of [2, 3]) {
      for (let start = 0; start + length <= run.length; start++) {
        const sequence = run.slice(start, start + length);
        sequenceCounts.set(sequence, (sequenceCounts.get(sequence) ?? 0) + 1);
      }
    }
  }
  const mostFrequent = (counts: Map<string, number>, count: number) =>
    [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, count)
      .map(([term]) => term);
  for (const word of wordCounts.keys()) if (word.length === 4) terms.add(word);
  for (const word of mostFrequent(wordCounts, 50)) terms.add(word);
  for (const sequence of mostFrequent(sequenceCounts, 30)) terms.add(sequence);
  return [...terms].filter((term) => essays.some((essay) => essay.text.includes(term)));
}

/** What the results of one search show: each result's link and the marked words of its excerpt. */
interface ShownResults {
  status: string;
  results: Array<{ href: string; title: string; excerpt: string; marks: string[] }>;
}

/**
 * Searches each term on the open search page as a reader does (the term in the search box, the
 * form submitted, as Enter does) and reads what the Chinese group then shows. The loop runs in
 * the page, so a hundred searches take seconds rather than a round trip to the browser each;
 * the search itself is the page's own: its island, its worker, Pagefind in that worker.
 */
function searchEachInPage(page: Page, terms: string[]): Promise<ShownResults[]> {
  return page.evaluate(async (queries) => {
    const island = document.querySelector('site-search') as HTMLElement;
    const box = island.querySelector('input[type="search"]') as HTMLInputElement;
    const form = island.querySelector('form') as HTMLFormElement;
    const shown: ShownResults[] = [];
    for (const query of queries) {
      box.value = query;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      form.requestSubmit();
      const started = Date.now();
      while (island.dataset.state === 'searching' || island.getAttribute('aria-busy') === 'true') {
        if (Date.now() - started > 15_000) throw new Error(`No answer for ${query}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const ownGroup = island.querySelector('section.search-group');
      const isChineseGroup = ownGroup?.querySelector('h2')?.textContent?.startsWith('中文文章') ?? false;
      const items = isChineseGroup ? [...(ownGroup?.querySelectorAll('li') ?? [])] : [];
      shown.push({
        status: island.querySelector('[role="status"]')?.textContent ?? '',
        results: items.map((item) => ({
          href: item.querySelector('a')?.getAttribute('href') ?? '',
          title: item.querySelector('a')?.textContent ?? '',
          excerpt: item.querySelector('p')?.textContent ?? '',
          marks: [...item.querySelectorAll('mark')].map((mark) => mark.textContent ?? ''),
        })),
      });
    }
    return shown;
  }, terms);
}

test('every Chinese term drawn from the essays finds each essay that has it, title matches first, marked whole', async ({ page }) => {
  const essays = readChineseEssays();
  const terms = listChineseSearchTerms(essays);
  expect(terms.length).toBeGreaterThanOrEqual(100);
  test.setTimeout(60_000 + terms.length * 2_000);
  await page.goto('/zh/search/');
  await expect(page.getByRole('searchbox', { name: searchboxName.zh })).toBeVisible();
  const shown = await searchEachInPage(page, terms);
  const essayUrl = (essay: ChineseEssay) => `/zh/essays/${essay.slug}/`;
  let expectedCount = 0;
  let foundCount = 0;
  const problems: string[] = [];
  terms.forEach((term, index) => {
    const { status, results } = shown[index] ?? { status: '', results: [] };
    const hrefs = results.map((result) => result.href);
    const expected = essays.filter((essay) => essay.text.includes(term));
    const missing = expected.filter((essay) => !hrefs.includes(essayUrl(essay)));
    expectedCount += expected.length;
    foundCount += expected.length - missing.length;
    if (!/^找到 \d+ 篇文章$/.test(status)) problems.push(`${term}: the status says “${status}”`);
    if (missing.length > 0) problems.push(`${term}: ${missing.map(essayUrl).join(', ')} not found`);
    const titleMatches = expected.filter((essay) => essay.title.includes(term)).map(essayUrl);
    if (!hrefs.slice(0, titleMatches.length).every((href) => titleMatches.includes(href)))
      problems.push(`${term}: the title matches ${titleMatches.join(', ')} are not first in ${hrefs.join(', ')}`);
    const partialMarks = results.flatMap((result) => result.marks).filter((mark) => mark !== term);
    if (partialMarks.length > 0)
      problems.push(`${term}: marked ${[...new Set(partialMarks)].map((mark) => `<mark>${mark}</mark>`).join(' ')}`);
    // The excerpt leaves out the title (shown above it), so it must mark the term wherever the rest of the essay has it.
    const unmarked = results.filter(
      (result) =>
        result.marks.length === 0 &&
        essays.some((essay) => essayUrl(essay) === result.href && essay.text.replace(essay.title, '').includes(term)),
    );
    if (unmarked.length > 0) problems.push(`${term}: nothing marked in the excerpt of ${unmarked.map((result) => result.href).join(', ')}`);
  });
  const recall = `${foundCount}/${expectedCount} expected results (${((100 * foundCount) / expectedCount).toFixed(1)} %) over ${terms.length} terms`;
  test.info().annotations.push({ type: 'recall', description: recall });
  console.log(`Chinese search recall: ${recall}; ${problems.length} problems`);
  expect(problems).toEqual([]);
  expect(foundCount).toBe(expectedCount);
});

test('Chinese excerpts read as Chinese: a heading ends in “。”, not “. ”, and no space follows full-width punctuation', async ({
  page,
}) => {
  const essays = readChineseEssays();
  const headings = essays.flatMap((essay) => readEssayBody(essay.slug, 'zh').headings.map((heading) => ({ essay, heading })));
  expect(headings.length).toBeGreaterThan(5);
  test.setTimeout(30_000 + headings.length * 2_000);
  await page.goto('/zh/search/');
  await expect(page.getByRole('searchbox', { name: searchboxName.zh })).toBeVisible();
  const shown = await searchEachInPage(
    page,
    headings.map(({ heading }) => heading),
  );
  let headingsShown = 0;
  const problems: string[] = [];
  headings.forEach(({ essay, heading }, index) => {
    const result = shown[index]?.results.find((candidate) => candidate.href === `/zh/essays/${essay.slug}/`);
    if (!result) return void problems.push(`${heading}: ${essay.slug} not found`);
    for (const { excerpt } of shown[index]?.results ?? []) {
      if (/\p{Script=Han}\. /u.test(excerpt)) problems.push(`${heading}: “. ” after a Chinese character in “${excerpt}”`);
      if (/[。，、；：？！）」』】》]\s/u.test(excerpt)) problems.push(`${heading}: a space after full-width punctuation in “${excerpt}”`);
    }
    // Where the heading's words also stand in a sentence (榜单第一意味着什么，以及…), the excerpt may show that sentence instead.
    const after = essay.text.split(heading).length === 2 ? result.excerpt.split(heading)[1] : undefined;
    if (after === undefined) return;
    headingsShown += 1;
    if (!/[。？！：]$/u.test(heading) && after !== '' && !after.startsWith('。'))
      problems.push(`${heading}: followed by “${after.slice(0, 3)}” in “${result.excerpt}”`);
  });
  expect(problems).toEqual([]);
  expect(headingsShown).toBeGreaterThan(0);
});

test.describe('searching in English', () => {
  test('an English word finds the English essays that use it', async ({ page }) => {
    const expected = findEssaysMentioning('moderation', 'en');
    expect(expected.length).toBeGreaterThan(0);
    await search(page, 'en', 'moderation');
    await expect(page.getByRole('status')).toHaveText(`${expected.length} ${expected.length === 1 ? 'essay' : 'essays'} found`);
    for (const essay of expected) {
      await expect(group(page, 'en', 'en').getByRole('link', { name: essay.title, exact: true })).toHaveAttribute(
        'href',
        `/en/essays/${essay.slug}/`,
      );
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
        const text = gunzipSync(readFileSync(join(dir, file)))
          .toString('utf8')
          .replace(/^pagefind_dcd/, '');
        const fragment = JSON.parse(text) as { url: string; content: string };
        return { lang, url: fragment.url, content: fragment.content.replaceAll('\u200b', '') };
      });
    });
    const published = listDemoEssays().flatMap((essay) =>
      (['zh', 'en'] as const).filter((lang) => essay.titles[lang]).map((lang) => `/${lang}/essays/${essay.slug}/`),
    );
    expect(fragments.map((fragment) => fragment.url).sort()).toEqual(published.sort());
    for (const fragment of fragments) {
      expect(fragment.url.startsWith(`/${fragment.lang}/essays/`)).toBe(true);
      expect(fragment.content).not.toContain(draft.sentences.zh);
      expect(fragment.content).not.toContain(draft.sentences.en);
      for (const chrome of [
        '复制链接',
        'Copy link',
        '微信扫一扫',
        'Scan with WeChat',
        '分享到微博',
        'Share on Weibo',
        '分钟读完',
        ' min read',
      ]) {
        expect(fragment.content).not.toContain(chrome);
      }
    }
  });
});
