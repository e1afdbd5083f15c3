import type { Plugin } from 'vite';

const variantParameter = 'chart-variant=';

/**
 * Chart.js ships as one ES module (plus a helpers chunk holding its shared defaults). Imported as
 * `chart.js?line`, `chart.js?bar`, …, this plugin gives each chart type its own copy in the production
 * build, helpers included, so each is tree-shaken to what that type registers and a line chart never
 * downloads bar or doughnut code; two types on one page then each load their own copy, and cannot
 * trip over each other's registered defaults. In development all variants are plain `chart.js`.
 */
export function chartJsVariants(): Plugin {
  let isBuild = false;
  return {
    name: 'duizhao:chart-js-variants',
    enforce: 'pre',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    async resolveId(source, importer, options) {
      const [path = '', query] = source.split('?');
      if (path === 'chart.js' && query) {
        const resolved = await this.resolve('chart.js', importer, { ...options, skipSelf: true });
        return resolved && isBuild ? { ...resolved, id: `${resolved.id}?${variantParameter}${query}` } : resolved;
      }
      // Chart.js's own relative imports stay inside the variant that made them.
      if (!isBuild || !importer || !source.startsWith('.')) return null;
      const [importerPath = '', importerQuery = ''] = importer.split('?');
      if (!importerQuery.startsWith(variantParameter)) return null;
      const resolved = await this.resolve(source, importerPath, { ...options, skipSelf: true });
      return resolved ? { ...resolved, id: `${resolved.id}?${importerQuery}` } : null;
    },
  };
}
