import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AstroIntegration } from 'astro';
import { baseSecurityHeaders, framingRules, getFramingHeaders, toFramingHeaders, type FramingRule } from '../lib/security-headers.ts';

interface HeaderEntry {
  pathname: string;
  headers: Array<{ key: string; value: string }>;
}

/**
 * Cloudflare `_headers` rules: the headers every static file carries, and who may frame what.
 * Headers of every matching rule are combined, so a later framing rule (an exception) first
 * detaches (`! Name`) what the earlier ones set.
 */
export function formatAssetHeadersRules(rules: readonly FramingRule[] = framingRules): string {
  const blocks = new Map<string, string[]>([['/*', Object.entries(baseSecurityHeaders).map(([key, value]) => `${key}: ${value}`)]]);
  rules.forEach((rule, index) => {
    const lines = blocks.get(rule.path) ?? [];
    if (index > 0) lines.push('! Content-Security-Policy', '! X-Frame-Options');
    lines.push(...Object.entries(toFramingHeaders(rule.ancestors)).map(([key, value]) => `${key}: ${value}`));
    blocks.set(rule.path, lines);
  });
  return [...blocks].map(([path, lines]) => [path, ...lines.map((line) => `  ${line}`)].join('\n')).join('\n\n');
}

/** A page's headers in `_headers.json` with the base and framing headers added; its own CSP gains `frame-ancestors`. */
export function addPageSecurityHeaders(entry: HeaderEntry): HeaderEntry {
  const headers = entry.headers.map((header) => ({ ...header }));
  const find = (key: string) => headers.find((header) => header.key.toLowerCase() === key.toLowerCase());
  const framing = getFramingHeaders(entry.pathname);
  for (const [key, value] of Object.entries({ ...baseSecurityHeaders, ...framing })) {
    const present = find(key);
    if (!present) headers.push({ key, value });
    else if (key === 'Content-Security-Policy' && !/(^|;)\s*frame-ancestors\s/.test(present.value)) {
      present.value = `${present.value.trim().replace(/;$/, '')}; ${value}`;
    }
  }
  return { pathname: entry.pathname, headers };
}

/**
 * The Node server sends prerendered pages with the headers listed in `_headers.json`
 * (where Astro puts each page's CSP); on Cloudflare, static assets take their headers from
 * `_headers` (each page's CSP is a meta tag there, which cannot carry `frame-ancestors`). This adds
 * the headers every response should carry and the framing rule. On Node the other files
 * (scripts, styles, images, data) get the base headers from the server (node-server/static-files.ts).
 */
export function staticSecurityHeaders(options: { target: 'node' | 'cloudflare' }): AstroIntegration {
  return {
    name: 'duizhao-static-security-headers',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        if (options.target === 'cloudflare') {
          const headersFile = new URL('_headers', dir);
          const existing = existsSync(headersFile) ? readFileSync(headersFile, 'utf8').trimEnd() : '';
          writeFileSync(headersFile, `${[existing, formatAssetHeadersRules()].filter(Boolean).join('\n\n')}\n`);
          return;
        }
        const file = new URL('../_headers.json', dir);
        if (!existsSync(file)) {
          logger.warn('No _headers.json: static pages will be served without extra security headers.');
          return;
        }
        const entries = JSON.parse(readFileSync(file, 'utf8')) as HeaderEntry[];
        writeFileSync(file, JSON.stringify(entries.map(addPageSecurityHeaders), null, '\t'));
      },
    },
  };
}
