import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { getShareCardCacheDir, pruneCachedCards, shareCardCacheDirVariable } from '../lib/share/share-card-cache.ts';

/**
 * Keeps share cards between builds in Astro's cache folder, and after each build removes the
 * cards it did not use (old titles, a previous design), so the folder holds one build's cards.
 */
export function shareCardCache(): AstroIntegration {
  let cacheDir = '';
  let buildStarted = new Date();
  return {
    name: 'duizhao-share-card-cache',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = getShareCardCacheDir(fileURLToPath(config.cacheDir));
        process.env[shareCardCacheDirVariable] = cacheDir;
      },
      'astro:build:start': () => {
        // File times have one-second resolution on some file systems: cards used in this build are newer.
        buildStarted = new Date(Date.now() - 1000);
      },
      'astro:build:done': async ({ logger }) => {
        const removed = await pruneCachedCards(cacheDir, buildStarted);
        if (removed > 0) logger.info(`removed ${removed} share cards no page uses any more`);
      },
    },
  };
}
