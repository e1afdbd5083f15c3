import type { ViewElement } from '../../lib/comments/comment-view.ts';

/**
 * What the comment islands share to put comments on the page: the rendering, loaded on demand,
 * and the builder that turns it into elements.
 */

let commentView: Promise<typeof import('../../lib/comments/comment-view.ts')> | undefined;
/**
 * The shared rendering carries the Markdown parser (about 40 KB gzipped), so it is loaded when there
 * is something to render (a listed comment, or a reader starting to write), never with the page.
 */
export function loadCommentView() {
  commentView ??= import('../../lib/comments/comment-view.ts');
  return commentView;
}

/** Builds the shared rendering with text nodes and setAttribute: nothing in a comment is read as HTML. */
export function buildElement(node: ViewElement): HTMLElement {
  const built = document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attributes)) built.setAttribute(name, value);
  built.append(...node.children.map((child) => (typeof child === 'string' ? document.createTextNode(child) : buildElement(child))));
  return built;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
