/** What a GitBook-style metadata block (`**Category:** …`, `**Author:** …`) says about the original. */
export interface SourceMetadata {
  category?: string;
  authorName?: string;
  authorUrl?: string;
  /** `YYYY-MM-DD`. */
  published?: string;
  tags: string[];
  originalUrl?: string;
  originalSite?: string;
}

const metadataLinePattern = /^\s*\*\*([^*:：]+?)\s*[:：]?\s*\*\*\s*[:：]?\s*(.*?)\s*$/;
const markdownLinkPattern = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/;

const keyAliases: Record<string, keyof SourceMetadata | 'stats'> = {
  category: 'category',
  分类: 'category',
  author: 'authorName',
  作者: 'authorName',
  published: 'published',
  date: 'published',
  发布时间: 'published',
  发布于: 'published',
  日期: 'published',
  tags: 'tags',
  标签: 'tags',
  original: 'originalUrl',
  'original link': 'originalUrl',
  source: 'originalUrl',
  原文: 'originalUrl',
  原文链接: 'originalUrl',
  stats: 'stats',
};

/** `2025-01-16`, `2025/1/16`, `2025年1月16日` → `2025-01-16`. */
export function normalizeDate(text: string): string | undefined {
  const match = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(text);
  if (!match) return undefined;
  const [, year, month, day] = match;
  return `${year}-${month?.padStart(2, '0')}-${day?.padStart(2, '0')}`;
}

/** How many lines of a text are metadata lines; two or more make a metadata block. */
export function countMetadataLines(text: string): number {
  return text.split('\n').filter((line) => {
    const key = metadataLinePattern.exec(line)?.[1]?.trim().toLowerCase();
    return key !== undefined && key in keyAliases;
  }).length;
}

function readSiteName(linkText: string, url: string): string {
  const named = linkText.replace(/^(view|read)\s+(it\s+)?(on|at)\s+|^(查看)?原文[:：]?\s*|^on\s+/i, '').trim();
  if (named && named !== url) return named;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/** Reads the metadata block's lines; lines it does not know are returned in `unknown`. */
export function parseMetadata(text: string): { metadata: SourceMetadata; unknown: string[] } {
  const metadata: SourceMetadata = { tags: [] };
  const unknown: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = metadataLinePattern.exec(line);
    const field = match ? keyAliases[(match[1] ?? '').trim().toLowerCase()] : undefined;
    const value = (match?.[2] ?? '').trim();
    if (!field) {
      unknown.push(line.trim());
      continue;
    }
    const link = markdownLinkPattern.exec(value);
    switch (field) {
      case 'category':
        metadata.category = value;
        break;
      case 'authorName':
        metadata.authorName = link ? link[1] : value;
        metadata.authorUrl = link?.[2];
        break;
      case 'published':
        metadata.published = normalizeDate(value);
        break;
      case 'tags': {
        const quoted = [...value.matchAll(/`([^`]+)`/g)].map((tag) => tag[1] ?? '');
        metadata.tags = (quoted.length > 0 ? quoted : value.split(/[,，、]/)).map((tag) => tag.trim()).filter(Boolean);
        break;
      }
      case 'originalUrl':
        if (link?.[2]) {
          metadata.originalUrl = link[2];
          metadata.originalSite = readSiteName(link[1] ?? '', link[2]);
        } else if (/^https?:\/\//.test(value)) {
          metadata.originalUrl = value;
          metadata.originalSite = readSiteName('', value);
        }
        break;
      case 'stats':
        break;
    }
  }
  return { metadata, unknown };
}
