/** `chart.js?line`, `chart.js?bar`, …: Chart.js built for one chart type (see lib/charts/chart-js-variants.ts). */
declare module 'chart.js?*' {
  export * from 'chart.js';
}
