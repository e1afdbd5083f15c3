/** What a metadata block (`**Author:** …`, `作者：…`, `- Tags: …`) says about the original. */
export interface SourceMetadata {
  category?: string;
  authorName?: string;
  authorUrl?: string;
  /** `YYYY-MM-DD`. */
  published?: string;
  /** `YYYY-MM-DD`. */
  updated?: string;
  tags: string[];
  originalUrl?: string;
  originalSite?: string;
}

type MetadataField = 'category' | 'authorName' | 'published' | 'updated' | 'tags' | 'originalUrl' | 'stats';

/**
 * Every label a metadata line may carry, by the field it fills: the one table to extend when an
 * export writes its labels differently. `withoutColon` labels may run straight into a date
 * (“发表于 2025-01-20”, “Published on January 20, 2025”), and only into a date.
 */
const metadataLabels: readonly { field: MetadataField; labels: readonly string[]; withoutColon?: readonly string[] }[] = [
  { field: 'authorName', labels: ['author', 'authors', 'written by', 'by', '作者', '撰文', '文'] },
  {
    field: 'published',
    labels: [
      'published',
      'published on',
      'published at',
      'publish date',
      'date',
      'posted',
      'posted on',
      'created',
      '发布',
      '发布于',
      '发布时间',
      '发布日期',
      '发表',
      '发表于',
      '发表时间',
      '发表日期',
      '日期',
      '时间',
    ],
    withoutColon: ['published', 'published on', 'posted on', '发布于', '发表于'],
  },
  {
    field: 'updated',
    labels: ['updated', 'updated on', 'last updated', '更新', '更新于', '更新时间', '最后更新'],
    withoutColon: ['updated on', 'last updated', '更新于'],
  },
  { field: 'tags', labels: ['tags', 'tag', 'keywords', 'topics', '标签', '关键词', '关键字', '话题'] },
  {
    field: 'originalUrl',
    labels: ['original', 'original link', 'original url', 'source', 'canonical', '原文', '原文链接', '原文地址', '来源', '出处', '转载自'],
  },
  { field: 'category', labels: ['category', 'categories', 'section', '分类', '栏目', '类别'] },
  {
    field: 'stats',
    labels: ['stats', 'views', 'reading time', 'word count', '阅读', '阅读量', '浏览', '浏览量', '字数', '阅读时间', '阅读时长'],
  },
];

const fieldByLabel = new Map(metadataLabels.flatMap((entry) => entry.labels.map((label) => [label, entry.field] as const)));
const colonlessLabels = metadataLabels.flatMap((entry) => (entry.withoutColon ?? []).map((label) => ({ label, field: entry.field })));

/** One `label: value` piece of a metadata line; `field` is undefined for a label the table does not know. */
export interface MetadataEntry {
  /** As written, without bold and colon. */
  label: string;
  field: MetadataField | undefined;
  value: string;
}

// Bold or not, colon inside or outside the bold, half- or full-width: `**Author:** x`, `**作者**：x`, `Author: x`.
const labelledPattern = /^(\*\*|__)?\s*([\p{L}][\p{L} ]{0,19}?)\s*(?:\1)?\s*[:：]\s*(?:\1)?\s*(.*)$/u;
const linePrefixPattern = /^\s*(?:>\s?)*(?:(?:[-*+]|\d+[.)])\s+)?/;
const markdownLinkPattern = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/;
const fieldSeparatorPattern = /\s+[|｜·•]\s+|\s{2,}|\u3000+/;

/** A line without its list, blockquote and hard-break decorations. */
function stripLine(line: string): string {
  // A loop rather than one `(…|\s)+$` pattern, which backtracks quadratically on long runs of spaces.
  let text = line.replace(linePrefixPattern, '').trim();
  for (;;) {
    const next = text.replace(/(?:\\|<br\s*\/?>)$/i, '').trimEnd();
    if (next === text) return text;
    text = next;
  }
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function readEntry(text: string): MetadataEntry | undefined {
  const match = labelledPattern.exec(text);
  if (match) {
    const label = (match[2] ?? '').trim();
    // `**Author: X**` leaves the closing `**` on the value.
    const value = (match[3] ?? '').replace(/^(\*\*|__)|(\*\*|__)$/g, '').trim();
    return { label, field: fieldByLabel.get(normalizeLabel(label)), value };
  }
  const plain = text.replace(/^(\*\*|__)|(\*\*|__)/g, '');
  for (const { label, field } of colonlessLabels) {
    if (!plain.toLowerCase().startsWith(`${label} `) && !(/\p{Script=Han}$/u.test(label) && plain.startsWith(label))) continue;
    const value = plain.slice(label.length).trim();
    if (readDate(value).isWhole) return { label: plain.slice(0, label.length), field, value };
  }
  return undefined;
}

/**
 * The `label: value` pieces of one line: usually one, several when an export puts them on a
 * line together (`作者：张三 | 日期：2025-01-20`). Empty when the line is not labelled.
 */
export function readMetadataLine(line: string): MetadataEntry[] {
  const text = stripLine(line);
  if (text === '') return [];
  const pieces = text.split(fieldSeparatorPattern);
  if (pieces.length > 1) {
    const entries = pieces.map(readEntry);
    if (entries.every((entry) => entry?.field)) return entries.filter((entry) => entry !== undefined);
  }
  const entry = readEntry(text);
  return entry ? [entry] : [];
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const monthPattern =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
// Hand-written rather than a date library: the four shapes exports use include `2025年1月20日`,
// which format-string parsers do not read, and `Date.parse` accepts (and invents) too much.
const datePatterns: { pattern: RegExp; read: (match: RegExpExecArray) => [string, string, string] }[] = [
  {
    pattern: /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/,
    read: (match) => [match[1] ?? '', match[2] ?? '', match[3] ?? ''],
  },
  {
    pattern: new RegExp(`\\b${monthPattern}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    read: (match) => [match[3] ?? '', String(monthNames.indexOf((match[1] ?? '').slice(0, 3).toLowerCase()) + 1), match[2] ?? ''],
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${monthPattern},?\\s+(\\d{4})\\b`, 'i'),
    read: (match) => [match[3] ?? '', String(monthNames.indexOf((match[2] ?? '').slice(0, 3).toLowerCase()) + 1), match[1] ?? ''],
  },
];
/** What may follow a date in a metadata value without making it something else: a time, a weekday. */
const dateTailPattern =
  /^(?:[\s,，]|T?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?|(?:星期|周)[一二三四五六日天]|\(?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\)?)*$/i;

/**
 * The date in a text as `YYYY-MM-DD` (`2025-01-20`, `2025/1/20`, `2025年1月20日`,
 * `January 20, 2025`, `20 Jan 2025`), and whether the date is all the text says (a time or a
 * weekday may follow). Impossible dates (`2025-02-30`) are not dates.
 */
export function readDate(text: string): { date?: string; isWhole: boolean } {
  for (const { pattern, read } of datePatterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [year, month, day] = read(match).map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { isWhole: false };
    const isWhole = text.slice(0, match.index).trim() === '' && dateTailPattern.test(text.slice(match.index + match[0].length));
    return { date: date.toISOString().slice(0, 10), isWhole };
  }
  return { isWhole: false };
}

/** `2025-01-16`, `2025/1/16`, `2025年1月16日`, `January 16, 2025` → `2025-01-16`. */
export function normalizeDate(text: string): string | undefined {
  return readDate(text).date;
}

/** How link texts name a site: “View on example.com”, “在某某网站阅读”, “查看原文”. */
const siteNamePatterns = [
  /^(?:view|read)(?:\s+it)?(?:\s+(?:on|at))\s+(.+)$/i,
  /^on\s+(.+)$/i,
  /^在(.+?)(?:上)?(?:阅读|查看|打开)(?:原文|全文)?$/,
  /^(?:查看|阅读)?(?:原文|全文)(?:链接|地址)?[:：]?\s*(.*)$/,
];

function readSiteName(linkText: string, url: string): string {
  const text = linkText.trim();
  const pattern = siteNamePatterns.find((candidate) => candidate.test(text));
  const named = (pattern ? (pattern.exec(text)?.[1] ?? '') : text).trim();
  if (named && named !== url && !/^https?:\/\//.test(named)) return named;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** Tag names from a value: backticks, links, `#hashtags`, or a list split at commas, 、, semicolons, bars or spaces. */
export function readTags(value: string): string[] {
  const quoted = [...value.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
  if (quoted.length > 0) return quoted.map((tag) => tag.trim()).filter(Boolean);
  const text = value.replace(new RegExp(markdownLinkPattern.source, 'g'), '$1,');
  const separator = /[,，、;；|｜]/.test(text) ? /[,，、;；|｜]/ : /\s+/;
  return text
    .split(separator)
    .map((tag) => tag.trim().replace(/^#/, '').trim())
    .filter(Boolean);
}

/** Something about the metadata the author should know, at a line of the source. */
interface MetadataNote {
  line: number;
  message: string;
}

/** A recognised metadata block: what it says, the lines it took from the body, and what to report. */
export interface MetadataBlock {
  metadata: SourceMetadata;
  firstLine: number;
  lastLine: number;
  /** Gaps: unreadable update dates, sources without a link, lines with an unknown label. */
  attention: MetadataNote[];
  /** A publication date that was stated but could not be read. */
  unreadablePublished?: { line: number; value: string };
  /** Lines that are site statistics rather than facts about the essay. */
  dropped: MetadataNote[];
}

/** Reads metadata entries into one result, with notes about values it could not use. */
function readEntries(entries: readonly { entry: MetadataEntry; line: number }[], block: MetadataBlock): void {
  const { metadata } = block;
  for (const { entry, line } of entries) {
    const link = markdownLinkPattern.exec(entry.value);
    const shown = entry.value.length > 60 ? `${entry.value.slice(0, 59)}…` : entry.value;
    switch (entry.field) {
      case 'category':
        metadata.category = entry.value;
        break;
      case 'authorName':
        metadata.authorName = link ? link[1] : entry.value;
        metadata.authorUrl = link?.[2];
        break;
      case 'published':
      case 'updated': {
        const { date } = readDate(entry.value);
        if (date) metadata[entry.field] = date;
        else if (entry.field === 'published') block.unreadablePublished = { line, value: shown };
        else block.attention.push({ line, message: `the update date “${shown}” could not be read: left out` });
        break;
      }
      case 'tags':
        metadata.tags.push(...readTags(entry.value).filter((tag) => !metadata.tags.includes(tag)));
        break;
      case 'originalUrl': {
        const candidate = link?.[2] ?? /^<?(https?:\/\/[^\s>]+)>?/.exec(entry.value)?.[1];
        const url = candidate && /^https?:\/\//i.test(candidate) ? candidate : undefined;
        if (url) {
          metadata.originalUrl = url;
          metadata.originalSite = readSiteName(link?.[1] ?? '', url);
        } else {
          block.attention.push({
            line,
            message: `the source “${shown}” has no link: originalUrl not set (add originalUrl and originalSite to the frontmatter if you know the address)`,
          });
        }
        break;
      }
      case 'stats':
        block.dropped.push({ line, message: `statistics in the metadata block: ${shown}` });
        break;
      case undefined:
        block.attention.push({ line, message: `metadata line not understood, left out: ${entry.label}: ${shown}` });
        break;
    }
  }
}

/** Reads a metadata block's text on its own (no search for where it stands); lines it does not know are returned in `unknown`. */
export function parseMetadata(text: string): { metadata: SourceMetadata; unknown: string[] } {
  const block: MetadataBlock = { metadata: { tags: [] }, firstLine: 1, lastLine: 1, attention: [], dropped: [] };
  const unknown: string[] = [];
  const entries = text.split('\n').flatMap((line, index) => {
    const found = readMetadataLine(line).filter((entry) => entry.field);
    if (found.length === 0 && line.trim() !== '') unknown.push(line.trim());
    return found.map((entry) => ({ entry, line: index + 1 }));
  });
  readEntries(entries, block);
  return { metadata: block.metadata, unknown };
}

const tagLinePattern = /^\s*\{%.*%\}\s*$/;
const listItemPattern = /^\s*[-*+]\s+(.+?)\s*$/;
/** How far from the top a metadata block may start, in lines. */
const headZoneLines = 40;
/** Prose paragraphs before the block: one (a lead or standfirst) is fine, two mean the article has begun. */
const headZoneParagraphs = 2;

function isProseLine(line: string): boolean {
  const text = line.trim();
  if (text === '' || tagLinePattern.test(text) || /^(#{1,6}\s|>|<|```|~~~)/.test(text) || /^([-*_])(\s*\1){2,}$/.test(text)) return false;
  // A line that is only images or links (avatar, badge, cover) is chrome, not the article starting.
  return text.replace(/!?\[[^\]]*\]\([^)]*\)/g, '').trim() !== '';
}

/** A value short enough, and unpunctuated enough, to be metadata when it stands alone (links count as their text). */
function isShortValue(value: string): boolean {
  const shown = value.replace(new RegExp(markdownLinkPattern.source, 'g'), '$1').trim();
  return shown.length > 0 && shown.length <= 60 && !/[。！？!?]$|[^\d.]\.$/.test(shown);
}

/**
 * Finds the metadata block near the top of a document (inside a `{% hint %}` or not, before or
 * after the title, as lines or as a list) and blanks its lines, so the body never shows it and
 * line numbers stay true. A block is two or more known labels in a row (blank lines and lines
 * with unknown labels between them are taken too), or one known label with a short value.
 */
export function extractMetadataBlock(text: string): { text: string; block: MetadataBlock | undefined } {
  const lines = text.split('\n');
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
    if (end !== -1) start = end + 1;
  }
  let paragraphs = 0;
  let hintStart: number | undefined;
  for (let index = start; index < lines.length && index < start + headZoneLines && paragraphs < headZoneParagraphs; index++) {
    const line = lines[index] ?? '';
    if (/^\s*(```|~~~)/.test(line)) break;
    if (/^\s*\{%\s*hint\b/.test(line)) hintStart = index;
    if (/^\s*\{%\s*endhint\s*%\}/.test(line)) hintStart = undefined;
    const first = readMetadataLine(line);
    if (!first.some((entry) => entry.field)) {
      if (isProseLine(line)) paragraphs++;
      continue;
    }
    const run = collectRun(lines, index, hintStart !== undefined);
    const known = run.entries.filter(({ entry }) => entry.field);
    const [only] = known;
    const isBlock =
      known.length >= 2 ||
      (known.length === 1 &&
        only !== undefined &&
        (only.entry.field === 'tags' ? only.entry.value !== '' : isShortValue(only.entry.value)));
    if (!isBlock) {
      paragraphs++;
      continue;
    }
    const block: MetadataBlock = { metadata: { tags: [] }, firstLine: index + 1, lastLine: run.end + 1, attention: [], dropped: [] };
    readEntries(run.entries, block);
    const taken = new Set(run.lines);
    const hint = hintStart;
    if (hint !== undefined) {
      const hintEnd = lines.findIndex((candidate, position) => position > run.end && /^\s*\{%\s*endhint\s*%\}/.test(candidate));
      const isOnlyMetadata =
        hintEnd !== -1 &&
        lines.slice(hint + 1, hintEnd).every((candidate, offset) => candidate.trim() === '' || taken.has(hint + 1 + offset));
      if (isOnlyMetadata) {
        taken.add(hint);
        taken.add(hintEnd);
        block.firstLine = hint + 1;
        block.lastLine = hintEnd + 1;
      }
    }
    return { text: lines.map((candidate, position) => (taken.has(position) ? '' : candidate)).join('\n'), block };
  }
  return { text, block: undefined };
}

/** The labelled lines from `start` on, with blank lines between them and a tag list after an empty `Tags:`; unknown labels at the end only inside a hint. */
function collectRun(
  lines: readonly string[],
  start: number,
  isInHint: boolean,
): { entries: { entry: MetadataEntry; line: number }[]; lines: number[]; end: number } {
  const rows: { entries: MetadataEntry[]; lines: number[] }[] = [];
  for (let index = start; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const found = readMetadataLine(line);
    const last = rows.at(-1);
    const lastEntry = last?.entries.at(-1);
    if (last && lastEntry?.field === 'tags' && found.length === 0 && listItemPattern.test(line)) {
      lastEntry.value = [lastEntry.value, stripLine(line)].filter(Boolean).join(', ');
      last.lines.push(index);
      continue;
    }
    // A labelled line with an unknown label and a long value is prose (“Note: this article…”).
    if (found.length === 0 || found.some((entry) => !entry.field && !isShortValue(entry.value))) break;
    rows.push({ entries: found, lines: [index] });
  }
  // Unknown labels after the last known one are not part of the block, unless a hint holds them together.
  while (!isInHint && rows.length > 0 && !rows.at(-1)?.entries.some((entry) => entry.field)) rows.pop();
  const taken = rows.flatMap((row) => row.lines);
  return {
    entries: rows.flatMap((row) => row.entries.map((entry) => ({ entry, line: (row.lines[0] ?? 0) + 1 }))),
    lines: taken,
    end: Math.max(start, ...taken),
  };
}
