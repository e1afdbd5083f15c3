import { posix } from 'node:path';
import { importedCategoryId, type ImportNote, type ImportResult } from './import-document.ts';

function formatSection(heading: string, notes: readonly ImportNote[]): string[] {
  if (notes.length === 0) return [];
  return ['', heading, ...notes.map((note) => `  ${note.line ? `line ${note.line}: ` : ''}${note.message}`)];
}

const plural = (count: number, one: string, other = `${one}s`) => `${count} ${count === 1 ? one : other}`;

/**
 * What `npm run import` tells the author: the files written, then what was converted, what could
 * not be (and stands in the text as a placeholder or comment), what was dropped as site chrome,
 * and what to check — each with the source line.
 */
export function formatImportReport(result: ImportResult, where: { source: string; essaysFolder: string }): string {
  const layout =
    result.layout.kind === 'split'
      ? `split into ${result.layout.first} and ${result.layout.second}`
      : `one language (${result.layout.locale})`;
  const folder = posix.join(where.essaysFolder, result.slug);
  const lines = [
    `Imported ${where.source} (${result.format}, ${layout}) as a draft in “${importedCategoryId}”:`,
    ...Object.keys(result.files).map((name) => `  ${posix.join(folder, name)}`),
  ];
  if (result.slugSource !== 'option')
    lines.push(`Slug “${result.slug}” comes from the ${result.slugSource}; pass --slug to choose another.`);
  lines.push(
    '',
    `In short: ${result.converted.length} converted, ${result.unconverted.length} could not be converted, ${result.dropped.length} dropped, ${plural(result.attention.length, 'thing')} to check.`,
    ...formatSection('Converted:', result.converted),
    ...formatSection(
      'Could not convert (each stands in the text as a placeholder link or an {/* import: … */} comment; rewrite it by hand):',
      result.unconverted,
    ),
    ...formatSection('Dropped as the source site’s chrome (not part of the article):', result.dropped),
    ...formatSection('Check these:', result.attention),
  );
  return lines.join('\n');
}
