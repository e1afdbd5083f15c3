import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCardRenderPool } from '../../src/lib/share/card-render-pool.ts';
import { buildShareCardTree, renderTreePng, type ShareCardContent } from '../../src/lib/share/render-share-card.ts';

const workerPath = fileURLToPath(new URL('../../src/lib/share/card-worker.ts', import.meta.url));
const cards: ShareCardContent[] = [
  { title: '小红书上的“TikTok 难民”', byline: '观察者 · 2025年1月16日', siteName: '对照', language: 'zh' },
  {
    title: 'A week of numbers on RedNote',
    summary: 'Why they came, and who stayed.',
    byline: 'The observer · January 18, 2025',
    siteName: 'duizhao',
    language: 'en',
  },
];

describe('share card workers', () => {
  it('draw the same cards as this thread, several at once', async () => {
    const renderedHere: string[] = [];
    const pool = createCardRenderPool(
      workerPath,
      async (tree) => {
        renderedHere.push(JSON.stringify(tree));
        return renderTreePng(tree);
      },
      2,
    );
    const trees = [...cards, ...cards].map(buildShareCardTree);
    const fromWorkers = await Promise.all(trees.map((tree) => pool.render(tree)));
    const fromHere = await Promise.all(trees.slice(0, 2).map(renderTreePng));
    expect(renderedHere).toEqual([]);
    expect(fromWorkers.map((png, index) => png.equals(fromHere[index % 2] ?? Buffer.alloc(0)))).toEqual([true, true, true, true]);
  }, 60_000);

  it('fall back to this thread when the worker cannot start, and without a worker script', async () => {
    const tree = buildShareCardTree(cards[0] as ShareCardContent);
    let renderedHere = 0;
    const renderHere = async () => {
      renderedHere += 1;
      return Buffer.from('drawn here');
    };
    const broken = createCardRenderPool('/nonexistent/card-worker.ts', renderHere, 1);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      expect((await broken.render(tree)).toString()).toBe('drawn here');
      expect((await broken.render(tree)).toString()).toBe('drawn here');
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.join()).toMatch(/card worker stopped/);
    expect((await createCardRenderPool(undefined, renderHere).render(tree)).toString()).toBe('drawn here');
    expect(renderedHere).toBe(3);
  });
});
