import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AstroIntegration } from 'astro';
import { baseSecurityHeaders } from '../lib/security-headers.ts';

interface HeaderEntry {
  pathname: string;
  headers: Array<{ key: string; value: string }>;
}

/** A Cloudflare `_headers` rule giving every static file the headers every response should carry. */
export function formatAssetHeadersRule(): string {
  return ['/*', ...Object.entries(baseSecurityHeaders).map(([key, value]) => `  ${key}: ${value}`)].join('\n');
}

/**
 * The Node adapter serves prerendered pages with the headers listed in `_headers.json`
 * (where Astro puts each page's CSP); on Cloudflare, static assets take their headers from
 * `_headers` (each page's CSP is a meta tag there). This adds the headers every response should carry.
 */
export function staticSecurityHeaders(options: { target: 'node' | 'cloudflare' }): AstroIntegration {
  return {
    name: 'duizhao-static-security-headers',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        if (options.target === 'cloudflare') {
          const headersFile = new URL('_headers', dir);
          const existing = existsSync(headersFile) ? readFileSync(headersFile, 'utf8').trimEnd() : '';
          writeFileSync(headersFile, `${[existing, formatAssetHeadersRule()].filter(Boolean).join('\n\n')}\n`);
          return;
        }
        const file = new URL('../_headers.json', dir);
        if (!existsSync(file)) {
          logger.warn('No _headers.json: static pages will be served without extra security headers.');
          return;
        }
        const entries = JSON.parse(readFileSync(file, 'utf8')) as HeaderEntry[];
        for (const entry of entries) {
          const present = new Set(entry.headers.map((header) => header.key.toLowerCase()));
          for (const [key, value] of Object.entries(baseSecurityHeaders)) {
            if (!present.has(key.toLowerCase())) entry.headers.push({ key, value });
          }
        }
        writeFileSync(file, JSON.stringify(entries, null, '\t'));
      },
    },
  };
}
