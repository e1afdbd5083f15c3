import { describe, expect, it } from 'vitest';
import {
  countTags,
  filterByTag,
  getAdjacentEssays,
  getCounterpart,
  getEssayInLocale,
  getRelatedEssays,
  groupByYear,
  groupEssays,
  isInAllLocales,
  listEssaysInLocale,
  parseEssayId,
  type EssayEntry,
} from '../../src/lib/essays.ts';

function makeEntry(id: string, published: string, options: { draft?: boolean; tags?: string[] } = {}): EssayEntry {
  return {
    id,
    collection: 'essays',
    data: {
      title: id,
      summary: 'summary',
      published: new Date(published),
      author: { collection: 'authors', id: 'observer' },
      category: { collection: 'categories', id: 'observation' },
      tags: (options.tags ?? []).map((tag) => ({ collection: 'tags', id: tag })),
      draft: options.draft ?? false,
    },
  } as EssayEntry;
}

const entries = [
  makeEntry('wave/zh', '2025-01-20', { tags: ['xiaohongshu'] }),
  makeEntry('wave/en', '2025-01-20', { tags: ['xiaohongshu'] }),
  makeEntry('only-chinese/zh', '2025-02-01', { tags: ['xiaohongshu', 'data'] }),
  makeEntry('old/en', '2024-06-01'),
  makeEntry('old/zh', '2024-06-01'),
  makeEntry('draft/zh', '2025-03-01', { draft: true }),
];

describe('pairing translations', () => {
  it('reads slug and locale from the file id', () => {
    expect(parseEssayId('wave/zh')).toEqual({ slug: 'wave', locale: 'zh' });
    expect(() => parseEssayId('wave/fr')).toThrow(/zh.mdx or en.mdx/);
    expect(() => parseEssayId('wave')).toThrow();
  });

  it('groups the versions of each essay by folder', () => {
    const essays = groupEssays(entries, { includeDrafts: false });
    expect(essays.map((essay) => essay.slug).sort()).toEqual(['old', 'only-chinese', 'wave']);
    const wave = essays.find((essay) => essay.slug === 'wave');
    expect(Object.keys(wave?.versions ?? {}).sort()).toEqual(['en', 'zh']);
  });

  it('keeps drafts out of production and in while writing', () => {
    expect(groupEssays(entries, { includeDrafts: false }).some((essay) => essay.slug === 'draft')).toBe(false);
    expect(groupEssays(entries, { includeDrafts: true }).some((essay) => essay.slug === 'draft')).toBe(true);
  });

  it('gives a reader the version in their language, else the one that exists', () => {
    const [onlyChinese] = groupEssays(
      entries.filter((entry) => entry.id.startsWith('only-chinese')),
      { includeDrafts: false },
    );
    if (!onlyChinese) throw new Error('missing');
    expect(getEssayInLocale(onlyChinese, 'en')).toMatchObject({ isTranslated: false, entryLocale: 'zh' });
    expect(getEssayInLocale(onlyChinese, 'zh')).toMatchObject({ isTranslated: true, entryLocale: 'zh' });
  });

  it('knows which essays exist in both languages, and each version’s counterpart', () => {
    const essays = groupEssays(entries, { includeDrafts: false });
    expect(
      essays
        .filter(isInAllLocales)
        .map((essay) => essay.slug)
        .sort(),
    ).toEqual(['old', 'wave']);
    const [wave, onlyChinese] = ['wave', 'only-chinese'].map((slug) => essays.find((essay) => essay.slug === slug));
    if (!wave || !onlyChinese) throw new Error('missing');
    expect(getCounterpart(wave, 'zh')?.id).toBe('wave/en');
    expect(getCounterpart(wave, 'en')?.id).toBe('wave/zh');
    expect(getCounterpart(onlyChinese, 'zh')).toBeUndefined();
  });
});

describe('lists', () => {
  const english = listEssaysInLocale(groupEssays(entries, { includeDrafts: false }), 'en');

  it('sorts newest first', () => {
    expect(english.map((essay) => essay.slug)).toEqual(['only-chinese', 'wave', 'old']);
  });

  it('finds the older and newer neighbours', () => {
    const { previous, next } = getAdjacentEssays(english, 'wave');
    expect(previous?.slug).toBe('old');
    expect(next?.slug).toBe('only-chinese');
    expect(getAdjacentEssays(english, 'old').previous).toBeUndefined();
  });

  it('groups by year, newest year first', () => {
    expect(groupByYear(english).map(({ year, essays }) => [year, essays.length])).toEqual([
      [2025, 2],
      [2024, 1],
    ]);
  });

  it('filters and counts tags', () => {
    expect(filterByTag(english, 'data').map((essay) => essay.slug)).toEqual(['only-chinese']);
    expect(Object.fromEntries(countTags(english))).toEqual({ xiaohongshu: 2, data: 1 });
  });
});

describe('related essays', () => {
  const related = [
    makeEntry('current/en', '2025-01-10', { tags: ['a', 'b', 'c'] }),
    makeEntry('one-tag-new/en', '2025-03-01', { tags: ['a'] }),
    makeEntry('two-tags-old/en', '2024-01-01', { tags: ['a', 'b', 'x'] }),
    makeEntry('two-tags-new/zh', '2025-02-01', { tags: ['b', 'c'] }),
    makeEntry('three-tags/en', '2023-05-01', { tags: ['c', 'b', 'a'] }),
    makeEntry('no-tag-in-common/en', '2025-04-01', { tags: ['x'] }),
    makeEntry('one-tag-old/en', '2020-01-01', { tags: ['c'] }),
  ];
  const list = listEssaysInLocale(groupEssays(related, { includeDrafts: false }), 'en');
  const current = list.find((essay) => essay.slug === 'current');
  if (!current) throw new Error('missing');

  it('ranks by tags in common, then by recency, at most three, never the essay itself', () => {
    expect(getRelatedEssays(list, current).map((essay) => essay.slug)).toEqual(['three-tags', 'two-tags-new', 'two-tags-old']);
    expect(getRelatedEssays(list, current, 5).map((essay) => essay.slug)).toEqual([
      'three-tags',
      'two-tags-new',
      'two-tags-old',
      'one-tag-new',
      'one-tag-old',
    ]);
  });

  it('keeps each essay as the reader sees it, untranslated ones included', () => {
    expect(getRelatedEssays(list, current).find((essay) => essay.slug === 'two-tags-new')).toMatchObject({
      isTranslated: false,
      entryLocale: 'zh',
    });
  });

  it('leaves out drafts, also while writing', () => {
    const withDraft = listEssaysInLocale(
      groupEssays([...related, makeEntry('draft/en', '2025-05-01', { tags: ['a', 'b', 'c'], draft: true })], { includeDrafts: true }),
      'en',
    );
    expect(getRelatedEssays(withDraft, current).map((essay) => essay.slug)).not.toContain('draft');
  });

  it('finds nothing for an essay without tags', () => {
    const untagged = list.find((essay) => essay.slug === 'no-tag-in-common');
    if (!untagged) throw new Error('missing');
    expect(getRelatedEssays(list, { ...untagged, entry: { ...untagged.entry, data: { ...untagged.entry.data, tags: [] } } })).toEqual([]);
  });
});
