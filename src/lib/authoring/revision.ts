import { createHash } from 'node:crypto';

/** Length of a revision: short enough to read in frontmatter, long enough never to collide by chance. */
const revisionLength = 10;

/** A line holding only an alignment point: adding one to both versions changes no text to translate. */
const alignLinePattern = /^[ \t]*<Align\s+id="[^"]*"\s*\/>[ \t]*(?:\n(?:[ \t]*\n)*|$)/gm;

/**
 * The revision of an essay version: a short hash of its body (`entry.body`, frontmatter excluded,
 * so editing a tag or the summary does not make translations stale; `<Align id="…" />` lines are
 * left out too). Line endings are normalised.
 */
export function getRevision(body: string): string {
  const normalized = body.replace(/\r\n?/g, '\n').replace(alignLinePattern, '').trim();
  return createHash('sha256').update(normalized).digest('hex').slice(0, revisionLength);
}

/** Whether a translation made from revision `translatedRevision` no longer matches the source body. */
export function isStaleTranslation(translatedRevision: string, sourceBody: string): boolean {
  return translatedRevision !== getRevision(sourceBody);
}
