import { isLocale, type Locale } from '../../i18n/locales.ts';
import { pagePaths } from '../urls.ts';

/** Where an href written in a page points. */
export type LinkTarget =
  { kind: 'external' } | { kind: 'same-page'; anchor: string } | { kind: 'internal'; path: string; anchor: string | undefined };

/** A page or file of the built site, as far as a path tells. */
export type SiteRoute =
  | { kind: 'essay'; locale: Locale; slug: string }
  | { kind: 'tag'; locale: Locale; id: string }
  | { kind: 'about'; locale: Locale }
  | { kind: 'listing'; locale: Locale }
  | { kind: 'root' }
  | { kind: 'file'; path: string }
  | { kind: 'unknown' };

const placeholderOrigin = 'https://duizhao.invalid';
const schemePattern = /^[a-z][a-z0-9+.-]*:/i;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Resolves an href as written in the page at `pagePath` (`/zh/essays/<slug>/`): relative links resolve like a browser would. */
export function resolveHref(href: string, pagePath: string): LinkTarget {
  const trimmed = href.trim();
  if (schemePattern.test(trimmed) || trimmed.startsWith('//')) return { kind: 'external' };
  if (trimmed.startsWith('#')) return { kind: 'same-page', anchor: decode(trimmed.slice(1)) };
  const url = new URL(trimmed, placeholderOrigin + pagePath);
  if (url.pathname === pagePath && url.hash) return { kind: 'same-page', anchor: decode(url.hash.slice(1)) };
  return { kind: 'internal', path: decode(url.pathname), anchor: url.hash ? decode(url.hash.slice(1)) : undefined };
}

/** The page path of an essay version or a content page, as the site's routes build it. */
export function getPagePath(locale: Locale, relativePath: string): string {
  return `/${locale}/${relativePath}`;
}

/** The essay page path: `/zh/essays/<slug>/`. */
export function getEssayPath(locale: Locale, slug: string): string {
  return getPagePath(locale, pagePaths.essay(slug));
}

const listingPaths: readonly string[] = [pagePaths.home, pagePaths.tags, pagePaths.archive, pagePaths.rss];

/**
 * Matches a site path against the routes in src/pages. `missingSlash` says the path names a page
 * but lacks the trailing slash every page URL has.
 */
export function matchRoute(path: string): SiteRoute & { missingSlash: boolean } {
  const lastSegment = path.split('/').pop() ?? '';
  const isFile = lastSegment.includes('.');
  const missingSlash = !isFile && !path.endsWith('/');
  const withSlash = missingSlash ? `${path}/` : path;
  if (withSlash === '/') return { kind: 'root', missingSlash };
  const [, locale, ...rest] = withSlash.split('/');
  const inner = rest.join('/');
  if (!isLocale(locale)) return isFile ? { kind: 'file', path, missingSlash } : { kind: 'unknown', missingSlash };
  if (listingPaths.includes(inner)) return { kind: 'listing', locale, missingSlash };
  if (inner === pagePaths.about) return { kind: 'about', locale, missingSlash };
  const essay = /^essays\/([^/]+)\/$/.exec(inner);
  if (essay?.[1]) return { kind: 'essay', locale, slug: essay[1], missingSlash };
  const tag = /^tags\/([^/]+)\/$/.exec(inner);
  if (tag?.[1]) return { kind: 'tag', locale, id: tag[1], missingSlash };
  return isFile ? { kind: 'file', path, missingSlash } : { kind: 'unknown', missingSlash };
}
