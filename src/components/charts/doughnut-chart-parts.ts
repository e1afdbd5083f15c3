import { ArcElement, Chart, DoughnutController } from 'chart.js?doughnut';

/** Chart.js for a doughnut chart: no scales. */
export { Chart };
export const chartParts = [DoughnutController, ArcElement];
