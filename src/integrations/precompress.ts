import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { recordBuildTiming } from '../lib/build/build-timings.ts';
import { pruneKeptFiles, readKeptFile, writeKeptFile } from '../lib/build/kept-files.ts';

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

/** Where the copies are kept between builds: in Astro's cache folder (`cacheDir`, node_modules/.astro by default). */
export function getCompressedCopiesDir(astroCacheDir: string): string {
  return join(astroCacheDir, 'compressed-copies');
}

interface Counts {
  files: number;
  rawBytes: number;
  brotliBytes: number;
}

interface Encoding {
  extension: '.br' | '.gz';
  /** Part of the kept copy's name: a different setting never serves an old copy. */
  setting: string;
  compress: (content: Buffer) => Promise<Buffer>;
}

function getEncodings(relativePath: string): Encoding[] {
  const quality = getBrotliQuality(relativePath);
  return [
    {
      extension: '.br',
      setting: `q${quality}`,
      compress: (content) =>
        brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
    },
    { extension: '.gz', setting: 'l9', compress: (content) => gzipAsync(content, { level: 9 }) },
  ];
}

/**
 * The compressed copy of `content`, from the copies the previous build kept when the file has not
 * changed: an incremental build copies unchanged pages, and at 1,000 essay pairs compressing all
 * of them again took 12–16 s of a 50 s rebuild; taking the kept copies, 5 s (`npm run bench:build`).
 */
async function getCompressedCopy(content: Buffer, contentHash: string, encoding: Encoding, cacheDir: string): Promise<Buffer> {
  const keptName = `${contentHash}.${encoding.setting}${encoding.extension}`;
  const kept = await readKeptFile(cacheDir, keptName);
  if (kept) return kept;
  const copy = await encoding.compress(content);
  await writeKeptFile(cacheDir, keptName, copy);
  return copy;
}

async function compressFile(root: string, relativePath: string, cacheDir: string, counts: Counts): Promise<void> {
  const file = join(root, relativePath);
  const content = await readFile(file);
  const contentHash = createHash('sha256').update(content).digest('hex');
  for (const encoding of getEncodings(relativePath)) {
    const copy = await getCompressedCopy(content, contentHash, encoding, cacheDir);
    // A copy that saves nothing would only cost a lookup.
    if (copy.length < content.length) await writeFile(`${file}${encoding.extension}`, copy);
    if (encoding.extension === '.br') counts.brotliBytes += Math.min(copy.length, content.length);
  }
  counts.files += 1;
  counts.rawBytes += content.length;
}

/**
 * After the Node build: a Brotli (`.br`) and a gzip (`.gz`) copy beside every text file over 1 KB
 * in the client output, which the server sends to clients that take them
 * (src/lib/node-server/static-files.ts). Cloudflare compresses at its edge, so its build has none.
 */
export function precompress(options: { isEnabled: boolean }): AstroIntegration {
  let cacheDir = '';
  return {
    name: 'duizhao-precompress',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = getCompressedCopiesDir(fileURLToPath(config.cacheDir));
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!options.isEnabled) return;
        const started = performance.now();
        // File times have one-second resolution on some file systems: copies used now are newer.
        const buildStarted = new Date(Date.now() - 1000);
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
              if (name) await compressFile(root, name, cacheDir, counts);
            }
          }),
        );
        const ratio = counts.rawBytes === 0 ? 0 : Math.round((counts.brotliBytes / counts.rawBytes) * 100);
        const removed = await pruneKeptFiles(cacheDir, buildStarted);
        recordBuildTiming('compressed-copies', performance.now() - started);
        logger.info(
          `${counts.files} files compressed (Brotli ${ratio} % of their size) in ${Math.round(performance.now() - started)} ms${removed > 0 ? `; ${removed} kept copies no file uses any more removed` : ''}`,
        );
      },
    },
  };
}
