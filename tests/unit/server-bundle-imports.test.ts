import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const importPattern = /\bimport\s*(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Modules that pull every essay's compiled MDX into whatever bundle imports them. */
const contentModules = new Set(['astro:content']);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Pages and endpoints rendered per request: they and everything they import go into the server bundle. */
function listOnDemandRoutes(): string[] {
  const pages = listFiles(join(root, 'src/pages')).filter((file) => /\.(astro|ts)$/.test(file));
  return [...pages.filter((file) => /export const prerender = false/.test(readFileSync(file, 'utf8'))), join(root, 'src/middleware.ts')];
}

/** Finds a path from `entry` to a content module through relative imports, or undefined. */
function findContentImport(entry: string): string[] | undefined {
  const seen = new Set<string>();
  const visit = (file: string, trail: string[]): string[] | undefined => {
    if (seen.has(file) || !existsSync(file)) return undefined;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      // `import type` disappears from the bundle.
      if (/^import\s+type\b/.test(match[0])) continue;
      if (contentModules.has(specifier)) return [...trail, specifier];
      if (specifier.startsWith('.')) {
        const found = visit(resolve(dirname(file), specifier), [...trail, relative(root, resolve(dirname(file), specifier))]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(entry, [relative(root, entry)]);
}

describe('the server bundle', () => {
  const routes = listOnDemandRoutes();

  it('finds the on-demand routes', () => {
    expect(routes.map((file) => relative(root, file))).toEqual(
      expect.arrayContaining(['src/pages/api/comments/index.ts', 'src/pages/[lang]/moderate/queue.astro', 'src/middleware.ts']),
    );
  });

  it.each(routes.map((file) => [relative(root, file), file]))('%s does not import content collections', (_name, file) => {
    // The essays' titles come from virtual:duizhao/essay-catalog; astro:content would put every
    // essay's compiled MDX into the server build as well as the static one.
    expect(findContentImport(file)).toBeUndefined();
  });
});
