import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildShareCardTree,
  keepShareCardsCached,
  renderShareCard,
  renderShareCardCached,
  type ShareCardContent,
} from '../../src/lib/share/render-share-card.ts';
import { pruneKeptFiles, readKeptFile, writeKeptFile } from '../../src/lib/build/kept-files.ts';
import { getShareCardFileName } from '../../src/lib/share/share-card-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'duizhao-card-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const content: ShareCardContent = { title: '小红书上的“TikTok 难民”', byline: '观察者 · 2025年1月16日', siteName: '对照', language: 'zh' };
const fontFile = join(root, 'font.ttf');
writeFileSync(fontFile, 'font bytes');

describe('share card cache', () => {
  it('names a card by what it shows', async () => {
    const fileName = await getShareCardFileName(buildShareCardTree(content), [fontFile]);
    expect(await getShareCardFileName(buildShareCardTree({ ...content }), [fontFile])).toBe(fileName);
    expect(await getShareCardFileName(buildShareCardTree({ ...content, title: '小红书上的新用户' }), [fontFile])).not.toBe(fileName);
    expect(await getShareCardFileName(buildShareCardTree({ ...content, language: 'en' }), [fontFile])).not.toBe(fileName);
  });

  it('returns a kept card and nothing for an unknown one', async () => {
    const dir = join(root, 'keep');
    await writeKeptFile(dir, 'abc.png', new Uint8Array([1, 2, 3]));
    expect([...((await readKeptFile(dir, 'abc.png')) ?? [])]).toEqual([1, 2, 3]);
    expect(await readKeptFile(dir, 'missing.png')).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['abc.png']);
  });

  it('prunes the cards a build did not use, and leftovers of interrupted writes', async () => {
    const dir = join(root, 'prune');
    await writeKeptFile(dir, 'old.png', new Uint8Array([1]));
    await writeKeptFile(dir, 'used.png', new Uint8Array([2]));
    writeFileSync(join(dir, 'half.123.tmp'), 'x');
    const longAgo = new Date('2025-01-01T00:00:00Z');
    for (const name of ['old.png', 'used.png']) utimesSync(join(dir, name), longAgo, longAgo);
    const buildStarted = new Date(Date.now() - 1000);
    await readKeptFile(dir, 'used.png');
    expect(await pruneKeptFiles(dir, buildStarted)).toBe(2);
    expect(readdirSync(dir)).toEqual(['used.png']);
    expect(await pruneKeptFiles(join(root, 'never-made'), buildStarted)).toBe(0);
  });

  it('keeps the cards of pages an incremental build copies instead of rendering', async () => {
    const dir = join(root, 'copied-pages');
    await renderShareCardCached(content, dir);
    const [card] = readdirSync(dir);
    const longAgo = new Date('2025-01-01T00:00:00Z');
    utimesSync(join(dir, card ?? ''), longAgo, longAgo);
    const buildStarted = new Date(Date.now() - 1000);
    // A card never drawn is no error: its page draws it.
    await keepShareCardsCached([content, { ...content, title: '还没画过的卡片' }], dir);
    expect(await pruneKeptFiles(dir, buildStarted)).toBe(0);
    expect(readdirSync(dir)).toEqual([card]);
  });

  it('serves the same picture from the cache as a fresh rendering', async () => {
    const dir = join(root, 'render');
    const fresh = await renderShareCard(content);
    const first = await renderShareCardCached(content, dir);
    expect(readdirSync(dir)).toHaveLength(1);
    const second = await renderShareCardCached(content, dir);
    expect(Buffer.compare(first, fresh)).toBe(0);
    expect(Buffer.compare(second, fresh)).toBe(0);
    // The second call read the file: a kept card is served as it is, not drawn again.
    const [name] = readdirSync(dir);
    writeFileSync(join(dir, name ?? ''), 'kept');
    expect((await renderShareCardCached(content, dir)).toString()).toBe('kept');
  }, 20_000);
});
