import type { CollectionEntry } from 'astro:content';
import { describe, expect, it } from 'vitest';
import { createPageCacheKeys, type PageCacheSnapshot } from '../../src/lib/build/page-cache-keys.ts';
import { getRevision } from '../../src/lib/authoring/revision.ts';
import { groupEssays, type Essay, type EssayEntry } from '../../src/lib/essays.ts';

interface EntryOptions {
  title?: string;
  published?: string;
  tags?: string[];
  body?: string;
  draft?: boolean;
  translatedFrom?: { lang: 'zh' | 'en'; revision: string };
}

function makeEntry(id: string, options: EntryOptions = {}): EssayEntry {
  return {
    id,
    collection: 'essays',
    body: options.body ?? `The text of ${id}.`,
    filePath: `content/essays/${id}.mdx`,
    data: {
      title: options.title ?? id,
      summary: 'summary',
      published: new Date(options.published ?? '2025-01-20'),
      author: { collection: 'authors', id: 'observer' },
      category: { collection: 'categories', id: 'observation' },
      tags: (options.tags ?? ['xiaohongshu']).map((tag) => ({ collection: 'tags', id: tag })),
      draft: options.draft ?? false,
      ...(options.translatedFrom && { translatedFrom: options.translatedFrom }),
    },
  } as EssayEntry;
}

function makeNamed<C extends 'tags' | 'categories'>(collection: C, id: string, zh: string, en: string) {
  return { id, collection, data: { id, zh, en } } as CollectionEntry<C>;
}

const author = {
  id: 'observer',
  collection: 'authors',
  data: { name: { zh: '观察者', en: 'The observer' }, bio: { zh: '简介', en: 'Bio' } },
} as CollectionEntry<'authors'>;

function makeDataset(id: string, firstValue: number) {
  return {
    id,
    collection: 'datasets',
    data: { id, series: [{ id: 'views', values: [firstValue] }] },
  } as unknown as CollectionEntry<'datasets'>;
}

const baseEntries = {
  wave: makeEntry('wave/zh', { published: '2025-01-20', body: 'Text with <Chart dataset="views-daily" />.' }),
  waveEn: makeEntry('wave/en', { published: '2025-01-20', body: 'English text with <Chart dataset="views-daily" />.' }),
  older: makeEntry('older/zh', { published: '2024-06-01', tags: ['xiaohongshu', 'data'] }),
  oldest: makeEntry('oldest/zh', { published: '2023-01-01', tags: ['culture'] }),
};

function makeSnapshot(changes: Partial<Record<keyof typeof baseEntries, EssayEntry>> = {}, overrides: Partial<PageCacheSnapshot> = {}) {
  const entries = Object.values({ ...baseEntries, ...changes });
  const snapshot: PageCacheSnapshot = {
    essays: groupEssays(entries, { includeDrafts: false }),
    tags: [
      makeNamed('tags', 'xiaohongshu', '小红书', 'RedNote'),
      makeNamed('tags', 'data', '数据', 'Data'),
      makeNamed('tags', 'culture', '文化', 'Culture'),
    ],
    categories: [makeNamed('categories', 'observation', '观察', 'Observation')],
    authors: [author],
    datasets: [makeDataset('views-daily', 1), makeDataset('users-monthly', 2)],
    getFileDate: () => new Date('2025-01-01'),
    ...overrides,
  };
  return { snapshot, keys: createPageCacheKeys(snapshot) };
}

function findEssay(snapshot: PageCacheSnapshot, slug: string): Essay {
  const essay = snapshot.essays.find((candidate) => candidate.slug === slug);
  if (!essay) throw new Error(`no essay ${slug}`);
  return essay;
}

/** Every key of the site, by a readable name, for comparing two snapshots. */
function listKeys({ snapshot, keys }: ReturnType<typeof makeSnapshot>): Record<string, string> {
  const listed: Record<string, string> = {};
  for (const lang of ['zh', 'en'] as const) {
    for (const essay of snapshot.essays) {
      listed[`${lang} essay ${essay.slug}`] = keys.essay(essay, lang);
      listed[`${lang} parallel ${essay.slug}`] = keys.parallel(essay, lang);
      listed[`${lang} card ${essay.slug}`] = keys.shareCard(essay, lang);
    }
    listed[`${lang} list`] = keys.essayList(lang);
    listed[`${lang} feed`] = keys.feed(lang);
    listed[`${lang} tag index`] = keys.tagIndex(lang);
    for (const tag of snapshot.tags) listed[`${lang} tag ${tag.id}`] = keys.tag(tag, lang);
    for (const dataset of snapshot.datasets) listed[`${lang} data page ${dataset.id}`] = keys.datasetPage(dataset, lang);
    listed[`${lang} data list`] = keys.datasetList(lang);
  }
  for (const dataset of snapshot.datasets) listed[`dataset ${dataset.id}`] = keys.dataset(dataset);
  return listed;
}

/** The names of the keys that differ between two snapshots: the pages an incremental build renders again. */
function listChangedKeys(after: ReturnType<typeof makeSnapshot>): string[] {
  const before = listKeys(makeSnapshot());
  const changed = listKeys(after);
  const names = new Set([...Object.keys(before), ...Object.keys(changed)]);
  return [...names].filter((name) => before[name] !== changed[name]).sort();
}

describe('page cache keys', () => {
  it('are the same for the same content', () => {
    expect(listKeys(makeSnapshot())).toEqual(listKeys(makeSnapshot()));
  });

  it('an essay’s text changes its own pages only (and not its share card)', () => {
    const changed = listChangedKeys(
      makeSnapshot({ waveEn: makeEntry('wave/en', { body: 'New English text with <Chart dataset="views-daily" />.' }) }),
    );
    expect(changed).toEqual(['en essay wave', 'en parallel wave', 'zh essay wave', 'zh parallel wave']);
  });

  it('a title changes the lists, the feeds, tag pages and the essays that link to it', () => {
    const changed = listChangedKeys(
      makeSnapshot({ older: makeEntry('older/zh', { title: 'A new title', published: '2024-06-01', tags: ['xiaohongshu', 'data'] }) }),
    );
    expect(changed).toEqual(
      expect.arrayContaining([
        'zh list',
        'en list',
        'zh feed',
        'zh tag xiaohongshu',
        'zh tag data',
        'zh card older',
        'zh essay older',
        // Its neighbours (previous/next) and the essay that lists it as related.
        'zh essay wave',
        'zh essay oldest',
      ]),
    );
    expect(changed).not.toContain('zh tag culture');
    expect(changed).not.toContain('dataset views-daily');
  });

  it('a dataset changes the data files and the essays that embed it', () => {
    const changed = listChangedKeys(makeSnapshot({}, { datasets: [makeDataset('views-daily', 5), makeDataset('users-monthly', 2)] }));
    expect(changed).toEqual([
      'dataset views-daily',
      'en data list',
      'en data page views-daily',
      'en essay wave',
      'en parallel wave',
      'zh data list',
      'zh data page views-daily',
      'zh essay wave',
      'zh parallel wave',
    ]);
  });

  it('the title of an essay that cites a dataset changes that data page and the data list, not the others', () => {
    const changed = listChangedKeys(
      makeSnapshot({
        wave: makeEntry('wave/zh', { title: '新标题', published: '2025-01-20', body: 'Text with <Chart dataset="views-daily" />.' }),
      }),
    );
    expect(changed).toEqual(expect.arrayContaining(['zh data page views-daily', 'en data page views-daily', 'zh data list']));
    expect(changed).not.toContain('zh data page users-monthly');
    expect(changed).not.toContain('dataset views-daily');
  });

  it('a tag’s name changes the pages that show it', () => {
    const tags = [
      makeNamed('tags', 'xiaohongshu', '小红书', 'RedNote'),
      makeNamed('tags', 'data', '数据', 'Data'),
      makeNamed('tags', 'culture', '文化', 'Cultures'),
    ];
    const changed = listChangedKeys(makeSnapshot({}, { tags }));
    expect(changed).toEqual(expect.arrayContaining(['en tag culture', 'zh tag culture', 'en tag index', 'en feed', 'en essay oldest']));
    expect(changed).not.toContain('en essay wave');
    expect(changed).not.toContain('en list');
  });

  it('a draft is left out until it is published', () => {
    const drafted = makeSnapshot({ oldest: makeEntry('oldest/zh', { published: '2023-01-01', tags: ['culture'], draft: true }) });
    expect(drafted.snapshot.essays.map((essay) => essay.slug)).not.toContain('oldest');
    expect(drafted.keys.essayList('zh')).not.toBe(makeSnapshot().keys.essayList('zh'));
  });

  it('a stale translation’s notice follows the date its original last changed', () => {
    const keyOn = (waveEn: EssayEntry, date: string) => {
      const { snapshot, keys } = makeSnapshot({ waveEn }, { getFileDate: () => new Date(date) });
      return keys.essay(findEssay(snapshot, 'wave'), 'en');
    };
    const stale = makeEntry('wave/en', { translatedFrom: { lang: 'zh', revision: 'not-the-current-one' } });
    expect(keyOn(stale, '2025-01-01')).not.toBe(keyOn(stale, '2025-02-01'));
    // A current translation shows no notice: the file's date does not matter then.
    const current = makeEntry('wave/en', { translatedFrom: { lang: 'zh', revision: getRevision(baseEntries.wave.body ?? '') } });
    expect(keyOn(current, '2025-01-01')).toBe(keyOn(current, '2025-02-01'));
  });
});
