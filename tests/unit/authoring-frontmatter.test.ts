import { describe, expect, it } from 'vitest';
import {
  findFrontmatter,
  getBody,
  parseFrontmatter,
  locateFrontmatterPath,
  setFrontmatterField,
  stringifyFrontmatter,
} from '../../src/lib/authoring/frontmatter.ts';
import { getRevision, isStaleTranslation } from '../../src/lib/authoring/revision.ts';
import { markTranslation } from '../../src/lib/authoring/translation-mark.ts';

const essay = `---
title: A title # a comment stays
summary: "Quoted: yes"
tags: [a, b]
---

Body text.
`;

describe('frontmatter', () => {
  it('finds the block and the body the way Astro does', () => {
    expect(findFrontmatter(essay)?.yaml).toBe('\ntitle: A title # a comment stays\nsummary: "Quoted: yes"\ntags: [a, b]\n');
    expect(getBody(essay)).toBe('Body text.');
    expect(getBody('No frontmatter\n')).toBe('No frontmatter');
  });

  it('locates fields by path, for line numbers in messages', () => {
    const parsed = parseFrontmatter(essay);
    if (!parsed) throw new Error('no frontmatter');
    expect(essay.slice(locateFrontmatterPath(parsed, ['tags', 1])).startsWith('b]')).toBe(true);
    expect(essay.slice(locateFrontmatterPath(parsed, ['missing', 'deeper'])).startsWith('---')).toBe(true);
  });

  it('adds a field before the closing fence and leaves every other byte alone', () => {
    const result = setFrontmatterField(essay, 'translatedFrom', { lang: 'zh', revision: 'abcdef0123' });
    expect(result).toBe(essay.replace('tags: [a, b]\n', 'tags: [a, b]\ntranslatedFrom: { lang: zh, revision: abcdef0123 }\n'));
  });

  it('replaces an existing field in place, block or flow style, and keeps CRLF files CRLF', () => {
    const block = essay.replace('tags: [a, b]\n', 'translatedFrom:\n  lang: zh\n  revision: old\ntags: [a, b]\n');
    expect(setFrontmatterField(block, 'translatedFrom', { lang: 'zh', revision: 'new0000000' })).toBe(
      essay.replace('tags: [a, b]\n', 'translatedFrom: { lang: zh, revision: new0000000 }\ntags: [a, b]\n'),
    );
    const crlf = essay.replace(/\n/g, '\r\n');
    expect(setFrontmatterField(crlf, 'draft', true)).toBe(crlf.replace('tags: [a, b]\r\n', 'tags: [a, b]\r\ndraft: true\r\n'));
  });

  it('refuses files without frontmatter or with broken YAML', () => {
    expect(() => setFrontmatterField('Just text', 'draft', true)).toThrow(/no frontmatter/);
    expect(() => setFrontmatterField('---\ntags: [a\n---\n', 'draft', true)).toThrow(/not valid YAML/);
  });

  it('writes new frontmatter one line per field, quoting what YAML would misread', () => {
    expect(stringifyFrontmatter({ title: '标题: 冒号', tags: [], draft: true, skipped: undefined, revision: '0123456789' })).toBe(
      '---\ntitle: "标题: 冒号"\ntags: []\ndraft: true\nrevision: "0123456789"\n---\n',
    );
  });
});

describe('revisions', () => {
  it('hash the body only, ignoring line endings and surrounding blank lines', () => {
    const revision = getRevision('Body text.');
    expect(revision).toMatch(/^[0-9a-f]{10}$/);
    expect(getRevision('\n\nBody text.\r\n')).toBe(revision);
    expect(getRevision('Body text!')).not.toBe(revision);
    expect(getRevision(getBody(essay.replace('A title', 'Another title')))).toBe(getRevision(getBody(essay)));
  });

  it('leave out alignment points, which change no text to translate', () => {
    const body = 'First.\n\n## Two\n\nSecond.\n\n    indented code';
    const revision = getRevision(body);
    expect(
      getRevision(
        '<Align id="start" />\n\nFirst.\n\n<Align id="two" />\n\n## Two\n\nSecond.\n\n<Align id="code" />\n\n    indented code\n\n<Align id="end" />',
      ),
    ).toBe(revision);
    expect(getRevision('First. <Align id="inline" />\n\n## Two\n\nSecond.\n\n    indented code')).not.toBe(revision);
  });

  it('tell a stale translation from a current one', () => {
    expect(isStaleTranslation(getRevision('Body text.'), 'Body text.')).toBe(false);
    expect(isStaleTranslation(getRevision('Body text.'), 'Body text, edited.')).toBe(true);
  });

  it('mark a translation with the original body’s revision, once', () => {
    const original = '---\ntitle: 原文\n---\n\n正文。\n';
    const marked = markTranslation(essay, original, 'zh');
    expect(marked.changed).toBe(true);
    expect(marked.revision).toBe(getRevision('正文。'));
    expect(marked.source).toContain(`translatedFrom: { lang: zh, revision: ${marked.revision} }`);
    expect(markTranslation(marked.source, original, 'zh').changed).toBe(false);
  });
});
