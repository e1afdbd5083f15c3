import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const maximumLines = 40;
// The comment API and the moderation console have their own thinning (issue 16, other parts).
const exempt = ['src/pages/api/comments/', 'src/pages/[lang]/moderate/'];

/** Lines as `wc -l` counts them. */
function countLines(source: string): number {
  return source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
}

describe('thin routes', () => {
  it(`keeps every route file under src/pages at most ${maximumLines} lines: logic lives in src/lib and components`, () => {
    const routes = readdirSync(join(root, 'src/pages'), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.(astro|ts)$/.test(entry.name))
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
    expect(routes.length).toBeGreaterThan(10);
    const offenders = routes
      .filter((path) => !exempt.some((prefix) => path.startsWith(prefix)))
      .map((path) => ({ path, lines: countLines(readFileSync(join(root, path), 'utf8')) }))
      .filter(({ lines }) => lines > maximumLines)
      .map(({ path, lines }) => `${path}: ${lines} lines`);
    expect(offenders).toEqual([]);
  });
});
