import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js?line';

/** Chart.js with what a line chart needs and nothing more (see chart-js-variants.d.ts for the `?line`). */
export { Chart };
export const chartParts = [LineController, LineElement, PointElement, CategoryScale, LinearScale];
