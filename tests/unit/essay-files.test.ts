import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDraftSource, listUnpublishedEssayPaths } from '../../src/lib/essay-files.ts';

describe('essay files', () => {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-essays-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function write(path: string, draft = false) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `---\ntitle: x\ndraft: ${draft}\n---\nbody draft: true\n`);
  }

  write('both/zh.mdx');
  write('both/en.mdx');
  write('zh-only/zh.mdx');
  write('en-draft/zh.mdx');
  write('en-draft/en.mdx', true);
  write('all-draft/zh.mdx', true);

  it('reads the draft flag from frontmatter only', () => {
    expect(isDraftSource('---\ndraft: true\n---\n')).toBe(true);
    expect(isDraftSource('---\ntitle: a\n---\ndraft: true\n')).toBe(false);
  });

  it('lists the notice pages that stand in for missing translations', () => {
    expect([...listUnpublishedEssayPaths(root, { includeDrafts: false })].sort()).toEqual([
      '/en/essays/en-draft/',
      '/en/essays/zh-only/',
    ]);
    expect([...listUnpublishedEssayPaths(root, { includeDrafts: true })].sort()).toEqual([
      '/en/essays/all-draft/',
      '/en/essays/zh-only/',
    ]);
  });
});
