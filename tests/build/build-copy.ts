import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const projectRoot = join(import.meta.dirname, '..', '..');
const copies: string[] = [];

/** A throwaway copy of the site with one extra essay, built for real; call removeBuildCopies when done. */
export function buildWithEssay(slug: string, file: string, source: string, extraFiles: Record<string, Buffer> = {}) {
  return buildWithEssays({ [slug]: { [file]: source, ...extraFiles } });
}

/** A throwaway copy of the site with extra essays (slug → file name → contents) and other files (path from the project root → contents), built for real. */
export function buildWithEssays(essays: Record<string, Record<string, string | Buffer>>, otherFiles: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-build-'));
  copies.push(root);
  for (const entry of ['src', 'content', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(projectRoot, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'));
  for (const [slug, files] of Object.entries(essays)) {
    mkdirSync(join(root, 'content/essays', slug), { recursive: true });
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(root, 'content/essays', slug, name), contents);
  }
  for (const [path, contents] of Object.entries(otherFiles)) writeFileSync(join(root, path), contents);
  const result = spawnSync(join(projectRoot, 'node_modules/.bin/node'), ['node_modules/astro/bin/astro.mjs', 'build'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const readPage = (path: string) => readFileSync(join(root, 'dist/client', path, 'index.html'), 'utf8');
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, readPage };
}

export function removeBuildCopies() {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
}
