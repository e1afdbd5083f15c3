import { parentPort } from 'node:worker_threads';
import { renderTreePng, type CardNode } from './render-share-card.ts';

/**
 * Draws share cards off the build's main thread (see card-render-pool.ts). Run by Node directly,
 * not through the build's bundler, so it and what it imports use only erasable TypeScript.
 */
parentPort?.on('message', async ({ id, tree }: { id: number; tree: CardNode }) => {
  try {
    const png = await renderTreePng(tree);
    parentPort?.postMessage({ id, png });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
