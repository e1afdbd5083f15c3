import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { AstroIntegration } from 'astro';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text files worth a compressed copy; images, fonts and Pagefind's fragments are compressed already. */
const compressibleExtensions = new Set(['.html', '.css', '.js', '.mjs', '.json', '.xml', '.svg', '.csv', '.txt', '.webmanifest']);
/** Below this a compressed answer saves less than its headers and the work cost. */
const minBytes = 1024;

/**
 * Brotli quality per file: 11 (the smallest, ~190 ms for a 50 KB page) for the few hashed scripts
 * and styles every page shares; 5 for pages and data (~5 ms each, a tenth more bytes than 11),
 * since a site of 1,000 essay pairs writes some 4,000 pages and 11 would add minutes to its build.
 */
function getBrotliQuality(relativePath: string): number {
  return relativePath.startsWith('_astro/') ? 11 : 5;
}

interface Counts {
  files: number;
  rawBytes: number;
  brotliBytes: number;
}

async function compressFile(root: string, relativePath: string, counts: Counts): Promise<void> {
  const file = join(root, relativePath);
  const content = await readFile(file);
  const [brotliCopy, gzipCopy] = await Promise.all([
    brotli(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: getBrotliQuality(relativePath), [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    }),
    gzipAsync(content, { level: 9 }),
  ]);
  // A copy that saves nothing would only cost a lookup.
  if (brotliCopy.length < content.length) await writeFile(`${file}.br`, brotliCopy);
  if (gzipCopy.length < content.length) await writeFile(`${file}.gz`, gzipCopy);
  counts.files += 1;
  counts.rawBytes += content.length;
  counts.brotliBytes += Math.min(brotliCopy.length, content.length);
}

/**
 * After the Node build: a Brotli (`.br`) and a gzip (`.gz`) copy beside every text file over 1 KB
 * in the client output, which the server sends to clients that take them
 * (src/lib/node-server/static-files.ts). Cloudflare compresses at its edge, so its build has none.
 */
export function precompress(options: { isEnabled: boolean }): AstroIntegration {
  return {
    name: 'duizhao-precompress',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (!options.isEnabled) return;
        const started = performance.now();
        const root = fileURLToPath(dir);
        const names = (await readdir(root, { recursive: true })) as string[];
        const candidates: string[] = [];
        for (const name of names) {
          if (!compressibleExtensions.has(extname(name))) continue;
          if ((await stat(join(root, name))).size >= minBytes) candidates.push(name);
        }
        const counts: Counts = { files: 0, rawBytes: 0, brotliBytes: 0 };
        // zlib works on libuv's thread pool: a few files at a time keep it busy without holding every file in memory.
        const concurrency = Math.max(2, availableParallelism());
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < candidates.length) {
              const name = candidates[next++];
              if (name) await compressFile(root, name, counts);
            }
          }),
        );
        const ratio = counts.rawBytes === 0 ? 0 : Math.round((counts.brotliBytes / counts.rawBytes) * 100);
        logger.info(`${counts.files} files compressed (Brotli ${ratio} % of their size) in ${Math.round(performance.now() - started)} ms`);
      },
    },
  };
}
