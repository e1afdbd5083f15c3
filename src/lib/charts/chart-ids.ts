const chartCounts = new WeakMap<object, number>();

/** An element id unique within one page render: charts count per request, so the ids are the same on every build. */
export function createChartId(request: object, datasetId: string): string {
  const count = (chartCounts.get(request) ?? 0) + 1;
  chartCounts.set(request, count);
  return `chart-${datasetId}-${count}`;
}
