import { describe, expect, it } from 'vitest';
import {
  cardContentWidth,
  cardGeometry,
  layoutShareCard,
  measureText,
  splitIntoBreakUnits,
  wrapText,
} from '../../src/lib/share/card-layout.ts';

const closing = /^[，。、；：？！）》」』】”’…,.;:!?)]/u;
const opening = /[“‘（《「『【(]$/u;

describe('break units', () => {
  it('gives each Chinese character its own unit and keeps Latin words whole', () => {
    expect(splitIntoBreakUnits('小红书 RedNote 上的难民')).toEqual(['小', '红', '书 ', 'RedNote ', '上', '的', '难', '民']);
  });

  it('keeps closing punctuation with what precedes it and opening punctuation with what follows', () => {
    expect(splitIntoBreakUnits('一个“TikTok 难民”：来了')).toEqual(['一', '个', '“TikTok ', '难', '民”：', '来', '了']);
    expect(splitIntoBreakUnits('“TikTok Refugees” in (one) hashtag')).toEqual(['“TikTok ', 'Refugees” ', 'in ', '(one) ', 'hashtag']);
  });
});

describe('wrapping a title', () => {
  const options = { maxWidth: 600, fontSize: 60, maxLines: 5 } as const;

  it('breaks Chinese between characters, never before closing or after opening punctuation', () => {
    const title = '一个标签里的“TikTok 难民”：小红书这一周的数字与疑问，以及之后会发生什么';
    const { lines, isTruncated } = wrapText(title, { ...options, language: 'zh' });
    expect(isTruncated).toBe(false);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('').replaceAll(' ', '')).toBe(title.replaceAll(' ', ''));
    for (const [index, line] of lines.entries()) {
      if (index > 0) expect(line, `line ${index + 1} starts with closing punctuation`).not.toMatch(closing);
      expect(line, `line ${index + 1} ends with opening punctuation`).not.toMatch(opening);
      expect(measureText(line, options.fontSize, 'zh')).toBeLessThanOrEqual(options.maxWidth);
    }
  });

  it('breaks English only between words', () => {
    const title = '“TikTok Refugees” in One Hashtag: A Week of Numbers and Questions on RedNote';
    const { lines } = wrapText(title, { ...options, language: 'en' });
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(' ')).toBe(title);
    const words = new Set(title.split(' '));
    for (const line of lines) {
      for (const word of line.split(' ')) expect(words.has(word), `"${word}" is a whole word`).toBe(true);
      expect(measureText(line, options.fontSize, 'en')).toBeLessThanOrEqual(options.maxWidth);
    }
  });

  it('fits more Latin letters than Chinese characters on a line', () => {
    const wide = { ...options, maxWidth: 1000 };
    const latin = wrapText('word '.repeat(50), { ...wide, language: 'en' });
    const chinese = wrapText('小红书上的中外网友'.repeat(20), { ...wide, language: 'zh' });
    expect([...(latin.lines[0] ?? '')].length).toBeGreaterThan([...(chinese.lines[0] ?? '')].length);
    expect([...(chinese.lines[0] ?? '')].length).toBe(Math.floor(wide.maxWidth / wide.fontSize));
  });

  it('cuts a word longer than a line between its letters', () => {
    const { lines } = wrapText('x'.repeat(60), { ...options, language: 'en' });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('x'.repeat(60));
  });

  it('ends a text that needs too many lines with an ellipsis on the last allowed line', () => {
    const { lines, isTruncated } = wrapText('小红书上的中外网友'.repeat(10), { ...options, maxLines: 2, language: 'zh' });
    expect(isTruncated).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/…$/u);
    expect(measureText(lines[1] ?? '', options.fontSize, 'zh')).toBeLessThanOrEqual(options.maxWidth);
    const english = wrapText('Who welcomed them and who did not, on RedNote, in one week of January '.repeat(3), {
      ...options,
      maxLines: 2,
      language: 'en',
    });
    expect(english.lines[1]).toMatch(/\w…$/u);
    expect(english.lines[1]).not.toMatch(/[ ,]…$/u);
  });
});

describe('the card layout', () => {
  it('sets a short title at the largest size and gives the summary room', () => {
    const layout = layoutShareCard({
      title: '谁在欢迎，谁在皱眉',
      summary: '美国用户涌进小红书之后，有人交了猫税，有人觉得自己的自留地被占了。',
      language: 'zh',
    });
    expect(layout.titleFontSize).toBe(cardGeometry.titleFontSizes[0]);
    expect(layout.titleLines).toEqual(['谁在欢迎，谁在皱眉']);
    expect(layout.summaryLines.join('')).toBe('美国用户涌进小红书之后，有人交了猫税，有人觉得自己的自留地被占了。');
  });

  it('shrinks a long title to fit three lines and shortens the summary under it', () => {
    const long = layoutShareCard({
      title: '小红书、RED、Little Red Book，还是 RedNote？一个 App 在英文世界里的四个名字，以及名字背后的界面、投放和商业化',
      summary:
        '同一个 App，在英文世界里至少有过四个名字。这波“TikTok 难民”潮把 RedNote 这个名字推到了台前，但名字背后的界面、投放和商业化，才决定有多少人会留下。',
      language: 'zh',
    });
    expect(long.titleFontSize).toBeLessThan(cardGeometry.titleFontSizes[0] ?? 0);
    expect(long.titleLines.length).toBeLessThanOrEqual(cardGeometry.titleMaxLines);
    expect(long.summaryLines.length).toBeGreaterThanOrEqual(cardGeometry.summaryMinLines);
    expect(long.summaryLines.length).toBeLessThanOrEqual(cardGeometry.summaryMaxLines);
    for (const line of [...long.titleLines]) expect(measureText(line, long.titleFontSize, 'zh')).toBeLessThanOrEqual(cardContentWidth);
  });

  it('keeps everything above the byline', () => {
    for (const language of ['zh', 'en'] as const) {
      const layout = layoutShareCard({
        title: 'Numbers and questions '.repeat(12),
        summary: 'A summary that goes on. '.repeat(20),
        language,
      });
      const g = cardGeometry;
      const bottom =
        g.paddingTop +
        g.headerHeight +
        g.headerGap +
        layout.titleLines.length * layout.titleFontSize * g.titleLineHeight +
        (layout.summaryLines.length > 0 ? g.summaryGap + layout.summaryLines.length * g.summaryFontSize * g.summaryLineHeight : 0);
      expect(bottom).toBeLessThanOrEqual(g.height - g.paddingBottom - g.footerHeight - g.footerGap);
      expect(layout.titleLines.at(-1)).toMatch(/…$/u);
    }
  });
});
