import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const staticHandlerModule = /[\\/]@astrojs[\\/]node[\\/]dist[\\/]serve-static\.js$/;
const trailingSlashModule = fileURLToPath(new URL('../lib/http/trailing-slash.ts', import.meta.url));
const securityHeadersModule = fileURLToPath(new URL('../lib/security-headers.ts', import.meta.url));

/** What is changed in @astrojs/node 11.1's static file handler, and into what. */
const patches = [
  {
    why: 'the trailing-slash redirect',
    // Every method got a 301, which clients follow with a GET: POST /api/comments lost its body.
    pattern: /(case "always": \{\s*if \(!hasSlash && !hasFileExtension\(urlPath\) && !isInternalPath\(urlPath\)\) \{\s*pathname = [^;]+;\s*)res\.statusCode = 301;/,
    replacement: '$1res.statusCode = getTrailingSlashRedirectStatus(req.method);',
  },
  {
    why: 'the headers of a file about to be sent',
    // `send` announces a file's headers (200, 206 and 304 alike) before it writes them.
    pattern: /(\n(\s*)let forwardError = false;)/,
    replacement: '\n$2stream.on("headers", (response) => { for (const [key, value] of Object.entries(baseSecurityHeaders)) response.setHeader(key, value); });$1',
  },
];

/**
 * @astrojs/node answers for static files before Astro (and our middleware) sees a request, and no
 * adapter option reaches what it does there:
 * - every request for an address without its trailing slash got a 301, whatever its method and
 *   whether or not the route is rendered on demand (Astro itself, and so the Worker, answers
 *   other methods with a 308; src/lib/http/trailing-slash.ts);
 * - scripts, styles, images, fonts, search and data files went out without the headers every
 *   response carries (baseSecurityHeaders: nosniff, the referrer policy); pages get theirs from
 *   `_headers.json` (static-security-headers.ts).
 * The build changes the handler to follow our rules, and stops if the handler no longer has the
 * expected shape rather than quietly shipping the old behaviour.
 */
export function nodeStaticFiles(): Plugin {
  return {
    name: 'duizhao:node-static-files',
    transform(code, id) {
      if (!staticHandlerModule.test(id)) return undefined;
      let patched = code;
      for (const { why, pattern, replacement } of patches) {
        if (!pattern.test(patched)) {
          throw new Error(`${id}: ${why} is not where src/integrations/node-static-files.ts expects it; check the @astrojs/node upgrade`);
        }
        patched = patched.replace(pattern, replacement);
      }
      const imports = [
        `import { getTrailingSlashRedirectStatus } from ${JSON.stringify(trailingSlashModule)};`,
        `import { baseSecurityHeaders } from ${JSON.stringify(securityHeadersModule)};`,
      ];
      return { code: `${imports.join('\n')}\n${patched}`, map: null };
    },
  };
}
