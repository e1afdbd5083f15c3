import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDocument } from '../../src/lib/authoring/import/import-document.ts';
import { buildWithEssays, removeBuildCopies } from './build-copy.ts';

afterAll(removeBuildCopies);

const original = `---
title: 原文
summary: 摘要
published: 2025-01-20
updated: 2025-02-02
category: observation
---

## 第一节

改过的正文：译文是按更早的版本翻译的。
`;

const translation = `---
title: The translation
summary: A summary
published: 2025-01-21
category: observation
translatedFrom: { lang: zh, revision: abcdef0123 }
---

## Section one

Translated from an earlier version of the original.
`;

/** The GitBook fixture as `npm run import` writes it, published so the build renders it. */
function importFixture(): string {
  const source = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'import', 'gitbook-export.md'), 'utf8');
  const result = importDocument(source, {
    tags: [{ id: 'data', zh: '数据', en: 'Data' }],
    authors: [],
    today: '2025-01-01',
    fileName: 'gitbook-export.md',
  });
  return (result.files['zh.mdx'] ?? '').replace('draft: true\n', '');
}

// One build serves both suites: builds are the slow part.
let build: ReturnType<typeof buildWithEssays>;
beforeAll(() => {
  build = buildWithEssays({ 'stale-pair': { 'en.mdx': translation, 'zh.mdx': original }, 'night-market': { 'zh.mdx': importFixture() } });
}, 120_000);

describe('translation freshness', () => {
  it('tells readers of a stale translation when the original changed, with a link to it', () => {
    expect(build.status, build.output).toBe(0);
    const html = build.readPage('en/essays/stale-pair');
    expect(html).toContain('This translation may be out of date; the Chinese original was updated on February 2, 2025.');
    // A space between the sentence and its link (it ran "2025.Read the…" once).
    expect(html).toMatch(/February 2, 2025\. <a href="\/zh\/essays\/stale-pair\/" hreflang="zh-Hans"[^>]*>Read the Chinese original<\/a>/);
  });

  it('says so in both parallel views, where original and translation show side by side', () => {
    expect(build.readPage('en/essays/stale-pair/parallel')).toContain(
      'The English translation may be out of date; the Chinese original was updated on February 2, 2025.',
    );
    expect(build.readPage('zh/essays/stale-pair/parallel')).toContain('英文译文可能已过时：中文原文更新于 2025年2月2日。');
    expect(build.readPage('en/essays/tiktok-refugees-on-rednote/parallel')).not.toContain('may be out of date');
  });

  it('says nothing on the original, or on translations marked from the current original', () => {
    expect(build.readPage('zh/essays/stale-pair')).not.toContain('译文可能已过时');
    for (const slug of ['tiktok-refugees-on-rednote', 'who-welcomed-them']) {
      expect(build.readPage(`en/essays/${slug}`)).not.toContain('may be out of date');
    }
  });
});

describe('an imported essay', () => {
  it('builds, with its callout, escaped text and image links, and without the comments it left', () => {
    expect(build.status, build.output).toBe(0);
    const html = build.readPage('zh/essays/night-market');
    expect(html).toContain('<aside class="callout callout-warning"');
    expect(html).toContain('我用{日期}和&lt;金额&gt;两列');
    expect(html).toContain('<a href="https://img.example.com/2024/09/chart.png">图片：三个月里扫码收款占比的折线图</a>');
    expect(html).toContain('原文发表于 notes.example.com');
    expect(html).not.toContain('import:');
    // The embed and the iframe are links a reader can follow, and no Liquid shows.
    expect(html).toContain(
      '<a href="https://video.example.com/watch?v=night-market">嵌入内容：https://video.example.com/watch?v=night-market</a>',
    );
    expect(html).toContain(
      '<a href="https://maps.example.com/embed?q=night-market">嵌入内容：https://maps.example.com/embed?q=night-market</a>',
    );
    // The fixture's code block shows a hint tag on purpose; code is where Liquid may stay.
    expect(html.replace(/<pre[\s\S]*?<\/pre>/g, '')).not.toMatch(/\{%|<iframe/);
  });
});
