import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files a build keeps for the next one in Astro's cache folder (node_modules/.astro by default),
 * each named by a hash of what decides its bytes: share cards (share/share-card-cache.ts) and the
 * compressed copies of pages (integrations/precompress.ts). A file a build uses is touched, and
 * after the build the files it did not touch are removed, so the folder holds one build's files.
 */

/** The kept file, or undefined. Reading touches it, so pruning keeps it. */
export async function readKeptFile(dir: string, name: string): Promise<Buffer | undefined> {
  const file = join(dir, name);
  try {
    const bytes = await readFile(file);
    const now = new Date();
    await utimes(file, now, now);
    return bytes;
  } catch {
    return undefined;
  }
}

/** Marks a kept file as used by this build, so pruning keeps it; one not made yet is no error. */
export async function touchKeptFile(dir: string, name: string): Promise<void> {
  const now = new Date();
  await utimes(join(dir, name), now, now).catch(() => undefined);
}

/** Keeps a file; written to a temporary name first, so a crash never leaves half a file under the real name. */
export async function writeKeptFile(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `${name}.${process.pid}.tmp`);
  await writeFile(temporary, bytes);
  await rename(temporary, join(dir, name));
}

/** Removes the files no build has used since `since`, and leftovers of interrupted writes; returns how many. */
export async function pruneKeptFiles(dir: string, since: Date): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = join(dir, name);
    if (!name.endsWith('.tmp') && (await stat(file)).mtime >= since) continue;
    await unlink(file);
    removed += 1;
  }
  return removed;
}
