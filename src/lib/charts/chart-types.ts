/** The chart types `<Chart type="…">` accepts. */
export const chartTypes = ['line', 'area', 'bar', 'stacked-bar', 'doughnut'] as const;

export type ChartType = (typeof chartTypes)[number];

export function isChartType(value: unknown): value is ChartType {
  return typeof value === 'string' && (chartTypes as readonly string[]).includes(value);
}
