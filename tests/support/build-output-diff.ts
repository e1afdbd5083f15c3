import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * The Node adapter's `_headers.json` lists each page's headers in the order the pages finished
 * rendering, which changes from build to build (four at a time, copied pages first): compared
 * sorted by path, every entry byte for byte.
 */
function readComparableContents(dir: string, file: string): Buffer {
  const contents = readFileSync(join(dir, file));
  if (file !== '_headers.json') return contents;
  const entries = JSON.parse(contents.toString('utf8')) as Array<{ pathname: string }>;
  return Buffer.from(JSON.stringify(entries.sort((a, b) => a.pathname.localeCompare(b.pathname))));
}

/**
 * Every way two build outputs differ, one line per file: present in one only, or different
 * bytes. An empty list means the two folders hold the same files with the same contents.
 */
export function compareBuildOutputs(actualDir: string, expectedDir: string): string[] {
  const actual = listFiles(actualDir);
  const expected = listFiles(expectedDir);
  const expectedSet = new Set(expected);
  const actualSet = new Set(actual);
  return [
    ...actual.filter((file) => !expectedSet.has(file)).map((file) => `only in the incremental build: ${file}`),
    ...expected.filter((file) => !actualSet.has(file)).map((file) => `missing from the incremental build: ${file}`),
    ...actual
      .filter((file) => expectedSet.has(file))
      .filter((file) => !readComparableContents(actualDir, file).equals(readComparableContents(expectedDir, file)))
      .map((file) => `different: ${file}`),
  ];
}
