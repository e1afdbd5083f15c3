import { describe, expect, it } from 'vitest';
import { fixFileTypography } from '../../src/lib/authoring/content-check.ts';
import { findTypographySlips, fixTypography } from '../../src/lib/authoring/typography.ts';

describe('Chinese typography rules', () => {
  it('puts a space between Chinese and Latin letters or digits', () => {
    expect(fixTypography('小红书在70多个国家登上App Store榜首')).toBe('小红书在 70 多个国家登上 App Store 榜首');
    expect(fixTypography('绑定+86开头，约占60%的人，上的#tag标签')).toBe('绑定 +86 开头，约占 60% 的人，上的 #tag 标签');
    expect(findTypographySlips('在70')[0]).toMatchObject({ rule: 'cjk-latin-spacing', message: 'add a space between “在” and “70”' });
  });

  it('turns half-width punctuation between Chinese characters full-width', () => {
    expect(fixTypography('过去一周,小红书的现象:为什么?因为;好!')).toBe('过去一周，小红书的现象：为什么？因为；好！');
    expect(fixTypography('中文, 中文')).toBe('中文，中文');
    expect(fixTypography('他说:“你好”')).toBe('他说：“你好”');
    expect(fixTypography('TikTok,称其')).toBe('TikTok，称其');
    expect(fixTypography('快手海外版(Kwai)在巴西，TikTok (抖音国际版) 的')).toBe('快手海外版（Kwai）在巴西，TikTok（抖音国际版）的');
  });

  it('collapses repeated punctuation but keeps ellipses and dashes', () => {
    expect(fixTypography('真的吗？？好的。。太好了！！')).toBe('真的吗？好的。太好了！');
    expect(fixTypography('还有……——好')).toBe('还有……——好');
  });

  it('leaves English, numbers and code-like text alone', () => {
    for (const text of ['Yahoo! is here, ok: fine (really)', '时间 10:30, ok', '1,234 and 3:2', 'a,b', '已经 1.7 亿。']) {
      expect(findTypographySlips(text), text).toEqual([]);
    }
  });
});

describe('fixing a zh file', () => {
  const source = `---
title: 标题里有TikTok
summary: "摘要,带逗号"
tags: [xiaohongshu]
---

正文在2024年,提到App。

\`代码里的a,b和2024年\` 不动，[链接文字在2025年](/zh/essays/a-b/#第1节) 的目标也不动。

<Callout type="info" title="属性里的2024年,不动">

提示框里的正文在2024年。

</Callout>

\`\`\`
代码块里的中文,不动
\`\`\`

网址 https://example.com/a,b 不动。
`;

  it('fixes prose and prose fields, never code, URLs, JSX attributes, link targets or keys', () => {
    const { source: fixed, fixes } = fixFileTypography(source);
    expect(fixes).toBeGreaterThan(0);
    expect(fixed).toContain('title: 标题里有 TikTok\n');
    expect(fixed).toContain('summary: "摘要，带逗号"');
    expect(fixed).toContain('正文在 2024 年，提到 App。');
    expect(fixed).toContain('`代码里的a,b和2024年`');
    expect(fixed).toContain('[链接文字在 2025 年](/zh/essays/a-b/#第1节)');
    expect(fixed).toContain('title="属性里的2024年,不动"');
    expect(fixed).toContain('提示框里的正文在 2024 年。');
    expect(fixed).toContain('代码块里的中文,不动');
    expect(fixed).toContain('https://example.com/a,b');
    expect(fixFileTypography(fixed).fixes).toBe(0);
  });
});
