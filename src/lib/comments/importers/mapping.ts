import { createHash } from 'node:crypto';
import { z } from 'astro/zod';
import { compile } from 'html-to-text';
import { localeKeys, type Locale } from '../../../i18n/locales.ts';
import { cleanName, hasVisibleText, removeBidirectionalControls } from '../names.ts';
import { commentLimits, normalizeText, type CommentFormat, type CommentStatus, type StoredComment } from '../schema.ts';

export const importSystems = ['waline', 'twikoo', 'disqus', 'wordpress'] as const;
export type ImportSystem = (typeof importSystems)[number];

/** A file that cannot be read as the system's export at all: the whole import stops with this one line. */
export class ImportFileError extends Error {}

/** One comment as the source system has it, before it is placed on an essay. */
export interface SourceComment {
  sourceId: string;
  /** The page it was written on: a URL or a path. */
  url: string;
  parentSourceId: string | null;
  name: string;
  email: string | null;
  body: string;
  /** 'html' bodies become plain text; nothing is ever stored as HTML. */
  bodyFormat: 'html' | CommentFormat;
  /** A Date, or what the file held when it is not a time (reported as a bad date). */
  createdAt: Date | string;
  status: CommentStatus;
  isAuthor: boolean;
}

/** A row the source had that cannot come in, or that fails its system's shape. */
export interface ImportProblem {
  sourceId: string;
  url?: string;
  reason: string;
}

/** A row deliberately not imported (a pingback), counted in the report but no obstacle. */
export interface ImportSkip {
  sourceId: string;
  reason: string;
}

export interface ParsedSource {
  comments: SourceComment[];
  problems: ImportProblem[];
  skipped: ImportSkip[];
}

/** Where a page's comments go: an essay and the language version they were written under. */
export interface EssayTarget {
  essay: string;
  lang: Locale;
}

const mapFileSchema = z.record(
  z.string().min(1),
  z.strictObject({ essay: z.string().min(1), lang: z.enum(localeKeys as [Locale, ...Locale[]]) }),
);

/** The path of a URL or path, without query, fragment, index.html or trailing slash; undefined when it is not one. */
function toPathKey(urlOrPath: string): string | undefined {
  const trimmed = urlOrPath.trim();
  if (trimmed === '') return undefined;
  let pathname: string;
  try {
    pathname = new URL(trimmed, 'http://import.invalid/').pathname;
  } catch {
    return undefined;
  }
  try {
    pathname = decodeURIComponent(pathname);
  } catch {
    // A stray % stays as it was; it will simply match nothing.
  }
  return pathname.replace(/\/index\.html?$/, '/').replace(/\/+$/, '') || '/';
}

/** The essay pages this site has: `slug/lang` of each content/essays/<slug>/<lang>.mdx. */
export type KnownEssays = ReadonlySet<string>;

/**
 * Reads a `--map` file ({"<path or url>": {"essay", "lang"}}): every entry must name an essay version
 * that exists, or the file is refused with the first wrong entry.
 */
export function parseMapFile(text: string, known: KnownEssays): Map<string, EssayTarget> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`The --map file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = mapFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImportFileError(
      `The --map file must be {"<path or url>": {"essay": "<slug>", "lang": "${localeKeys.join('" | "')}"}}: ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? ''}`,
    );
  }
  const map = new Map<string, EssayTarget>();
  for (const [key, target] of Object.entries(parsed.data)) {
    if (!known.has(`${target.essay}/${target.lang}`))
      throw new ImportFileError(`The --map file sends "${key}" to ${target.essay} (${target.lang}), which is not an essay version here.`);
    const path = toPathKey(key);
    if (path === undefined) throw new ImportFileError(`The --map file has a key that is not a URL or path: "${key}".`);
    map.set(path, target);
  }
  return map;
}

/** The essay a page of this site (/{lang}/essays/{slug}/) or a `--map` entry names; undefined when none. */
export function findEssayTarget(url: string, known: KnownEssays, map: ReadonlyMap<string, EssayTarget>): EssayTarget | undefined {
  const path = toPathKey(url);
  if (path === undefined) return undefined;
  const mapped = map.get(path);
  if (mapped) return mapped;
  const match = /^\/([a-z]+)\/essays\/([^/]+)$/.exec(path);
  if (!match) return undefined;
  const [, lang, essay] = match;
  return lang && essay && known.has(`${essay}/${lang}`) ? { essay, lang: lang as Locale } : undefined;
}

const idPrefixes: Record<ImportSystem, string> = { waline: 'waline', twikoo: 'twikoo', disqus: 'disqus', wordpress: 'wp' };

/**
 * The same id every time the same source comment is imported, so a second run collides with the first
 * and `importComments` refuses it instead of doubling the comments.
 */
export function toImportedId(system: ImportSystem, sourceId: string): string {
  const prefix = idPrefixes[system];
  if (/^[A-Za-z0-9_-]{1,48}$/.test(sourceId)) return `${prefix}-${sourceId}`;
  return `${prefix}-${createHash('sha256').update(sourceId).digest('base64url').slice(0, 32)}`;
}

// Compiled once: html-to-text's convert() builds its options on every call, 20 times slower.
const convertHtml = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/**
 * HTML as plain text: tags dropped, text kept, a link's address kept after its text (`text [url]`).
 * html-to-text parses it (htmlparser2) rather than a regex, so broken or hostile markup cannot leave a tag behind.
 */
export function convertHtmlToText(html: string): string {
  return convertHtml(html);
}

// C0 and C1 controls but tab and line break: the same characters commentInputSchema refuses in a body.
const bodyControlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const nameControlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
const emailSchema = z.email().max(commentLimits.emailLength);

/** Source comments as comments of this site, with each row that cannot come in and why. */
export function mapSourceComments(
  system: ImportSystem,
  source: ParsedSource,
  known: KnownEssays,
  map: ReadonlyMap<string, EssayTarget>,
): { comments: StoredComment[]; problems: ImportProblem[] } {
  const problems = [...source.problems];
  const mapped = new Map<string, StoredComment>();
  const seen = new Set<string>();
  for (const row of source.comments) {
    const fail = (reason: string) => problems.push({ sourceId: row.sourceId, url: row.url, reason });
    if (seen.has(row.sourceId)) {
      fail('the same id appears twice in the file');
      continue;
    }
    seen.add(row.sourceId);
    const target = findEssayTarget(row.url, known, map);
    if (!target) {
      fail('unknown URL (not an essay page here; add it to a --map file)');
      continue;
    }
    if (typeof row.createdAt === 'string' || Number.isNaN(row.createdAt.getTime())) {
      fail(`bad date "${String(row.createdAt)}"`);
      continue;
    }
    const text = row.bodyFormat === 'html' ? convertHtmlToText(row.body) : row.body;
    const body = removeBidirectionalControls(normalizeText(text).replace(bodyControlCharacters, '')).trim();
    if (!hasVisibleText(body)) {
      fail('empty body');
      continue;
    }
    if ([...body].length > commentLimits.bodyLength) {
      fail(`body longer than ${commentLimits.bodyLength} characters`);
      continue;
    }
    const name = cleanName(normalizeText(row.name).replace(nameControlCharacters, '')).trim();
    if (!hasVisibleText(name)) {
      fail('no author name');
      continue;
    }
    const email = row.email && emailSchema.safeParse(row.email.trim()).success ? row.email.trim() : null;
    mapped.set(row.sourceId, {
      id: toImportedId(system, row.sourceId),
      essay: target.essay,
      lang: target.lang,
      parentId: row.parentSourceId === null ? null : toImportedId(system, row.parentSourceId),
      name: [...name].slice(0, commentLimits.nameLength).join(''),
      email,
      body,
      format: row.bodyFormat === 'markdown' ? 'markdown' : 'plain',
      isPrivate: false,
      isAuthor: row.isAuthor,
      status: row.status,
      createdAt: row.createdAt,
      moderatedAt: null,
      ipHash: null,
    });
  }
  // A reply comes in only under a parent that comes in too, on the same essay: repeated until stable,
  // because dropping a parent drops its replies.
  const rows = new Map(source.comments.map((row) => [row.sourceId, row]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const [sourceId, comment] of mapped) {
      const row = rows.get(sourceId);
      if (!row || row.parentSourceId === null) continue;
      const parent = mapped.get(row.parentSourceId);
      if (parent && parent.essay === comment.essay) continue;
      problems.push({
        sourceId,
        url: row.url,
        reason: parent
          ? `parent ${row.parentSourceId} is on another essay (${parent.essay})`
          : `parent ${row.parentSourceId} missing or not imported`,
      });
      mapped.delete(sourceId);
      changed = true;
    }
  }
  return { comments: [...mapped.values()], problems };
}

const statusOrder: CommentStatus[] = ['approved', 'pending', 'rejected', 'spam'];

/** The report the CLI prints: what comes in per essay and language, what is left out, what cannot come in and why. */
export function formatImportReport(
  system: ImportSystem,
  file: string,
  source: ParsedSource,
  result: { comments: readonly StoredComment[]; problems: readonly ImportProblem[] },
): string {
  const lines = [`${system} export ${file}: ${source.comments.length + source.problems.length + source.skipped.length} rows read.`];
  const groups = new Map<string, Record<CommentStatus, number>>();
  for (const comment of result.comments) {
    const key = `${comment.essay} (${comment.lang})`;
    const counts = groups.get(key) ?? { approved: 0, pending: 0, rejected: 0, spam: 0 };
    counts[comment.status] += 1;
    groups.set(key, counts);
  }
  lines.push(`Can import ${result.comments.length}:`);
  for (const [key, counts] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const parts = statusOrder.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${status}`);
    lines.push(`  ${key}: ${total} (${parts.join(', ')})`);
  }
  if (source.skipped.length > 0) {
    lines.push(`Left out ${source.skipped.length}:`);
    for (const skip of source.skipped) lines.push(`  ${skip.sourceId}: ${skip.reason}`);
  }
  if (result.problems.length > 0) {
    lines.push(`Cannot import ${result.problems.length}:`);
    for (const problem of result.problems) lines.push(`  ${problem.sourceId}${problem.url ? ` (${problem.url})` : ''}: ${problem.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A time from an export: ISO text, milliseconds, or LeanCloud's {"iso": "…"}; the raw value as text when it is none. */
export function readSourceDate(value: unknown): Date | string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    if (/^\d{10,}$/.test(text)) return new Date(Number(text));
    // WordPress writes "2013-05-08 12:00:00" for its GMT column: a UTC time without the zone.
    const date = new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
    return Number.isNaN(date.getTime()) ? text : date;
  }
  if (typeof value === 'object' && value !== null && 'iso' in value) return readSourceDate(value.iso);
  return JSON.stringify(value) ?? 'missing';
}

/** The first issue of a row's schema check, as a reason in the report. */
export function describeRowIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `missing or wrong field ${issue?.path.join('.') || '(row)'}: ${issue?.message ?? 'invalid'}`;
}
