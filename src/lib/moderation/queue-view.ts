import { isLocale, type Locale } from '../../i18n/locales.ts';
import type { Comment, CommentStatus } from '../comments/schema.ts';
import type { CommentStore } from '../comments/store.ts';
import { getCatalogVersion, type CatalogEssay } from '../essay-catalog.ts';
import { moderationPaths } from './http.ts';
import { isCommentStatus } from './service.ts';

/** The queue's `?status=`, `?essay=` and `?lang-filter=`; values it does not know are handed back to name them, and not applied. */
export interface QueueQuery {
  status: CommentStatus;
  essay?: string;
  lang?: Locale;
  /** Each value that was not understood, by parameter, cut for repeating in a message. */
  unknown: { status?: string; essay?: string; lang?: string };
}

/** Longer values are cut before they are repeated in a message. */
const maxEchoedLength = 100;

/** A value as a message may repeat it: cut, and control characters (a NUL, a line break) shown as "�" rather than lost. */
export function echoQueryValue(value: string): string {
  return [...value]
    .slice(0, maxEchoedLength)
    .join('')
    .replace(/\p{Cc}/gu, '\uFFFD');
}

export function readQueueQuery(params: URLSearchParams, catalog: readonly CatalogEssay[]): QueueQuery {
  const asked = { status: params.get('status') ?? '', essay: params.get('essay') ?? '', lang: params.get('lang-filter') ?? '' };
  const status = isCommentStatus(asked.status) ? asked.status : undefined;
  const essay = catalog.find((candidate) => candidate.slug === asked.essay)?.slug;
  const lang = isLocale(asked.lang) ? asked.lang : undefined;
  return {
    status: status ?? 'pending',
    ...(essay && { essay }),
    ...(lang && { lang }),
    unknown: {
      ...(asked.status !== '' && !status && { status: echoQueryValue(asked.status) }),
      ...(asked.essay !== '' && !essay && { essay: echoQueryValue(asked.essay) }),
      ...(asked.lang !== '' && !lang && { lang: echoQueryValue(asked.lang) }),
    },
  };
}

export interface QueueView {
  comments: Comment[];
  counts: Record<CommentStatus, number>;
  /** The comments the listed replies answer: null when that one was deleted. */
  parents: Map<string, Comment | null>;
}

/** The comments of one tab (oldest first), the count of every tab, and the comments the replies answer. */
export async function loadQueue(store: CommentStore, query: QueueQuery): Promise<QueueView> {
  const filter = { essay: query.essay, lang: query.lang };
  const [comments, counts] = await Promise.all([store.listQueue({ ...filter, status: query.status }), store.countByStatus(filter)]);
  const parentIds = [...new Set(comments.flatMap((comment) => (comment.parentId ? [comment.parentId] : [])))];
  const parents = new Map(await Promise.all(parentIds.map(async (id) => [id, (await store.getComment(id)) ?? null] as const)));
  return { comments, counts, parents };
}

/** The queue's address for another tab, keeping the essay and language filters. */
export function getQueueHref(locale: Locale, query: QueueQuery, status: CommentStatus): string {
  const search = new URLSearchParams({ status });
  if (query.essay) search.set('essay', query.essay);
  if (query.lang) search.set('lang-filter', query.lang);
  return `${moderationPaths.queue(locale)}?${search}`;
}

/** An essay's title in `locale` if it has that version, else in the one it has; a slug the build does not know stays a slug. */
export function getEssayTitle(catalog: readonly CatalogEssay[], slug: string, locale: Locale): string {
  const essay = catalog.find((candidate) => candidate.slug === slug);
  return essay ? getCatalogVersion(essay, locale).title : slug;
}
