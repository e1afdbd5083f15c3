import { createHash } from 'node:crypto';

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
