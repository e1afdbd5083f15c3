import { render, type CollectionEntry } from 'astro:content';

type RenderedEntry = Awaited<ReturnType<typeof render>>;

/**
 * An essay version's `render()` (its Content component and headings), kept for the rest of the
 * build: the essay pages and the 中英对照 views of both languages ask for each version four
 * times, and every call loads the module again and builds an error object with a stack trace
 * in case it fails. Under `astro dev` the file may change between requests, so nothing is kept.
 */
const renderedEntries = new Map<string, Promise<RenderedEntry>>();

export function renderEntryOnce(entry: CollectionEntry<'essays'>): Promise<RenderedEntry> {
  if (import.meta.env.DEV) return render(entry);
  let rendered = renderedEntries.get(entry.id);
  if (!rendered) {
    rendered = render(entry);
    renderedEntries.set(entry.id, rendered);
    // A failed render fails its page; the next page that asks tries again.
    rendered.catch(() => renderedEntries.delete(entry.id));
  }
  return rendered;
}
