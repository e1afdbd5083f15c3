import { describe, expect, it } from 'vitest';
import { countReadingUnits, extractProse, getReadingMinutes, readingSpeed } from '../../src/lib/reading-time.ts';

describe('reading time', () => {
  it('counts Chinese by characters and English by words', () => {
    expect(countReadingUnits('小红书的 TikTok 难民')).toBe(6 + 1);
    expect(countReadingUnits("Xiaohongshu's new users don't stay")).toBe(5);
  });

  it('reads Chinese at about 400 characters a minute', () => {
    expect(getReadingMinutes('字'.repeat(readingSpeed.zh * 5), 'zh')).toBe(5);
  });

  it('reads English at about 230 words a minute', () => {
    expect(getReadingMinutes('word '.repeat(readingSpeed.en * 3), 'en')).toBe(3);
  });

  it('never says zero minutes', () => expect(getReadingMinutes('短', 'zh')).toBe(1));

  it('ignores code, components, link targets and imports', () => {
    const prose = extractProse(
      'import X from \'./x\';\n<Callout type="info">\n见[这里](https://example.com/很长的地址)\n</Callout>\n```js\nconst 代码 = 1;\n```',
    );
    expect(countReadingUnits(prose)).toBe(3);
  });
});
