import { localeKeys, locales, type Locale } from '../../i18n/locales.ts';
import { formatDate, toIsoDate } from '../format.ts';
import { commentLinkRel, splitCommentText } from './autolink.ts';
import { renderMarkdown, type MarkdownTag } from './markdown.ts';
import type { PublicThreadJson } from './schema.ts';

/**
 * The one rendering of public comments, as a structure rather than HTML: the comments page hands it
 * to Astro (CommentTree.astro), which escapes every text and attribute, and the island builds it
 * with text nodes and setAttribute. Neither side escapes by hand, and both show a comment the same
 * way. Chosen over server-rendered fragments for the island because the essay page is static and
 * its comment list comes from the JSON API, which CDNs cache per essay, not per reader language.
 */
export interface ViewElement {
  tag: MarkdownTag | 'article' | 'header' | 'span' | 'time' | 'div';
  attributes: Record<string, string>;
  children: ViewNode[];
}

/** An element, or text (never HTML). */
export type ViewNode = ViewElement | string;

/** The UI strings the rendering says; the island gets these templates from its page. */
export const commentViewKeys = [
  'comments.author',
  'comments.reply',
  'comments.replyTo',
  'comments.writtenIn',
  ...localeKeys.map((key) => `language.name.${key}` as const),
] as const;

export type CommentViewKey = (typeof commentViewKeys)[number];

export interface CommentViewOptions {
  /** The page's language: a comment written in another one gets a badge. */
  locale: Locale;
  t: (key: CommentViewKey, values?: Record<string, string>) => string;
  /** The essay's comments page: a reply link leads to its form, replying (the island takes the click over). */
  commentsPagePath: string;
}

/** The comments page's form, replying to comment `id`: it works without JavaScript. */
export function getReplyHref(commentsPagePath: string, id: string): string {
  return `${commentsPagePath}?reply=${encodeURIComponent(id)}#comment-form`;
}

function element(tag: ViewElement['tag'], attributes: Record<string, string> = {}, children: ViewNode[] = []): ViewElement {
  return { tag, attributes, children };
}

/**
 * A comment's text: plain text exactly as it was always shown (one paragraph, line breaks, http and
 * www. links), or the Markdown subset of markdown.ts for comments written since.
 */
export function renderCommentBody(comment: Pick<PublicThreadJson, 'body' | 'format' | 'lang'>): ViewElement {
  const attributes = { class: 'comment-body', lang: locales[comment.lang].tag };
  if (comment.format === 'markdown')
    return element('div', { ...attributes, class: 'comment-body comment-markdown' }, renderMarkdown(comment.body));
  const body = splitCommentText(comment.body).map((part): ViewNode => {
    if (part.type === 'break') return element('br');
    if (part.type === 'text') return part.text;
    return element('a', { href: part.href, rel: commentLinkRel }, [part.text]);
  });
  return element('p', attributes, body);
}

function renderComment(comment: PublicThreadJson, options: CommentViewOptions): ViewElement {
  const { locale, t } = options;
  const language = t(`language.name.${comment.lang}`);
  const createdAt = new Date(comment.createdAt);
  const meta: ViewNode[] = [element('span', { class: 'comment-name' }, [comment.name])];
  if (comment.isAuthor) meta.push(element('span', { class: 'badge comment-author-badge' }, [t('comments.author')]));
  if (comment.lang !== locale)
    meta.push(element('span', { class: 'badge comment-language-badge', title: t('comments.writtenIn', { language }) }, [language]));
  meta.push(element('time', { datetime: toIsoDate(createdAt) }, [formatDate(createdAt, locale)]));
  const reply = element(
    'a',
    {
      class: 'comment-reply',
      href: getReplyHref(options.commentsPagePath, comment.id),
      'aria-label': t('comments.replyTo', { name: comment.name }),
      'data-reply-to': comment.id,
    },
    [t('comments.reply')],
  );
  const card = element('article', { class: 'comment-card' }, [
    element('header', { class: 'comment-meta' }, meta),
    renderCommentBody(comment),
    reply,
  ]);
  const replies = comment.replies.length > 0 ? [renderCommentList(comment.replies, options, true)] : [];
  return element('li', { class: comment.isAuthor ? 'comment comment-by-author' : 'comment', id: `comment-${comment.id}` }, [
    card,
    ...replies,
  ]);
}

/** A list of public threads, replies nested under their comments. */
export function renderCommentList(threads: readonly PublicThreadJson[], options: CommentViewOptions, isNested = false): ViewElement {
  return element(
    'ol',
    { class: isNested ? 'comment-list comment-replies' : 'comment-list' },
    threads.map((thread) => renderComment(thread, options)),
  );
}
