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
