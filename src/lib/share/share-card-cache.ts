import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
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

export async function getShareCardKey(cardTree: unknown, fontFiles: readonly string[]): Promise<string> {
  return createHash('sha256')
    .update(await getRendererIdentity(fontFiles))
    .update('\0')
    .update(JSON.stringify(cardTree))
    .digest('hex');
}

/** The kept card, or undefined. A card that is used is touched, so pruning keeps it. */
export async function readCachedCard(dir: string, key: string): Promise<Buffer | undefined> {
  const file = join(dir, `${key}.png`);
  try {
    const png = await readFile(file);
    const now = new Date();
    await utimes(file, now, now);
    return png;
  } catch {
    return undefined;
  }
}

/** Marks a kept card as used by this build, so pruning keeps it; a card not drawn yet is left for its page to draw. */
export async function touchCachedCard(dir: string, key: string): Promise<void> {
  const now = new Date();
  await utimes(join(dir, `${key}.png`), now, now).catch(() => undefined);
}

/** Keeps a card; written to a temporary name first, so a crash never leaves half a picture under the real one. */
export async function writeCachedCard(dir: string, key: string, png: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `${key}.${process.pid}.tmp`);
  await writeFile(temporary, png);
  await rename(temporary, join(dir, `${key}.png`));
}

/** Removes the cards no build has used since `since` (and leftovers of interrupted writes). */
export async function pruneCachedCards(dir: string, since: Date): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = join(dir, name);
    if (name.endsWith('.png') && (await stat(file)).mtime >= since) continue;
    await unlink(file);
    removed += 1;
  }
  return removed;
}
