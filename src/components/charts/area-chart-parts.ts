import { CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement } from 'chart.js?area';

/** Chart.js for an area chart: a line chart filled down to zero. */
export { Chart };
export const chartParts = [LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler];
