import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeInvalidSlug, EssayFolderExistsError, writeEssayFolder } from '../../src/lib/authoring/essay-folder.ts';
import { createEssayFiles } from '../../src/lib/authoring/scaffold.ts';

const root = mkdtempSync(join(tmpdir(), 'duizhao-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('slugs', () => {
  it('accepts lowercase words with single hyphens only', () => {
    expect(describeInvalidSlug('after-the-deadline')).toBeUndefined();
    for (const slug of ['', 'Upper', 'two--hyphens', '-leading', 'under_score', '../escape', 'a'.repeat(81)]) {
      expect(describeInvalidSlug(slug), slug).toBeDefined();
    }
  });
});

describe('writing an essay folder', () => {
  it('writes all files, and refuses an existing folder unless forced', () => {
    writeEssayFolder(root, 'first', { 'zh.mdx': 'one' });
    expect(readFileSync(join(root, 'first/zh.mdx'), 'utf8')).toBe('one');
    expect(() => writeEssayFolder(root, 'first', { 'zh.mdx': 'two' })).toThrow(EssayFolderExistsError);
    writeEssayFolder(root, 'first', { 'en.mdx': 'three' }, { force: true });
    expect(readdirSync(join(root, 'first'))).toEqual(['en.mdx']);
  });

  it('leaves nothing half-written when a file cannot be written, and keeps the folder it would have replaced', () => {
    mkdirSync(join(root, 'kept'));
    writeFileSync(join(root, 'kept/zh.mdx'), 'original');
    // A name inside a folder that does not exist makes the second write fail.
    expect(() => writeEssayFolder(root, 'kept', { 'zh.mdx': 'new', 'missing/en.mdx': 'new' }, { force: true })).toThrow();
    expect(readFileSync(join(root, 'kept/zh.mdx'), 'utf8')).toBe('original');
    expect(() => writeEssayFolder(root, 'fresh', { 'zh.mdx': 'new', 'missing/en.mdx': 'new' })).toThrow();
    expect(existsSync(join(root, 'fresh'))).toBe(false);
    expect(readdirSync(root).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe('scaffolding', () => {
  it('writes draft frontmatter with the given date, author and category, per language', () => {
    const files = createEssayFiles({
      slug: 'after-the-deadline',
      locales: ['en'],
      date: '2025-03-01',
      categoryId: 'observation',
      authorId: 'observer',
    });
    expect(Object.keys(files)).toEqual(['en.mdx']);
    expect(files['en.mdx']).toMatch(
      /^---\ntitle: After the deadline\nsummary: .+\npublished: 2025-03-01\nauthor: observer\ncategory: observation\ntags: \[\]\ndraft: true\n---\n\n## /,
    );
  });
});
