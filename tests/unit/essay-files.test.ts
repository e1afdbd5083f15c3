import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCatalogLocales, getCatalogVersion } from '../../src/lib/essay-catalog.ts';
import { isDraftSource, listUnpublishedEssayPaths, readEssayCatalog } from '../../src/lib/essay-files.ts';

describe('essay files', () => {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-essays-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function write(path: string, draft = false, title = 'x') {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `---\ntitle: ${JSON.stringify(title)}\ndraft: ${draft}\n---\nbody draft: true\n`);
  }

  write('both/zh.mdx', false, '当 "TikTok 难民" 来到小红书');
  write('both/en.mdx', false, 'When "TikTok refugees" came: a note');
  write('zh-only/zh.mdx');
  write('en-draft/zh.mdx');
  write('en-draft/en.mdx', true);
  write('all-draft/zh.mdx', true);

  it('reads the draft flag from frontmatter only', () => {
    expect(isDraftSource('---\ndraft: true\n---\n')).toBe(true);
    expect(isDraftSource('---\ntitle: a\n---\ndraft: true\n')).toBe(false);
  });

  it('lists the notice pages that stand in for missing translations', () => {
    expect([...listUnpublishedEssayPaths(root, { includeDrafts: false })].sort()).toEqual(['/en/essays/en-draft/', '/en/essays/zh-only/']);
    expect([...listUnpublishedEssayPaths(root, { includeDrafts: true })].sort()).toEqual(['/en/essays/all-draft/', '/en/essays/zh-only/']);
  });

  it('catalogs published essays with their titles, for the on-demand routes', () => {
    const catalog = readEssayCatalog(root, { includeDrafts: false });
    expect(catalog.map((essay) => essay.slug)).toEqual(['both', 'en-draft', 'zh-only']);
    const both = catalog[0]!;
    expect(both.titles).toEqual({ zh: '当 "TikTok 难民" 来到小红书', en: 'When "TikTok refugees" came: a note' });
    expect(getCatalogLocales(catalog[1]!)).toEqual(['zh']);
    // A reader of English is shown the Chinese version of an essay with no English one.
    expect(getCatalogVersion(catalog[2]!, 'en')).toEqual({ locale: 'zh', title: 'x' });
    expect(readEssayCatalog(root, { includeDrafts: true }).map((essay) => essay.slug)).toEqual([
      'all-draft',
      'both',
      'en-draft',
      'zh-only',
    ]);
  });

  it('leaves out versions whose frontmatter cannot be read (the build names those files)', () => {
    writeFileSync(join(root, 'zh-only/en.mdx'), '---\ntitle: [unclosed\n---\n');
    expect(readEssayCatalog(root, { includeDrafts: false }).find((essay) => essay.slug === 'zh-only')?.titles).toEqual({ zh: 'x' });
  });

  it('carries each essay author’s display names, from the version in that language or else the other', () => {
    const site = mkdtempSync(join(tmpdir(), 'duizhao-authors-'));
    try {
      const file = (path: string, text: string) => {
        mkdirSync(join(site, path, '..'), { recursive: true });
        writeFileSync(join(site, path), text);
      };
      file('authors/observer.json', JSON.stringify({ name: { zh: '观察者', en: 'The observer' } }));
      file('authors/guest.json', JSON.stringify({ name: { zh: '客人', en: 'The guest' } }));
      file('authors/broken.json', '{ not json');
      file('essays/default/zh.mdx', '---\ntitle: 默认\n---\n');
      file('essays/guest-zh-only/zh.mdx', '---\ntitle: 客\nauthor: guest\n---\n');
      file('essays/translated-by-guest/zh.mdx', '---\ntitle: 译\n---\n');
      file('essays/translated-by-guest/en.mdx', '---\ntitle: Translated\nauthor: guest\n---\n');
      file('essays/broken-author/zh.mdx', '---\ntitle: 坏\nauthor: broken\n---\n');
      const catalog = readEssayCatalog(join(site, 'essays'), { includeDrafts: false, authorsDir: join(site, 'authors') });
      const names = Object.fromEntries(catalog.map((essay) => [essay.slug, essay.authorNames]));
      expect(names).toEqual({
        default: { zh: '观察者', en: 'The observer' },
        // An English reply under a Chinese-only essay is signed with the author's English name.
        'guest-zh-only': { zh: '客人', en: 'The guest' },
        'translated-by-guest': { zh: '观察者', en: 'The guest' },
        'broken-author': {},
      });
      expect(readEssayCatalog(join(site, 'essays'), { includeDrafts: false })[0]).not.toHaveProperty('authorNames');
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });
});
