// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { satteri } from '@astrojs/markdown-satteri';
import { defaultLocale, localeKeys, locales } from './src/i18n/locales.ts';
import { listUnpublishedEssayPaths } from './src/lib/essay-files.ts';
import { localizeFootnotes } from './src/lib/markdown/localize-footnotes.ts';

const site = process.env.SITE_URL ?? 'http://localhost:4321';
const isDev = process.argv.includes('dev');
const unpublishedPaths = listUnpublishedEssayPaths('content/essays', { includeDrafts: isDev });

export default defineConfig({
  site,
  output: 'static',
  trailingSlash: 'always',
  // Form posts from other sites are refused (the moderation console also checks a CSRF token).
  security: { checkOrigin: true },
  adapter: node({ mode: 'standalone' }),
  i18n: {
    locales: localeKeys,
    defaultLocale,
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  markdown: {
    processor: satteri({ hastPlugins: [localizeFootnotes] }),
  },
  integrations: [
    mdx(),
    sitemap({
      i18n: {
        defaultLocale,
        locales: Object.fromEntries(localeKeys.map((key) => [key, locales[key].tag])),
      },
      // The root page only chooses a language; notice pages stand in for missing translations.
      filter: (page) => new URL(page).pathname !== '/' && !unpublishedPaths.has(new URL(page).pathname),
      serialize(item) {
        item.links = item.links?.filter((link) => !unpublishedPaths.has(new URL(link.url).pathname));
        return item;
      },
    }),
  ],
  vite: {
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
