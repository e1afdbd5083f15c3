import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { findPackageJSON } from 'node:module';
import { join } from 'node:path';

/**
 * Share cards kept between builds: a card is rendered again only when what it shows changes.
 * A card is named by a hash of everything that decides its pixels (the laid-out element tree,
 * the fonts' files and the renderer versions), so a changed title, a new design or an upgraded
 * renderer never serves an old picture.
 */

/** The build's endpoints learn the folder from the integration (integrations/share-card-cache.ts) through this variable. */
export const shareCardCacheDirVariable = 'DUIZHAO_SHARE_CARD_CACHE_DIR';

/** Where cards are kept: in Astro's cache folder (`cacheDir`, node_modules/.astro by default). */
export function getShareCardCacheDir(astroCacheDir: string): string {
  return join(astroCacheDir, 'share-cards');
}

let rendererIdentity: Promise<string> | undefined;

/** satori's and resvg's versions and the font files (by size and path), read once per build. */
function getRendererIdentity(fontFiles: readonly string[]): Promise<string> {
  rendererIdentity ??= (async () => {
    const versions = await Promise.all(
      ['satori', '@resvg/resvg-js'].map(async (name) => {
        const manifest = findPackageJSON(name, import.meta.url);
        return manifest ? `${name}@${(JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version}` : name;
      }),
    );
    const fonts = await Promise.all(fontFiles.map(async (file) => `${file}:${(await stat(file)).size}`));
    return [...versions, ...fonts].join('\n');
  })();
  return rendererIdentity;
}

/** The card's name in the cache folder (build/kept-files.ts keeps, touches and prunes it). */
export async function getShareCardFileName(cardTree: unknown, fontFiles: readonly string[]): Promise<string> {
  const hash = createHash('sha256')
    .update(await getRendererIdentity(fontFiles))
    .update('\0')
    .update(JSON.stringify(cardTree))
    .digest('hex');
  return `${hash}.png`;
}
