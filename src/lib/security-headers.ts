import { createHash } from 'node:crypto';
import { localeKeys } from '../i18n/locales.ts';

/** CSP directives beyond script-src and style-src, which Astro fills with hashes per page. */
export const contentSecurityDirectives = [
  "default-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
] as const;

/** Headers every response carries, static or rendered on demand. */
export const baseSecurityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

/** Which pages other pages may show in a frame: `path` as in Cloudflare's `_headers` (a trailing `*` matches any rest). */
export interface FramingRule {
  path: string;
  /** The CSP `frame-ancestors` sources. */
  ancestors: string;
}

/**
 * Who may frame the static pages: no one, so no other site can lay a page (and its comment form)
 * under its own and steer the reader's clicks. The one place to change it: a page type that may
 * be embedded gets a rule of its own after this one; a later matching rule wins. Chart embeds
 * (`/{lang}/embed/…`: a chart, its source and a link, no form, no cookie) may be framed by anyone.
 */
export const framingRules: readonly FramingRule[] = [
  { path: '/*', ancestors: "'none'" },
  ...localeKeys.map((locale) => ({ path: `/${locale}/embed/*`, ancestors: '*' })),
];

function matchesRulePath(rulePath: string, pathname: string): boolean {
  return rulePath.endsWith('*') ? pathname.startsWith(rulePath.slice(0, -1)) : pathname === rulePath;
}

/** The framing headers for `frame-ancestors` sources: CSP, and X-Frame-Options where it can say the same thing (for browsers that predate the CSP directive). */
export function toFramingHeaders(ancestors: string): { 'Content-Security-Policy': string; 'X-Frame-Options'?: string } {
  const frameOptions = ({ "'none'": 'DENY', "'self'": 'SAMEORIGIN' } as Record<string, string | undefined>)[ancestors];
  return { 'Content-Security-Policy': `frame-ancestors ${ancestors}`, ...(frameOptions && { 'X-Frame-Options': frameOptions }) };
}

/** The framing headers of one page: the last rule that matches its path (a `<meta>` policy cannot carry `frame-ancestors`). */
export function getFramingHeaders(pathname: string, rules: readonly FramingRule[] = framingRules): ReturnType<typeof toFramingHeaders> {
  const rule = rules.findLast((candidate) => matchesRulePath(candidate.path, pathname));
  return toFramingHeaders(rule?.ancestors ?? "'none'");
}

/** The `sha256-…` source that lets one inline script run under the CSP. */
export function getScriptHash(script: string): `sha256-${string}` {
  return `sha256-${createHash('sha256').update(script).digest('base64')}`;
}

/**
 * script-src on the search pages only. Search runs Pagefind, whose engine is WebAssembly, in a
 * module worker; compiling WebAssembly under a CSP needs 'wasm-unsafe-eval'. Chromium gives a
 * worker the policy of the worker script's own response (none for our static files), but some
 * browsers apply the page's policy to the workers it starts, so the search pages allow it.
 * It permits WebAssembly compilation and nothing else: JavaScript eval and inline scripts stay
 * blocked, and every other page keeps the plain 'self' + hashes policy.
 */
export const searchScriptSources = ["'self'", "'wasm-unsafe-eval'"] as const;
