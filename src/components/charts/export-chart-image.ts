import type { Chart, ChartComponentLike } from 'chart.js';
import type { ChartPayload } from '../../lib/charts/chart-model.ts';
import { createAnnotationPlugin, createConfig, pickColor, readTheme, type ChartTheme, type DrawnType } from './draw-chart.ts';

/**
 * Loaded only when a reader asks for a picture of a chart: draws the chart again at a fixed size
 * (Chart.js on a canvas of its own) and sets it with its title, legend, source line, licence and
 * the site's name, in the page's language and current theme, as a PNG at twice the size or as an
 * SVG. Chart.js draws to a canvas only, so in the SVG the plot is that PNG drawing, embedded;
 * every word around it is SVG text. No server and no new dependency: the page has everything.
 */

export type ImageFormat = 'png' | 'svg';

/** What the image says around the chart, already in the page's language. */
export interface ImageTexts {
  title: string;
  source: string;
  licence: string;
  site: string;
  fileName: string;
}

/** Width of the picture in CSS pixels; the PNG has twice as many. */
const imageWidth = 960;
const pixelRatio = 2;
const margin = 40;
const plotWidth = imageWidth - 2 * margin;
const plotHeight = Math.round((plotWidth * 9) / 16);

type Operation =
  | { kind: 'text'; x: number; y: number; text: string; size: number; weight: 400 | 600; color: string; align: 'left' | 'right' }
  | { kind: 'box'; x: number; y: number; width: number; height: number; color: string }
  | { kind: 'plot'; x: number; y: number; width: number; height: number };

interface Layout {
  height: number;
  operations: Operation[];
}

function setFont(context: CanvasRenderingContext2D, size: number, weight: number, family: string): void {
  context.font = `${weight} ${size}px ${family}`;
}

/** Lines of at most `maxWidth`, broken between words as the language breaks them (between characters in Chinese). */
function wrapText(context: CanvasRenderingContext2D, text: string, maxWidth: number, locale: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const { segment } of new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)) {
    const candidate = line + segment;
    if (line && context.measureText(candidate).width > maxWidth) {
      lines.push(line.trimEnd());
      line = segment.trimStart();
    } else {
      line = candidate;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function planImage(payload: ChartPayload, texts: ImageTexts, theme: ChartTheme): Layout {
  const measure = document.createElement('canvas').getContext('2d');
  if (!measure) throw new Error('no 2D canvas');
  const operations: Operation[] = [];
  let y = margin;
  const addLines = (text: string, size: number, weight: 400 | 600, color: string, lineHeight: number) => {
    setFont(measure, size, weight, theme.fontFamily);
    for (const line of wrapText(measure, text, plotWidth, payload.locale)) {
      y += lineHeight;
      operations.push({ kind: 'text', x: margin, y: y - (lineHeight - size) / 2, text: line, size, weight, color, align: 'left' });
    }
  };
  addLines(texts.title, 26, 600, theme.ink, 36);
  y += 12;
  const legend = payload.type === 'doughnut' ? payload.labels : payload.series.map((series) => series.name);
  setFont(measure, 15, 400, theme.fontFamily);
  let x = margin;
  y += 22;
  legend.forEach((name, index) => {
    const width = 14 + 6 + measure.measureText(name).width;
    if (x > margin && x + width > margin + plotWidth) {
      x = margin;
      y += 22;
    }
    operations.push({ kind: 'box', x, y: y - 13, width: 14, height: 14, color: pickColor(theme, index) });
    operations.push({ kind: 'text', x: x + 20, y, text: name, size: 15, weight: 400, color: theme.ink, align: 'left' });
    x += width + 20;
  });
  y += 16;
  operations.push({ kind: 'plot', x: margin, y, width: plotWidth, height: plotHeight });
  y += plotHeight + 8;
  addLines(texts.source, 14, 400, theme.muted, 22);
  if (texts.licence) addLines(texts.licence, 14, 400, theme.muted, 22);
  y += 30;
  operations.push({ kind: 'text', x: margin + plotWidth, y, text: texts.site, size: 15, weight: 600, color: theme.ink, align: 'right' });
  return { height: y + margin - 10, operations };
}

/** The chart alone, drawn by Chart.js at a fixed size and twice the resolution, on a canvas off screen. */
function drawPlot(payload: ChartPayload, theme: ChartTheme, ChartClass: typeof Chart, chartParts: ChartComponentLike[]): HTMLCanvasElement {
  ChartClass.register(...chartParts);
  ChartClass.defaults.font.family = theme.fontFamily;
  const holder = document.createElement('div');
  // Chart.js measures its canvas through the DOM, so it is laid out, out of sight, while it draws.
  holder.style.cssText = `position:fixed;left:-${plotWidth * 4}px;top:0;width:${plotWidth}px;height:${plotHeight}px`;
  const canvas = document.createElement('canvas');
  holder.append(canvas);
  document.body.append(holder);
  const config = createConfig(payload, theme, [createAnnotationPlugin(payload.annotations, theme)]);
  config.options = { ...config.options, responsive: false, animation: false, devicePixelRatio: pixelRatio };
  canvas.style.width = `${plotWidth}px`;
  canvas.style.height = `${plotHeight}px`;
  canvas.width = plotWidth;
  canvas.height = plotHeight;
  const chart = new ChartClass<DrawnType>(canvas, config);
  chart.draw();
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  copy.getContext('2d')?.drawImage(canvas, 0, 0);
  chart.destroy();
  holder.remove();
  return copy;
}

function paintCanvas(layout: Layout, plot: HTMLCanvasElement, theme: ChartTheme): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = imageWidth * pixelRatio;
  canvas.height = Math.ceil(layout.height * pixelRatio);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.scale(pixelRatio, pixelRatio);
  context.fillStyle = theme.paper;
  context.fillRect(0, 0, imageWidth, layout.height);
  for (const operation of layout.operations) {
    if (operation.kind === 'plot') {
      context.drawImage(plot, operation.x, operation.y, operation.width, operation.height);
    } else if (operation.kind === 'box') {
      context.fillStyle = operation.color;
      context.fillRect(operation.x, operation.y, operation.width, operation.height);
    } else {
      setFont(context, operation.size, operation.weight, theme.fontFamily);
      context.fillStyle = operation.color;
      context.textAlign = operation.align;
      context.textBaseline = 'alphabetic';
      context.fillText(operation.text, operation.x, operation.y);
    }
  }
  return canvas;
}

function paintSvg(layout: Layout, plot: HTMLCanvasElement, theme: ChartTheme, texts: ImageTexts, lang: string): string {
  const namespace = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(namespace, 'svg');
  const make = (name: string, attributes: Record<string, string | number>, text?: string) => {
    const element = document.createElementNS(namespace, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    if (text !== undefined) element.textContent = text;
    svg.append(element);
    return element;
  };
  svg.setAttribute('xmlns', namespace);
  svg.setAttribute('width', String(imageWidth));
  svg.setAttribute('height', String(Math.ceil(layout.height)));
  svg.setAttribute('viewBox', `0 0 ${imageWidth} ${Math.ceil(layout.height)}`);
  svg.setAttribute('lang', lang);
  svg.setAttribute('font-family', theme.fontFamily);
  make('title', {}, texts.title);
  make('desc', {}, [texts.source, texts.licence, texts.site].filter(Boolean).join('\n'));
  make('rect', { width: '100%', height: '100%', fill: theme.paper });
  for (const operation of layout.operations) {
    if (operation.kind === 'plot') {
      make('image', {
        x: operation.x,
        y: operation.y,
        width: operation.width,
        height: operation.height,
        href: plot.toDataURL('image/png'),
      });
    } else if (operation.kind === 'box') {
      make('rect', { x: operation.x, y: operation.y, width: operation.width, height: operation.height, fill: operation.color });
    } else {
      make(
        'text',
        {
          x: operation.x,
          y: operation.y,
          'font-size': operation.size,
          'font-weight': operation.weight,
          fill: operation.color,
          'text-anchor': operation.align === 'right' ? 'end' : 'start',
        },
        operation.text,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

// CRC-32 as PNG chunks need it (ISO 3309). The browser has none to call, and this is the whole of it.
const crcTable = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A PNG `iTXt` chunk (UTF-8 text, so Chinese survives): what image viewers show as the picture's title, source and rights. */
function createTextChunk(keyword: string, text: string): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const data = new Uint8Array([...encoder.encode(keyword), 0, 0, 0, 0, 0, ...encoder.encode(text)]);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(encoder.encode('iTXt'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/** The canvas's PNG with the texts as metadata, inserted after the header chunk (IHDR is 8 + 25 bytes). */
async function encodePng(canvas: HTMLCanvasElement, texts: ImageTexts): Promise<Blob> {
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the canvas gave no PNG');
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const headerEnd = 8 + 25;
  const chunks = [
    createTextChunk('Title', texts.title),
    createTextChunk('Source', texts.source),
    ...(texts.licence ? [createTextChunk('Copyright', texts.licence)] : []),
    createTextChunk('Author', texts.site),
  ];
  return new Blob([bytes.slice(0, headerEnd), ...chunks, bytes.slice(headerEnd)], { type: 'image/png' });
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the link's click; the address can go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Draws the figure's chart as a picture with its title, source, licence and the site's name, and downloads it. */
export async function exportChartImage(
  host: HTMLElement,
  payload: ChartPayload,
  ChartClass: typeof Chart,
  chartParts: ChartComponentLike[],
  options: { format: ImageFormat; texts: ImageTexts },
): Promise<void> {
  const theme = readTheme(host);
  const layout = planImage(payload, options.texts, theme);
  const plot = drawPlot(payload, theme, ChartClass, chartParts);
  const fileName = `${options.texts.fileName}.${payload.locale}.${options.format}`;
  if (options.format === 'svg') {
    const svg = paintSvg(layout, plot, theme, options.texts, document.documentElement.lang);
    download(new Blob([svg], { type: 'image/svg+xml' }), fileName);
  } else {
    download(await encodePng(paintCanvas(layout, plot, theme), options.texts), fileName);
  }
}
