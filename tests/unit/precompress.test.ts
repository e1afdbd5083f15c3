import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AstroIntegrationLogger } from 'astro';
import { afterAll, describe, expect, it } from 'vitest';
import { getCompressedCopiesDir, precompress } from '../../src/integrations/precompress.ts';

const root = mkdtempSync(join(tmpdir(), 'duizhao-precompress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const logs: string[] = [];
const logger = { info: (line: string) => logs.push(line) } as unknown as AstroIntegrationLogger;

/** Runs the integration's hooks as `astro build` does, on an output folder and a cache folder. */
async function runBuildDone(outDir: string, cacheDir: string): Promise<void> {
  const integration = precompress({ isEnabled: true });
  const hooks = integration.hooks as Record<string, (options: unknown) => Promise<void> | void>;
  await hooks['astro:config:done']?.({ config: { cacheDir: pathToFileURL(`${cacheDir}/`) } });
  await hooks['astro:build:done']?.({ dir: pathToFileURL(`${outDir}/`), logger });
}

const page = (text: string) => `<!doctype html><html lang="zh-Hans"><body>${`<p>${text}</p>`.repeat(200)}</body></html>`;

describe('precompressed copies', () => {
  it('writes Brotli and gzip copies of text files over 1 KB that decompress to the file, and none for small files', async () => {
    const outDir = join(root, 'copies');
    mkdirSync(join(outDir, 'zh'), { recursive: true });
    writeFileSync(join(outDir, 'zh/index.html'), page('小红书上的新用户'));
    writeFileSync(join(outDir, 'small.css'), 'body{margin:0}');
    await runBuildDone(outDir, join(root, 'copies-cache'));
    const html = readFileSync(join(outDir, 'zh/index.html'));
    expect(brotliDecompressSync(readFileSync(join(outDir, 'zh/index.html.br')))).toEqual(html);
    expect(gunzipSync(readFileSync(join(outDir, 'zh/index.html.gz')))).toEqual(html);
    expect(readdirSync(outDir).sort()).toEqual(['small.css', 'zh']);
  });

  it('takes an unchanged file’s copies from the previous build, compresses a changed one, and drops copies no file uses', async () => {
    const astroCacheDir = join(root, 'kept');
    const cacheDir = getCompressedCopiesDir(astroCacheDir);
    const first = join(root, 'first');
    mkdirSync(first);
    writeFileSync(join(first, 'same.html'), page('unchanged'));
    writeFileSync(join(first, 'edited.html'), page('before the edit'));
    await runBuildDone(first, astroCacheDir);
    expect(readdirSync(cacheDir)).toHaveLength(4);

    // Mark the kept copies of the unchanged page, to see that the next build uses them as they are.
    const sameCopies = readdirSync(cacheDir).filter((name) =>
      readFileSync(join(first, 'same.html.br')).equals(readFileSync(join(cacheDir, name))),
    );
    expect(sameCopies).toHaveLength(1);
    const marked = Buffer.from('kept copy');
    writeFileSync(join(cacheDir, sameCopies[0] ?? ''), marked);
    // As if the first build ran a while ago (pruning allows for file times of one-second resolution).
    const longAgo = new Date('2025-01-01T00:00:00Z');
    for (const name of readdirSync(cacheDir)) utimesSync(join(cacheDir, name), longAgo, longAgo);

    const second = join(root, 'second');
    mkdirSync(second);
    writeFileSync(join(second, 'same.html'), page('unchanged'));
    writeFileSync(join(second, 'edited.html'), page('after the edit'));
    await runBuildDone(second, astroCacheDir);
    expect(readFileSync(join(second, 'same.html.br'))).toEqual(marked);
    expect(brotliDecompressSync(readFileSync(join(second, 'edited.html.br')))).toEqual(readFileSync(join(second, 'edited.html')));
    // The edited page's old copies are gone; the folder holds this build's four.
    expect(readdirSync(cacheDir)).toHaveLength(4);
    expect(logs.at(-1)).toMatch(/2 kept copies no file uses any more removed/);
  });
});
