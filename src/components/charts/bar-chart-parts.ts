import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js?bar';

/** Chart.js for bar and stacked-bar charts. */
export { Chart };
export const chartParts = [BarController, BarElement, CategoryScale, LinearScale];
