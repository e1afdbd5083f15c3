import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { findChineseOnlyEssay, findTranslatedEssay, listDemoEssays, readEssayBody } from './fixtures.ts';

const essay = findTranslatedEssay();
const zh = readEssayBody(essay.slug, 'zh');
const en = readEssayBody(essay.slug, 'en');
const tags = { zh: 'zh-Hans', en: 'en' } as const;

/** The section headings of one language on the page, in order. */
function sectionHeadings(page: Page, lang: 'zh' | 'en'): Locator {
  return page.locator(`main [lang="${tags[lang]}"] > h2:not(.sr-only)`);
}

async function top(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box.y;
}

test.describe('the parallel view on a wide screen', () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  for (const lang of ['zh', 'en'] as const) {
    const other = lang === 'zh' ? 'en' : 'zh';

    test(`/${lang}/…/parallel/ pairs section k of one version with section k of the other, its own language first`, async ({ page }) => {
      await page.goto(`/${lang}/essays/${essay.slug}/parallel/`);
      await expect(page.locator('html')).toHaveAttribute('lang', tags[lang]);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(essay.titles[lang]);

      const own = sectionHeadings(page, lang);
      const theirs = sectionHeadings(page, other);
      await expect(own).toHaveCount(readEssayBody(essay.slug, lang).headings.length);
      await expect(theirs).toHaveCount(readEssayBody(essay.slug, other).headings.length);
      await expect(own.first()).toHaveText(readEssayBody(essay.slug, lang).headings[0] ?? '');

      // Same row: the two headings of each pair start at the same height, the page's language on the left.
      for (let index = 0; index < Math.min(zh.headings.length, en.headings.length); index += 1) {
        const [mine, counterpart] = [own.nth(index), theirs.nth(index)];
        expect(Math.abs((await top(mine)) - (await top(counterpart))), `section ${index + 1}`).toBeLessThan(2);
        expect((await mine.boundingBox())?.x).toBeLessThan((await counterpart.boundingBox())?.x ?? 0);
      }
    });
  }

  test('every block keeps its language, and every row puts the page language first', async ({ page }) => {
    await page.goto(`/en/essays/${essay.slug}/parallel/`);
    const rowLanguages = await page
      .locator('.parallel-text .parallel-row')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.children].map((cell) => (cell.textContent?.trim() ? cell.getAttribute('lang') : null))),
      );
    expect(rowLanguages.length).toBeGreaterThan(zh.headings.length);
    for (const languages of rowLanguages) expect(languages).toEqual(['en', 'zh-Hans']);
  });

  test('a chart is drawn once, in the page language, and named in the other text', async ({ page }) => {
    await page.goto(`/zh/essays/${essay.slug}/parallel/`);
    await expect(page.locator('chart-figure')).toHaveCount(zh.chartCount);
    for (const figure of await page.locator('chart-figure').all()) {
      expect(await figure.evaluate((element) => element.closest('[lang]')?.getAttribute('lang'))).toBe('zh-Hans');
    }
    await expect(page.locator('[lang="en"]').getByText(/只显示一次，见中文部分/)).toHaveCount(en.chartCount);
  });

  test('footnotes of the other version link to their own notes', async ({ page }) => {
    await page.goto(`/zh/essays/${essay.slug}/parallel/`);
    const reference = page.locator('[lang="en"] [data-footnote-ref]').first();
    test.skip((await reference.count()) === 0, 'this essay has no footnotes');
    await reference.click();
    const target = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(target).toMatch(/^en--/);
    await expect(page.locator(`[id="${target}"]`)).toBeInViewport();
    expect(
      await page
        .locator('[id]')
        .evaluateAll((elements) => elements.map((element) => element.id).filter((id, index, ids) => ids.indexOf(id) !== index)),
    ).toEqual([]);
  });

  test('a keyboard user can reach the way back, the contents and links in both languages', async ({ page }) => {
    // Each Tab starts a smooth scroll to the focused link; a test types faster than any reader, and an
    // unfinished scroll from the last Tab would carry the page past the heading the contents link jumps to.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`/zh/essays/${essay.slug}/parallel/`);
    const back = page.getByRole('link', { name: '返回正文' });
    const contents = page.getByRole('navigation', { name: '目录' }).getByRole('link').first();
    const otherLanguageLink = page.locator('.parallel-text [lang="en"] a[href^="/"]').first();
    const reached = new Set<string>();
    for (let presses = 0; presses < 60 && reached.size < 3; presses += 1) {
      await page.keyboard.press('Tab');
      for (const [name, locator] of [
        ['back', back],
        ['contents', contents],
        ['other', otherLanguageLink],
      ] as const) {
        if (await locator.evaluate((element) => element === document.activeElement)) reached.add(name);
      }
    }
    expect([...reached].sort()).toEqual(['back', 'contents', 'other']);
    expect(await otherLanguageLink.evaluate((link) => getComputedStyle(link).outlineStyle)).not.toBe('none');

    await contents.focus();
    await page.keyboard.press('Enter');
    await expect(sectionHeadings(page, 'zh').first()).toBeInViewport();
  });

  test('is noindex, out of the sitemap, and linked to its counterpart in the other language', async ({ page, request }) => {
    await page.goto(`/en/essays/${essay.slug}/parallel/`);
    const head = page.locator('head');
    await expect(head.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex');
    await expect(head.locator('link[hreflang="zh-Hans"]')).toHaveAttribute('href', new RegExp(`/zh/essays/${essay.slug}/parallel/$`));
    await expect(head.locator('link[rel="canonical"]')).toHaveAttribute('href', new RegExp(`/en/essays/${essay.slug}/parallel/$`));
    await page.getByRole('navigation', { name: 'Switch language' }).getByRole('link', { name: '中文' }).click();
    await expect(page).toHaveURL(`/zh/essays/${essay.slug}/parallel/`);
    expect(await (await request.get('/sitemap-0.xml')).text()).not.toContain('/parallel/');
  });
});

test('on a narrow screen the two versions interleave, the page language first', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`/en/essays/${essay.slug}/parallel/`);
  const [own, theirs] = [sectionHeadings(page, 'en'), sectionHeadings(page, 'zh')];
  const tops = [await top(own.nth(0)), await top(theirs.nth(0)), await top(own.nth(1)), await top(theirs.nth(1))];
  expect([...tops].sort((a, b) => a - b)).toEqual(tops);
  expect(new Set(tops).size).toBe(4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('the essay page links to the parallel view only when both versions exist', async ({ page, request }) => {
  await page.goto(`/zh/essays/${essay.slug}/`);
  await page.getByRole('link', { name: '中英对照' }).click();
  await expect(page).toHaveURL(`/zh/essays/${essay.slug}/parallel/`);
  await page.getByRole('link', { name: '返回正文' }).click();
  await expect(page).toHaveURL(`/zh/essays/${essay.slug}/`);

  const chineseOnly = findChineseOnlyEssay();
  await page.goto(`/zh/essays/${chineseOnly.slug}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(chineseOnly.titles.zh);
  await expect(page.getByRole('link', { name: '中英对照' })).toHaveCount(0);
  await expect(page.locator('details.counterpart')).toHaveCount(0);
  for (const lang of ['zh', 'en']) expect((await request.get(`/${lang}/essays/${chineseOnly.slug}/parallel/`)).status()).toBe(404);
});

test.describe('revealing the other language in place', () => {
  for (const lang of ['en', 'zh'] as const) {
    const other = lang === 'zh' ? 'en' : 'zh';
    const label = lang === 'zh' ? '显示英文' : 'Show Chinese';

    test(`on /${lang}/, each section opens its counterpart under the heading, by keyboard (${label})`, async ({ page }) => {
      await page.goto(`/${lang}/essays/${essay.slug}/`);
      const own = readEssayBody(essay.slug, lang).headings;
      const theirs = readEssayBody(essay.slug, other).headings;
      const toggles = page.locator('details.counterpart > summary');
      await expect(toggles).toHaveCount(Math.min(own.length, theirs.length));

      const toggle = toggles.nth(1);
      await expect(toggle).toHaveAccessibleName(`${label}${lang === 'zh' ? '：' : ': '}${own[1]}`);
      const counterpart = page.getByText(theirs[1] ?? '', { exact: true });
      await expect(counterpart).toBeHidden();
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(counterpart).toBeVisible();
      expect(await counterpart.evaluate((element) => element.closest('[lang]')?.getAttribute('lang'))).toBe(tags[other]);
      // It opens right under its own heading, before the section's text.
      const heading = page.getByRole('heading', { level: 2, name: own[1] });
      expect(await heading.evaluate((element) => element.nextElementSibling?.tagName)).toBe('DETAILS');
      await page.keyboard.press('Enter');
      await expect(counterpart).toBeHidden();
    });
  }

  test('an opened counterpart has no axe violations and adds no heading to the outline', async ({ page }) => {
    await page.goto(`/en/essays/${essay.slug}/`);
    const counterparts = page.locator('details.counterpart');
    for (const toggle of await counterparts.locator('> summary').all()) await toggle.click();
    for (const counterpart of await counterparts.all()) await expect(counterpart).toHaveAttribute('open', '');
    // Counted inside the opened counterparts: the page's own count changes as approved comments load.
    await expect(counterparts.getByRole('heading')).toHaveCount(0);
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
});

test('an essay lists related essays by shared tags, in the reader’s language', async ({ page }) => {
  const others = listDemoEssays().filter((candidate) => candidate.slug !== essay.slug);
  const shared = (candidate: (typeof others)[number]) => candidate.tags.filter((tag) => essay.tags.includes(tag)).length;
  const expected = others
    .filter((candidate) => shared(candidate) > 0)
    .sort((a, b) => shared(b) - shared(a) || b.published.localeCompare(a.published))
    .slice(0, 3);
  expect(expected.length).toBeGreaterThan(0);

  await page.goto(`/en/essays/${essay.slug}/`);
  const related = page.getByRole('region', { name: 'Related essays' });
  const links = related.getByRole('link');
  await expect(links).toHaveText(expected.map((candidate) => candidate.titles.en ?? candidate.titles.zh ?? ''));
  const untranslated = expected.find((candidate) => !candidate.titles.en);
  if (untranslated) {
    await expect(
      related
        .getByRole('listitem')
        .filter({ hasText: untranslated.titles.zh ?? '' })
        .getByText('Chinese', { exact: true }),
    ).toBeVisible();
  }
  // After the tags, before previous/next.
  const order = await page.locator('.essay-footer > *').evaluateAll((elements) => elements.map((element) => element.className));
  expect(order.indexOf('related')).toBeGreaterThan(order.indexOf('tag-list'));
  expect(order.indexOf('related')).toBeLessThan(order.indexOf('prev-next'));
});
