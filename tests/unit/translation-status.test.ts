import { describe, expect, it } from 'vitest';
import { getRevision } from '../../src/lib/authoring/revision.ts';
import { getEssayInLocale, groupEssays, type EssayEntry } from '../../src/lib/essays.ts';
import { getStaleTranslation } from '../../src/lib/translation-status.ts';

function makeEntry(id: string, body: string, data: Partial<EssayEntry['data']> = {}): EssayEntry {
  return {
    id,
    collection: 'essays',
    body,
    filePath: `content/essays/${id}.mdx`,
    data: {
      title: id,
      summary: 'summary',
      published: new Date('2025-01-20'),
      author: { collection: 'authors', id: 'observer' },
      category: { collection: 'categories', id: 'observation' },
      tags: [],
      draft: false,
      ...data,
    },
  } as EssayEntry;
}

const fileDate = new Date('2025-03-03');
const getFileDate = () => fileDate;

function stalenessOf(entries: EssayEntry[], locale: 'zh' | 'en') {
  const [essay] = groupEssays(entries, { includeDrafts: false });
  if (!essay) throw new Error('no essay');
  return getStaleTranslation(essay, getEssayInLocale(essay, locale), getFileDate);
}

describe('stale translations', () => {
  it('are translations whose recorded revision no longer matches the original body', () => {
    const entries = [
      makeEntry('pair/zh', '新的正文。', { updated: new Date('2025-02-02') }),
      makeEntry('pair/en', 'Text.', { translatedFrom: { lang: 'zh', revision: getRevision('旧的正文。') } }),
    ];
    expect(stalenessOf(entries, 'en')).toEqual({ originalLocale: 'zh', originalUpdated: new Date('2025-02-02') });
    expect(stalenessOf(entries, 'zh')).toBeUndefined();
  });

  it('date the change by the file when the original has no updated date', () => {
    const entries = [
      makeEntry('pair/en', 'New text.'),
      makeEntry('pair/zh', '正文。', { translatedFrom: { lang: 'en', revision: getRevision('Old text.') } }),
    ];
    expect(stalenessOf(entries, 'zh')).toEqual({ originalLocale: 'en', originalUpdated: fileDate });
  });

  it('are not current translations, unmarked ones, or ones whose original is not published', () => {
    expect(
      stalenessOf(
        [makeEntry('pair/zh', '正文。'), makeEntry('pair/en', 'T.', { translatedFrom: { lang: 'zh', revision: getRevision('正文。') } })],
        'en',
      ),
    ).toBeUndefined();
    expect(stalenessOf([makeEntry('pair/zh', '正文。'), makeEntry('pair/en', 'T.')], 'en')).toBeUndefined();
    const draftOriginal = [
      makeEntry('pair/zh', '新。', { draft: true }),
      makeEntry('pair/en', 'T.', { translatedFrom: { lang: 'zh', revision: getRevision('旧。') } }),
    ];
    expect(stalenessOf(draftOriginal, 'en')).toBeUndefined();
  });
});
