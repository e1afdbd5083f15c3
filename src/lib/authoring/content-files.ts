import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'astro/zod';
import { localized } from '../../i18n/localized-schema.ts';
import { isLocale, localeKeys, type Locale, type Localized } from '../../i18n/locales.ts';
import type { DatasetInput } from '../charts/dataset-schema.ts';
import { datasetDirectory, loadDatasets, parseDatasetSource, type LoadedDataset } from '../datasets/dataset-files.ts';
import type { Diagnostic } from './diagnostics.ts';

export interface ContentFile {
  /** Relative to the project root, forward slashes: `content/essays/<slug>/zh.mdx`. */
  path: string;
  source: string;
}

export interface EssayFile extends ContentFile {
  slug: string;
  locale: Locale;
}

export interface PageFile extends ContentFile {
  name: string;
  locale: Locale;
}

/** A tag or category: an id with its name in every language. */
export type NamedEntry = { id: string } & Localized<string>;

/** Everything under content/ (and public/) the checks read, loaded once. */
export interface ContentSnapshot {
  essays: EssayFile[];
  pages: PageFile[];
  tags: NamedEntry[];
  categories: NamedEntry[];
  /** Author ids (file names in content/authors/) with their names in both languages. */
  authors: { id: string; names: string[] }[];
  /** Every file of content/data, valid or not, read as the build reads it; none when the folder does not exist. */
  datasets: LoadedDataset[];
  /** Each dataset as last committed to git (HEAD), when it was and is valid: what hand edits are measured against. */
  committedDatasets: Map<string, DatasetInput>;
  /** Paths under public/ as the site serves them: `/favicon.svg`. */
  publicFiles: Set<string>;
  /** Every other file in essay folders (images), relative to the project root. */
  essayAssets: Set<string>;
  /** Problems found while reading: unreadable registries, stray files. */
  problems: Diagnostic[];
}

export const contentPaths = {
  essays: 'content/essays',
  pages: 'content/pages',
  tags: 'content/tags.json',
  categories: 'content/categories.json',
  authors: 'content/authors',
  data: datasetDirectory,
  public: 'public',
} as const;

const namedEntriesSchema = z.array(z.object({ id: z.string(), ...localized(z.string()).shape }).loose());

const authorNamesSchema = z.object({ name: z.record(z.string(), z.string()) }).loose();

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function listDirectories(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

function listFilesRecursively(root: string, base = root): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    return entry.isDirectory() ? listFilesRecursively(path, base) : [toPosix(relative(base, path))];
  });
}

function problem(file: string, message: string, rule = 'content-files'): Diagnostic {
  return { file, line: 1, column: 1, level: 'error', rule, message };
}

function readNamedEntries(root: string, path: string, problems: Diagnostic[]): NamedEntry[] {
  const file = join(root, path);
  if (!existsSync(file)) {
    problems.push(problem(path, 'file is missing'));
    return [];
  }
  try {
    const parsed = namedEntriesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    problems.push(problem(path, `expected a list of { id, ${localeKeys.join(', ')} }: ${parsed.error.issues[0]?.message ?? ''}`));
  } catch (error) {
    problems.push(problem(path, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`));
  }
  return [];
}

/** Reads the content tree of the project at `root`. */
export function readContentSnapshot(root: string): ContentSnapshot {
  const problems: Diagnostic[] = [];
  const essays: EssayFile[] = [];
  const essayAssets = new Set<string>();
  for (const slug of listDirectories(join(root, contentPaths.essays))) {
    const folder = `${contentPaths.essays}/${slug}`;
    for (const name of listFilesRecursively(join(root, folder)).sort()) {
      const path = `${folder}/${name}`;
      const match = /^(.+)\.mdx$/.exec(name);
      if (match && isLocale(match[1])) {
        essays.push({ path, slug, locale: match[1], source: readFileSync(join(root, path), 'utf8') });
      } else if (/\.(mdx?|markdown)$/.test(name)) {
        problems.push({
          ...problem(path, `not loaded: essay files are named ${localeKeys.map((locale) => `${locale}.mdx`).join(' or ')}`),
          level: 'warning',
        });
      } else {
        essayAssets.add(path);
      }
    }
  }
  const pages: PageFile[] = [];
  for (const name of listDirectories(join(root, contentPaths.pages))) {
    for (const file of readdirSync(join(root, contentPaths.pages, name)).sort()) {
      const match = /^(.+)\.mdx$/.exec(file);
      if (!match || !isLocale(match[1])) continue;
      const path = `${contentPaths.pages}/${name}/${file}`;
      pages.push({ path, name, locale: match[1], source: readFileSync(join(root, path), 'utf8') });
    }
  }
  const authorsDir = join(root, contentPaths.authors);
  const authors = (
    existsSync(authorsDir)
      ? readdirSync(authorsDir)
          .filter((file) => file.endsWith('.json'))
          .sort()
      : []
  ).map((file) => {
    const id = file.slice(0, -'.json'.length);
    try {
      const parsed = authorNamesSchema.safeParse(JSON.parse(readFileSync(join(authorsDir, file), 'utf8')));
      return { id, names: parsed.success ? Object.values(parsed.data.name) : [] };
    } catch {
      // The build reports a broken author file; here it only lacks names.
      return { id, names: [] };
    }
  });
  const datasets = loadDatasets(root);
  return {
    essays,
    pages,
    tags: readNamedEntries(root, contentPaths.tags, problems),
    categories: readNamedEntries(root, contentPaths.categories, problems),
    authors,
    datasets,
    committedDatasets: readCommittedDatasets(root, datasets),
    publicFiles: new Set(listFilesRecursively(join(root, contentPaths.public)).map((file) => `/${file}`)),
    essayAssets,
    problems,
  };
}

/**
 * The committed (git HEAD) text of each dataset, parsed; none outside a git work tree, for a file
 * never committed, or one whose committed version was invalid.
 */
function readCommittedDatasets(root: string, datasets: readonly LoadedDataset[]): Map<string, DatasetInput> {
  const committed = new Map<string, DatasetInput>();
  for (const loaded of datasets) {
    const result = spawnSync('git', ['show', `HEAD:./${loaded.path}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (result.status !== 0 || result.error) continue;
    const parsed = parseDatasetSource(loaded.id, loaded.path, result.stdout);
    if (parsed.isValid) committed.set(loaded.id, parsed.input);
  }
  return committed;
}
