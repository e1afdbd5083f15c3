import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const essaysDir = join(import.meta.dirname, '..', '..', 'content', 'essays');

export interface DemoEssay {
  slug: string;
  titles: { zh?: string; en?: string };
}

function readTitle(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const source = readFileSync(file, 'utf8');
  if (/^draft:\s*true/m.test(source)) return undefined;
  const title = /^title:\s*(.+)$/m.exec(source)?.[1]?.trim();
  return title?.replace(/^(['"])(.*)\1$/, '$2');
}

/** The demo essays, read from content/ so tests follow the content instead of repeating it. */
export function listDemoEssays(): DemoEssay[] {
  return readdirSync(essaysDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      slug: entry.name,
      titles: { zh: readTitle(join(essaysDir, entry.name, 'zh.mdx')), en: readTitle(join(essaysDir, entry.name, 'en.mdx')) },
    }))
    .filter((essay) => essay.titles.zh || essay.titles.en);
}

/** The text of a published essay version that search can find: title, summary and body (not the other frontmatter). */
function readSearchableText(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const source = readFileSync(file, 'utf8');
  if (/^draft:\s*true/m.test(source)) return undefined;
  const [, frontmatter = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source) ?? [];
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(frontmatter)?.[1] ?? '';
  return [field('title'), field('summary'), body].join('\n');
}

/** Published essays whose version in `lang` mentions `word` (case-insensitive): what a search for it must find. */
export function findEssaysMentioning(word: string, lang: 'zh' | 'en'): Array<DemoEssay & { title: string }> {
  return listDemoEssays().flatMap((essay) => {
    const text = readSearchableText(join(essaysDir, essay.slug, `${lang}.mdx`));
    const title = essay.titles[lang];
    return text && title && text.toLowerCase().includes(word.toLowerCase()) ? [{ ...essay, title }] : [];
  });
}

/** The draft demo essay: its slug, and sentences from its body that must never be found. */
export function findDraftEssay(): { slug: string; sentences: { zh: string; en: string } } {
  const slug = 'notes-in-progress';
  const firstSentence = (lang: 'zh' | 'en') => {
    const body = readFileSync(join(essaysDir, slug, `${lang}.mdx`), 'utf8').split(/\n---\n/)[1] ?? '';
    const paragraph = body.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
    return paragraph.split(/[。.:：]/)[0] ?? '';
  };
  if (!/^draft:\s*true/m.test(readFileSync(join(essaysDir, slug, 'zh.mdx'), 'utf8'))) throw new Error(`The demo essay ${slug} must stay a draft`);
  return { slug, sentences: { zh: firstSentence('zh'), en: firstSentence('en') } };
}

export function findTranslatedEssay(): DemoEssay & { titles: { zh: string; en: string } } {
  const essay = listDemoEssays().find((candidate) => candidate.titles.zh && candidate.titles.en);
  if (!essay?.titles.zh || !essay.titles.en) throw new Error('The demo content needs an essay in both languages');
  return { ...essay, titles: { zh: essay.titles.zh, en: essay.titles.en } };
}

export function findChineseOnlyEssay(): DemoEssay & { titles: { zh: string } } {
  const essay = listDemoEssays().find((candidate) => candidate.titles.zh && !candidate.titles.en);
  if (!essay?.titles.zh) throw new Error('The demo content needs an essay that exists only in Chinese');
  return { ...essay, titles: { zh: essay.titles.zh } };
}

const dataDir = join(import.meta.dirname, '..', '..', 'content', 'data');

/** A dataset file from content/data, as authored. */
export interface DemoDataset {
  id: string;
  title: { zh: string; en: string };
  illustrative?: boolean;
  x: { type: 'date'; values: string[] } | { type: 'category'; values: { id: string; zh: string; en: string }[] };
  series: { id: string; name: { zh: string; en: string }; values: (number | null)[]; illustrative?: boolean }[];
}

export interface DemoChart {
  slug: string;
  type: string;
  dataset: DemoDataset;
  /** The series the chart shows, in order. */
  series: DemoDataset['series'];
}

/** The first chart of a type in an essay that has it in both languages, read from the MDX and its dataset file. */
export function findChart(type: string): DemoChart {
  for (const essay of listDemoEssays()) {
    if (!essay.titles.zh || !essay.titles.en) continue;
    const source = readFileSync(join(essaysDir, essay.slug, 'zh.mdx'), 'utf8');
    for (const match of source.matchAll(/<Chart\s+([^>]*?)\/>/g)) {
      const attributes = match[1] ?? '';
      if (/type="([^"]+)"/.exec(attributes)?.[1] !== type) continue;
      const datasetId = /dataset="([^"]+)"/.exec(attributes)?.[1] ?? '';
      const dataset = JSON.parse(readFileSync(join(dataDir, `${datasetId}.json`), 'utf8')) as DemoDataset;
      const seriesIds = JSON.parse(/series=\{(\[[^\]]*\])\}/.exec(attributes)?.[1] ?? 'null') as string[] | null;
      const series = seriesIds ? dataset.series.filter((candidate) => seriesIds.includes(candidate.id)) : dataset.series;
      return { slug: essay.slug, type, dataset, series };
    }
  }
  throw new Error(`The demo content needs a translated essay with a ${type} chart`);
}
