import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderAsync, Resvg } from '@resvg/resvg-js';
import satori, { type Font } from 'satori';
import { locales, type Locale } from '../../i18n/locales.ts';
import { cardGeometry, layoutShareCard } from './card-layout.ts';
import { cardWorkerVariable, createCardRenderPool } from './card-render-pool.ts';
import { encodePng } from './png-encoder.ts';
import { readKeptFile, touchKeptFile, writeKeptFile } from '../build/kept-files.ts';
import { getShareCardFileName, shareCardCacheDirVariable } from './share-card-cache.ts';

/** What a share card says. `language` is the language the title and summary are written in. */
export interface ShareCardContent {
  title: string;
  summary?: string;
  byline: string;
  siteName: string;
  language: Locale;
}

/** The design's light palette (DESIGN.md): paper, ink, muted, vermilion. */
const colors = { paper: '#fbfaf7', ink: '#1d1d1f', muted: '#5f5f63', accent: '#b8322a', rule: '#dcdad5' } as const;

/**
 * Faces (SIL Open Font License, fonts/*-OFL.txt) kept in the repository: never the network, never
 * a system font. Noto Sans SC carries the Chinese glyphs; Noto Sans sets English with Latin quotes
 * and punctuation, which Noto Sans SC draws a full em wide. They are Google Fonts' files as
 * @expo-google-fonts/noto-sans-sc 0.4.3 (v40) and noto-sans 0.4.2 (v42) ship them, byte for byte:
 * those packages carry every weight (105 MB) for these four files (22 MB), and no package carries
 * fewer with all of Noto Sans SC's 30,890 characters in a format satori reads (not WOFF2).
 */
const fontFiles = [
  { name: 'Noto Sans SC', weight: 400, file: 'NotoSansSC_400Regular.ttf' },
  { name: 'Noto Sans SC', weight: 700, file: 'NotoSansSC_700Bold.ttf' },
  { name: 'Noto Sans', weight: 400, file: 'NotoSans_400Regular.ttf' },
  { name: 'Noto Sans', weight: 700, file: 'NotoSans_700Bold.ttf' },
] as const;

/**
 * Relative to the project root, the working directory of the build and the tests (as content/ is):
 * the build bundles this module into its own chunks, where import.meta.url no longer points here.
 */
const fontsDir = 'src/lib/share/fonts';

/** The card's own face, behind every text: it has a glyph for everything a card holds. */
const baseFontFamily = "'Noto Sans SC'";
/** Site name and byline: Latin first, so their separating "·" is a narrow dot in every language. */
const labelFontFamily = "'Noto Sans', 'Noto Sans SC'";

let loadedFonts: Promise<Font[]> | undefined;

const resolveFontFiles = () => fontFiles.map(({ file }) => resolve(fontsDir, file));

/** Reads the card faces once per process (about 20 MB: the full Noto Sans SC, which satori parses once). */
export function loadCardFonts(): Promise<Font[]> {
  loadedFonts ??= Promise.all(
    fontFiles.map(async ({ name, weight }, index) => ({
      name,
      weight,
      style: 'normal' as const,
      data: await readFile(resolveFontFiles()[index] ?? ''),
    })),
  );
  return loadedFonts;
}

/** A node of the element tree satori lays out: the shape of a React element, without React. */
export interface CardNode {
  type: 'div';
  props: { style: Record<string, string | number>; children?: string | CardNode[] };
}

const box = (style: CardNode['props']['style'], children?: string | CardNode[]): CardNode => ({ type: 'div', props: { style, children } });

/** The card as an element tree: accent bar, site name, title lines, summary lines, byline. */
export function buildShareCardTree(content: ShareCardContent): CardNode {
  const geometry = cardGeometry;
  const layout = layoutShareCard(content);
  // Title and summary in the face the locale table gives the card's language.
  const textFamily = locales[content.language].cardFont;
  const line = (text: string, style: CardNode['props']['style']) => box({ display: 'flex', whiteSpace: 'pre', ...style }, text);
  return box(
    {
      position: 'relative',
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      width: geometry.width,
      height: geometry.height,
      padding: `${geometry.paddingTop}px ${geometry.paddingX}px ${geometry.paddingBottom}px`,
      backgroundColor: colors.paper,
      color: colors.ink,
      fontFamily: baseFontFamily,
    },
    [
      box({
        position: 'absolute',
        left: 0,
        top: 0,
        width: geometry.accentBarWidth,
        height: geometry.height,
        backgroundColor: colors.accent,
      }),
      line(content.siteName, {
        height: geometry.headerHeight,
        alignItems: 'center',
        fontSize: geometry.headerFontSize,
        fontWeight: 700,
        color: colors.accent,
        fontFamily: labelFontFamily,
      }),
      box(
        { display: 'flex', flexDirection: 'column', marginTop: geometry.headerGap, fontFamily: textFamily },
        layout.titleLines.map((text) =>
          line(text, {
            fontSize: layout.titleFontSize,
            lineHeight: geometry.titleLineHeight,
            height: layout.titleFontSize * geometry.titleLineHeight,
            fontWeight: 700,
          }),
        ),
      ),
      box(
        { display: 'flex', flexDirection: 'column', marginTop: geometry.summaryGap, fontFamily: textFamily, color: colors.muted },
        layout.summaryLines.map((text) =>
          line(text, {
            fontSize: geometry.summaryFontSize,
            lineHeight: geometry.summaryLineHeight,
            height: geometry.summaryFontSize * geometry.summaryLineHeight,
          }),
        ),
      ),
      box({ display: 'flex', flexGrow: 1 }),
      line(content.byline, {
        height: geometry.footerHeight,
        alignItems: 'flex-end',
        paddingTop: 12,
        borderTop: `2px solid ${colors.rule}`,
        fontSize: geometry.footerFontSize,
        color: colors.muted,
        fontFamily: labelFontFamily,
      }),
    ],
  );
}

/** Lays out a card with satori (text becomes outlines, so the SVG needs no font). */
export async function renderShareCardSvg(content: ShareCardContent, fonts?: Font[]): Promise<string> {
  return renderTreeSvg(buildShareCardTree(content), fonts);
}

async function renderTreeSvg(tree: CardNode, fonts?: Font[]): Promise<string> {
  const { width, height } = cardGeometry;
  return satori(tree, { width, height, fonts: fonts ?? (await loadCardFonts()) });
}

/** At the SVG's own size; system fonts stay unloaded since the SVG has none. */
const rasterOptions = { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } } as const;

/** Rasterises a card's SVG at its own size. */
export function rasterizeCard(svg: string): Resvg {
  return new Resvg(svg, rasterOptions);
}

/** The share card as a 1200×630 PNG. Rasterised on libuv's thread pool, so the next card's layout can run meanwhile. */
export async function renderShareCard(content: ShareCardContent): Promise<Buffer> {
  return renderTreePng(buildShareCardTree(content));
}

export async function renderTreePng(tree: CardNode): Promise<Buffer> {
  const image = await renderAsync(await renderTreeSvg(tree), rasterOptions);
  return encodePng(image.pixels, image.width, image.height);
}

let buildPool: ReturnType<typeof createCardRenderPool> | undefined;

/**
 * The share card, from the card cache when this exact card was rendered before (see
 * share-card-cache.ts); the build's endpoints use this one. Without a cache folder it renders.
 */
export async function renderShareCardCached(content: ShareCardContent, cacheDir = process.env[shareCardCacheDirVariable]): Promise<Buffer> {
  if (!cacheDir) return renderShareCard(content);
  const tree = buildShareCardTree(content);
  const fileName = await getShareCardFileName(tree, resolveFontFiles());
  const cached = await readKeptFile(cacheDir, fileName);
  if (cached) return cached;
  buildPool ??= createCardRenderPool(process.env[cardWorkerVariable], renderTreePng);
  const png = await buildPool.render(tree);
  await writeKeptFile(cacheDir, fileName, png);
  return png;
}

/**
 * Marks the cards of pages an incremental build copies from its cache instead of rendering
 * (their endpoint never runs, so never reads its card) as used, so the card cache keeps them
 * for the build that renders those pages again.
 */
export async function keepShareCardsCached(
  contents: readonly ShareCardContent[],
  cacheDir = process.env[shareCardCacheDirVariable],
): Promise<void> {
  if (!cacheDir) return;
  const fontFiles = resolveFontFiles();
  await Promise.all(
    contents.map(async (content) => touchKeptFile(cacheDir, await getShareCardFileName(buildShareCardTree(content), fontFiles))),
  );
}
