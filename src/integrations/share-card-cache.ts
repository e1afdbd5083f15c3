import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { cardWorkerVariable } from '../lib/share/card-render-pool.ts';
import { pruneKeptFiles } from '../lib/build/kept-files.ts';
import { getShareCardCacheDir, shareCardCacheDirVariable } from '../lib/share/share-card-cache.ts';

/**
 * Keeps share cards between builds in Astro's cache folder, and after each build removes the
 * cards it did not use (old titles, a previous design), so the folder holds one build's cards.
 * During a build, new cards are drawn on a worker thread (card-render-pool.ts).
 */
export function shareCardCache(): AstroIntegration {
  let cacheDir = '';
  let workerPath = '';
  let buildStarted = new Date();
  return {
    name: 'duizhao-share-card-cache',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = getShareCardCacheDir(fileURLToPath(config.cacheDir));
        process.env[shareCardCacheDirVariable] = cacheDir;
        workerPath = fileURLToPath(new URL('src/lib/share/card-worker.ts', config.root));
      },
      'astro:build:start': () => {
        process.env[cardWorkerVariable] = workerPath;
        // File times have one-second resolution on some file systems: cards used in this build are newer.
        buildStarted = new Date(Date.now() - 1000);
      },
      'astro:build:done': async ({ logger }) => {
        delete process.env[cardWorkerVariable];
        const removed = await pruneKeptFiles(cacheDir, buildStarted);
        if (removed > 0) logger.info(`removed ${removed} share cards no page uses any more`);
      },
    },
  };
}
