// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { satteri } from '@astrojs/markdown-satteri';
import { defaultLocale, localeKeys, locales } from './src/i18n/locales.ts';
import { listUnpublishedEssayPaths } from './src/lib/essay-files.ts';
import { checkCharts } from './src/lib/markdown/check-charts.ts';
import { localizeFootnotes } from './src/lib/markdown/localize-footnotes.ts';
import { requireImageAlt } from './src/lib/markdown/require-image-alt.ts';
import { figureCaptions } from './src/lib/markdown/figure-captions.ts';
import { alignBlocks } from './src/lib/markdown/align-blocks.ts';
import { localizeCallouts } from './src/lib/markdown/localize-callouts.ts';
import { preferencesScript } from './src/lib/preferences-script.ts';
import { contentSecurityDirectives, getScriptHash } from './src/lib/security-headers.ts';
import { staticSecurityHeaders } from './src/integrations/static-security-headers.ts';
import { pagefindSearch } from './src/integrations/pagefind-search.ts';
import { shareCardCache } from './src/integrations/share-card-cache.ts';
import { chartJsVariants } from './src/lib/charts/chart-js-variants.ts';
import { essayCatalogModule } from './src/integrations/essay-catalog-module.ts';
import { isEmbedPagePath, isParallelPagePath } from './src/lib/urls.ts';
import { importCloudflareAdapter, readDeployTarget, serverPlatformModule } from './src/integrations/deploy-target.ts';
import { devPreview } from './src/integrations/dev-preview.ts';
import { precompress } from './src/integrations/precompress.ts';
import { loadEnvFile } from './src/lib/env-file.ts';
import { maxBodyBytes } from './src/lib/node-server/request-check.ts';

// .env applies to build, dev and check as to the server; variables set in the environment win.
loadEnvFile();

const site = process.env.SITE_URL ?? 'http://localhost:4321';

/**
 * The public site, and loopback for a server reached directly on this machine (`npm start`, tests).
 * @param {string} siteUrl
 */
function getAllowedDomains(siteUrl) {
  const { protocol, hostname, port } = new URL(siteUrl);
  return [
    { protocol: protocol.slice(0, -1), hostname, ...(port && { port }) },
    // https too: a SITE_URL=https://localhost server (tests, a local TLS proxy) gets Secure cookies.
    ...['localhost', '127.0.0.1'].flatMap((loopback) => ['http', 'https'].map((scheme) => ({ protocol: scheme, hostname: loopback }))),
  ];
}
const isDev = process.argv.includes('dev');
const unpublishedPaths = listUnpublishedEssayPaths('content/essays', { includeDrafts: isDev });
// DEPLOY_TARGET=cloudflare (npm run build:cloudflare) builds a Worker with D1; the default is the Node server.
const deployTarget = readDeployTarget(process.env.DEPLOY_TARGET);
const isCloudflare = deployTarget === 'cloudflare';
const cloudflare = isCloudflare ? await importCloudflareAdapter() : undefined;

export default defineConfig({
  site,
  output: 'static',
  // `npm run dev` previews the page as readers get it: no toolbar of Astro's own laid over it.
  devToolbar: { enabled: false },
  trailingSlash: 'always',
  // Pages wait on file writes between renders; a few at a time keep the renderer busy.
  build: { concurrency: 4 },
  // A page whose cacheKey (src/lib/build/page-cache-keys.ts), code and config are unchanged is
  // copied from the previous build: keep node_modules/.astro/ between builds (see the README).
  experimental: { incrementalBuild: true },
  adapter: cloudflare
    ? cloudflare({
        configPath: 'scripts/cloudflare/wrangler.jsonc',
        // Share cards, search indexes and chart checks run on Node at build time (resvg is a native addon).
        prerenderEnvironment: 'node',
        imageService: 'passthrough',
      })
    : // Our server (src/lib/node-server) serves the build's files and hands the rest to the adapter's
      // handler, so `middleware` mode: the adapter's standalone file handler would answer first.
      // The adapter's own body limit: see maxBodyBytes for why it sits above the largest real body.
      node({ mode: 'middleware', staticHeaders: true, bodySizeLimit: maxBodyBytes }),
  // The Worker's only bindings are DB and ASSETS: no KV namespace for Astro sessions (moderator sessions live in D1).
  // A cache of its own: the two targets' configs differ, and one cache would be emptied by each
  // build of the other target (npm test builds both), so neither would ever build incrementally.
  ...(isCloudflare && { session: false, outDir: 'dist-cloudflare', cacheDir: './node_modules/.astro/cloudflare/' }),
  security: {
    // Form posts from other sites are refused (the moderation console also checks a CSRF token).
    checkOrigin: true,
    // Astro 7.4 builds a request's URL from its Host header only when the host is listed here (else
    // http://localhost:PORT, and every same-origin form post from 127.0.0.1 fails checkOrigin).
    // It then also believes X-Forwarded-Proto/-Host and X-Forwarded-For: the Node server
    // (src/lib/node-server/forwarded-headers.ts) replaces all of them before Astro reads them,
    // so run the build through `npm run serve`, never dist/server/entry.mjs on its own.
    allowedDomains: getAllowedDomains(site),
    // Off in `astro dev` only: Vite's preview injects inline styles and scripts that no hash can
    // list. The build keeps the full policy (tests/e2e/security.spec.ts checks it there).
    csp: isDev
      ? false
      : {
          directives: [...contentSecurityDirectives],
          // The one inline script (theme and language preference) must run before first paint.
          scriptDirective: { hashes: [getScriptHash(preferencesScript)] },
        },
  },
  i18n: {
    locales: localeKeys,
    defaultLocale,
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  markdown: {
    processor: satteri({
      mdastPlugins: [checkCharts()],
      hastPlugins: [localizeFootnotes, requireImageAlt, figureCaptions, localizeCallouts, alignBlocks({ essaysDir: 'content/essays' })],
    }),
    // Shiki's inline styles would need 'unsafe-inline' under the CSP; essays rarely show code.
    syntaxHighlight: false,
  },
  integrations: [
    mdx(),
    devPreview(),
    staticSecurityHeaders({ target: deployTarget }),
    shareCardCache(),
    // After the pages are written: a Pagefind search bundle per language under /pagefind/.
    pagefindSearch(),
    sitemap({
      i18n: {
        defaultLocale,
        locales: Object.fromEntries(localeKeys.map((key) => [key, locales[key].tag])),
      },
      // The root page only chooses a language; notice pages stand in for missing translations;
      // parallel views repeat two essays that are listed on their own (they are noindex).
      filter: (page) => {
        const { pathname } = new URL(page);
        return pathname !== '/' && !unpublishedPaths.has(pathname) && !isParallelPagePath(pathname) && !isEmbedPagePath(pathname);
      },
      serialize(item) {
        item.links = item.links?.filter((link) => !unpublishedPaths.has(new URL(link.url).pathname));
        return item;
      },
    }),
    // Last, once every file is written (pages, search bundle, sitemap): their compressed copies.
    precompress({ isEnabled: !isCloudflare }),
  ],
  vite: {
    plugins: [chartJsVariants(), essayCatalogModule({ essaysDir: 'content/essays' }), serverPlatformModule(deployTarget)],
    // The search worker imports Pagefind's ES module at run time; a module worker can.
    worker: { format: 'es' },
    build: {
      // A CSP without 'unsafe-inline' is planned: bundled scripts stay files, however small.
      assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined),
      rolldownOptions: {
        onwarn(warning, warn) {
          // withastro/astro#18087: MDX modules carry this directive; the warning is noise.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
