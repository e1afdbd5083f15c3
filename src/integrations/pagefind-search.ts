import type { AstroIntegration } from 'astro';
import { recordBuildTiming } from '../lib/build/build-timings.ts';
import { buildSearchIndexes } from '../lib/search/build-search-index.ts';

/** After `astro build`, indexes the built essays with Pagefind: one bundle per language under /pagefind/. */
export function pagefindSearch(): AstroIntegration {
  return {
    name: 'duizhao-pagefind-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        for (const report of await buildSearchIndexes(dir)) {
          logger.info(
            `${report.locale}: ${report.pageCount} essays indexed from ${report.fileCount} pages in ${Math.round(report.milliseconds)} ms`,
          );
          recordBuildTiming(`search-index:${report.locale}`, report.milliseconds);
        }
      },
    },
  };
}
