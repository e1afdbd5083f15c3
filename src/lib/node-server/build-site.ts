import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackSite(url: URL): boolean {
  return loopbackHosts.has(url.hostname);
}

/**
 * The SITE_URL a build was made with. Astro's `site` ends up in the build's robots.txt
 * (src/pages/robots.txt.ts names the sitemap by it), the one generated file whose format is ours.
 */
export function readBuildSite(distDir: string): URL | undefined {
  let text: string;
  try {
    text = readFileSync(join(distDir, 'client', 'robots.txt'), 'utf8');
  } catch {
    return undefined;
  }
  const sitemap = /^Sitemap:\s*(\S+)\s*$/m.exec(text)?.[1];
  return sitemap && URL.canParse(sitemap) ? new URL(new URL(sitemap).origin) : undefined;
}

/**
 * The public address the server uses: SITE_URL, else the build's own unless that was the
 * loopback default (then each request's Host, for local use). A SITE_URL on a real domain must
 * be the build's: the allowed origins, canonical links and feeds were fixed when it was built.
 */
export function resolveSiteUrl(runtime: URL | undefined, build: URL | undefined): URL | undefined {
  if (!runtime) return build && !isLoopbackSite(build) ? build : undefined;
  if (build && !isLoopbackSite(runtime) && runtime.origin !== build.origin) {
    throw new Error(
      `SITE_URL is ${runtime.origin} but the build in dist/ was made for ${build.origin}: build again with this SITE_URL (npm start does both)`,
    );
  }
  return runtime;
}
