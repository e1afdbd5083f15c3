/**
 * Chart.js ships as one ES module, so a bundle that serves several chart types would put every
 * controller in one shared chunk. Importing it as `chart.js?line`, `chart.js?bar`, … makes the
 * bundler treat each as its own module and tree-shake it for that chart type alone.
 */
declare module 'chart.js?*' {
  export * from 'chart.js';
}
