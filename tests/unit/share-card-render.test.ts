import { describe, expect, it } from 'vitest';
import { cardGeometry, layoutShareCard } from '../../src/lib/share/card-layout.ts';
import {
  loadCardFonts,
  rasterizeCard,
  renderShareCard,
  renderShareCardSvg,
  type ShareCardContent,
} from '../../src/lib/share/render-share-card.ts';

/** The card renderer is real work (about 20 MB of fonts, then ~50 ms a card): one generous timeout for the file. */
const timeout = 60_000;

const content: ShareCardContent = {
  title: '谁在欢迎，谁在皱眉：小红书上的中外网友',
  summary: '美国用户涌进小红书之后，有人交了猫税，有人觉得自己的自留地被占了。',
  byline: 'duizhao 观察者 · 2025年1月23日',
  siteName: '对照 · duizhao',
  language: 'zh',
};

/** Grey levels (0 black … 255 white) of the title's band on the card, read from the rasterised pixels. */
async function readTitleBand(card: ShareCardContent, fonts?: Awaited<ReturnType<typeof loadCardFonts>>): Promise<Uint8Array> {
  const rendered = rasterizeCard(await renderShareCardSvg(card, fonts)).render();
  const { pixels, width } = rendered;
  const layout = layoutShareCard(card);
  const top = cardGeometry.paddingTop + cardGeometry.headerHeight + cardGeometry.headerGap;
  const bottom = top + layout.titleLines.length * layout.titleFontSize * cardGeometry.titleLineHeight;
  const band = new Uint8Array((bottom - top) * width);
  for (let y = top; y < bottom; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 4;
      band[(y - top) * width + x] = Math.round(
        0.299 * (pixels[offset] ?? 0) + 0.587 * (pixels[offset + 1] ?? 0) + 0.114 * (pixels[offset + 2] ?? 0),
      );
    }
  }
  return band;
}

const inkShare = (band: Uint8Array) => band.filter((grey) => grey < 128).length / band.length;
const differingShare = (a: Uint8Array, b: Uint8Array) => a.filter((grey, index) => Math.abs(grey - (b[index] ?? 0)) > 64).length / a.length;

describe('share card rendering', () => {
  it('makes a 1200×630 PNG', { timeout }, async () => {
    const png = await renderShareCard(content);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(630);
  });

  it('draws Chinese with real glyphs, not the empty boxes of a font without them', { timeout }, async () => {
    const cardFonts = await loadCardFonts();
    const latinOnly = cardFonts.filter((font) => font.name === 'Noto Sans');
    const sameLength = { ...content, title: '抖音审核难民潮' };
    const other = { ...content, title: '小红书外国网友' };

    // Without CJK glyphs every character is the same missing-glyph box: different titles look identical.
    const tofu = await readTitleBand(sameLength, latinOnly);
    expect(inkShare(tofu)).toBeGreaterThan(0.005);
    expect(differingShare(tofu, await readTitleBand(other, latinOnly))).toBe(0);

    // With the card's fonts they differ from each other and from the boxes, and carry a plausible amount of ink.
    const real = await readTitleBand(sameLength, cardFonts);
    expect(differingShare(real, await readTitleBand(other, cardFonts))).toBeGreaterThan(0.01);
    expect(differingShare(real, tofu)).toBeGreaterThan(0.01);
    expect(inkShare(real)).toBeGreaterThan(0.02);
    expect(inkShare(real)).toBeLessThan(0.5);
  });
});
