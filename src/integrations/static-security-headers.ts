import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AstroIntegration } from 'astro';
import { baseSecurityHeaders } from '../lib/security-headers.ts';

interface HeaderEntry {
  pathname: string;
  headers: Array<{ key: string; value: string }>;
}

/**
 * The Node adapter serves prerendered pages with the headers listed in `_headers.json`
 * (where Astro puts each page's CSP). This adds the headers every response should carry.
 */
export function staticSecurityHeaders(): AstroIntegration {
  return {
    name: 'duizhao-static-security-headers',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
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
