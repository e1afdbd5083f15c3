import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWithEssay, removeBuildCopies } from './build-copy.ts';

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

describe('translation freshness', () => {
  let build: ReturnType<typeof buildWithEssay>;
  beforeAll(() => {
    build = buildWithEssay('stale-pair', 'en.mdx', translation, { 'zh.mdx': Buffer.from(original) });
  }, 120_000);

  it('tells readers of a stale translation when the original changed, with a link to it', () => {
    expect(build.status, build.output).toBe(0);
    const html = build.readPage('en/essays/stale-pair');
    expect(html).toContain('This translation may be out of date; the Chinese original was updated on February 2, 2025.');
    expect(html).toMatch(/<a href="\/zh\/essays\/stale-pair\/" hreflang="zh-Hans"[^>]*>Read the Chinese original<\/a>/);
  });

  it('says nothing on the original, or on translations marked from the current original', () => {
    expect(build.readPage('zh/essays/stale-pair')).not.toContain('译文可能已过时');
    for (const slug of ['tiktok-refugees-on-rednote', 'who-welcomed-them']) {
      expect(build.readPage(`en/essays/${slug}`)).not.toContain('may be out of date');
    }
  });
});
