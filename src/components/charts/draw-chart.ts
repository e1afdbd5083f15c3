import type { ActiveElement, Chart, ChartComponentLike, ChartConfiguration, Plugin } from 'chart.js';
import { locales } from '../../i18n/locales.ts';
import type { ChartPayload } from '../../lib/charts/chart-model.ts';
import { withAlpha } from '../../lib/charts/colors.ts';
import { formatCompactNumber } from '../../lib/format.ts';

/**
 * Loaded on demand by <chart-figure>: draws one chart with the Chart.js build for its type and makes it
 * readable by keyboard. The tooltip is ours (HTML, in the page's font), so Chart.js's Tooltip plugin is not loaded.
 */

export type DrawnType = 'line' | 'bar' | 'doughnut';

/** The colours and font a chart is drawn in, read from the page. */
export interface ChartTheme {
  palette: string[];
  ink: string;
  muted: string;
  paper: string;
  grid: string;
  fontFamily: string;
}

/** Category axes with at most this many labels name every one. */
const maxLabelsShownInFull = 12;

/**
 * Colours come from CSS custom properties on the figure, so dark mode and the theme toggle apply to
 * the canvas too. A token is `light-dark(…)` text until an element uses it as a colour, so each is
 * read as the computed colour of a probe inside the figure (an `rgb(…)` the canvas understands).
 */
export function readTheme(host: HTMLElement): ChartTheme {
  const probe = document.createElement('span');
  probe.hidden = true;
  host.append(probe);
  const read = (name: string) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  const ink = read('--chart-ink');
  const theme = {
    palette: Array.from({ length: 7 }, (_, index) => read(`--chart-${index + 1}`)),
    ink,
    muted: read('--chart-muted'),
    paper: read('--chart-paper'),
    grid: withAlpha(ink, 0.1),
    fontFamily: getComputedStyle(host).fontFamily,
  };
  probe.remove();
  return theme;
}

export function pickColor(theme: ChartTheme, index: number): string {
  return theme.palette[index % theme.palette.length] ?? theme.ink;
}

/** Thin dashed vertical lines with a short label above the plot, e.g. the day a ban takes effect. */
export function createAnnotationPlugin(annotations: ChartPayload['annotations'], theme: ChartTheme): Plugin<DrawnType> {
  const labelGap = 4;
  const rowHeight = 14;
  return {
    id: 'duizhaoAnnotations',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      if (!x || annotations.length === 0) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.strokeStyle = theme.muted;
      ctx.fillStyle = theme.muted;
      ctx.lineWidth = 1;
      ctx.font = `12px ${theme.fontFamily}`;
      ctx.textBaseline = 'bottom';
      let previousRight = -Infinity;
      let row = 0;
      for (const { index, label } of annotations) {
        const position = Math.round(x.getPixelForValue(index)) + 0.5;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(position, chartArea.top - rowHeight);
        ctx.lineTo(position, chartArea.bottom);
        ctx.stroke();
        const width = ctx.measureText(label).width;
        const left = position + labelGap + width > chartArea.right ? position - labelGap - width : position + labelGap;
        row = left < previousRight + labelGap ? row + 1 : 0;
        ctx.fillText(label, left, chartArea.top - 2 - row * rowHeight);
        previousRight = left + width;
      }
      ctx.restore();
    },
  };
}

/** Shows the tooltip for the given points (all at one x index), or hides it when there are none. */
function renderTooltip(element: HTMLElement, payload: ChartPayload, active: readonly ActiveElement[]) {
  const [first] = active;
  if (!first) {
    element.hidden = true;
    return;
  }
  const title = document.createElement('strong');
  title.textContent = payload.labels[first.index] ?? '';
  const lines = active.map(({ datasetIndex, index }) => {
    const line = document.createElement('span');
    line.textContent = payload.tooltipLines[datasetIndex]?.[index] ?? '';
    return line;
  });
  element.replaceChildren(title, ...lines);
  element.hidden = false;
  const positions = active.map(({ element: point }) => point.tooltipPosition(true));
  const caretX = positions.reduce((sum, position) => sum + (position.x ?? 0), 0) / positions.length;
  const caretY = Math.min(...positions.map((position) => position.y ?? 0));
  const frameWidth = element.parentElement?.clientWidth ?? 0;
  const left = Math.min(Math.max(caretX - element.offsetWidth / 2, 0), Math.max(frameWidth - element.offsetWidth, 0));
  const above = caretY - element.offsetHeight - 10;
  element.style.left = `${left}px`;
  element.style.top = `${above >= 0 ? above : caretY + 10}px`;
}

/** The Chart.js configuration of a chart: the page's chart and the image export share it. */
export function createConfig(payload: ChartPayload, theme: ChartTheme, plugins: Plugin<DrawnType>[]): ChartConfiguration<DrawnType> {
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const isDoughnut = payload.type === 'doughnut';
  const isStacked = payload.type === 'stacked-bar';
  const type: DrawnType = isDoughnut ? 'doughnut' : payload.type === 'bar' || isStacked ? 'bar' : 'line';
  const datasets = payload.series.map((series, index) => {
    const color = pickColor(theme, index);
    if (isDoughnut) {
      return {
        label: series.name,
        data: series.values,
        backgroundColor: payload.labels.map((_, slice) => pickColor(theme, slice)),
        borderColor: theme.paper,
        borderWidth: 2,
      };
    }
    if (type === 'bar') return { label: series.name, data: series.values, backgroundColor: color, borderColor: color, maxBarThickness: 56 };
    return {
      label: series.name,
      data: series.values,
      borderColor: color,
      backgroundColor: payload.type === 'area' ? withAlpha(color, 0.18) : color,
      fill: payload.type === 'area' ? 'origin' : false,
      borderWidth: 2,
      pointRadius: 3,
      pointHoverRadius: 5,
      spanGaps: false,
    };
  });
  const axis = { grid: { color: theme.grid }, border: { display: false }, ticks: { color: theme.muted } };
  // Counts over a small range (a few readers a day, or none) get no 0.5 ticks.
  const isWholeNumbers = payload.series.every((series) => series.values.every((value) => value === null || Number.isInteger(value)));
  // A few categories must all be named: tilt them rather than let Chart.js drop one on a narrow screen.
  const showsEveryLabel = payload.labels.length <= maxLabelsShownInFull;
  return {
    type,
    data: { labels: payload.labels, datasets },
    plugins,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      locale: locales[payload.locale].intl,
      // A resize that arrives while an animation ends is kept by Chart.js for a draw that never comes (its
      // animator drops the finished animations on the next frame without drawing), so a chart drawn wide and
      // then narrowed (a phone turned, a window made smaller) kept its width; it measures again once done.
      animation: reducedMotion ? false : { duration: 150, onComplete: ({ chart }) => chart.resize() },
      interaction: isDoughnut ? { mode: 'nearest', intersect: true } : { mode: 'index', intersect: false },
      layout: { padding: { top: payload.annotations.length > 0 ? 32 : 8, right: 16 } },
      scales: isDoughnut
        ? {}
        : {
            x: {
              ...axis,
              stacked: isStacked,
              grid: { display: false },
              ticks: { ...axis.ticks, autoSkip: !showsEveryLabel, maxRotation: showsEveryLabel ? 45 : 0 },
            },
            y: {
              ...axis,
              stacked: isStacked,
              beginAtZero: true,
              ticks: {
                ...axis.ticks,
                ...(isWholeNumbers && { precision: 0 }),
                callback: (value) => formatCompactNumber(Number(value), payload.locale),
              },
            },
          },
    },
  } as ChartConfiguration<DrawnType>;
}

/**
 * Draws the chart into the figure's canvas and returns a function that tears it down.
 * Arrow keys move between points (up and down between series), and a live region reads each one out.
 */
export function drawChart(
  host: HTMLElement,
  payload: ChartPayload,
  ChartClass: typeof Chart,
  chartParts: ChartComponentLike[],
): () => void {
  const canvas = host.querySelector<HTMLCanvasElement>('[data-chart-canvas]');
  const tooltipElement = host.querySelector<HTMLElement>('[data-chart-tooltip]');
  const liveRegion = host.querySelector<HTMLElement>('[data-chart-live]');
  if (!canvas || !tooltipElement || !liveRegion) throw new Error('<chart-figure> is missing its canvas, tooltip or live region');
  ChartClass.register(...chartParts);

  const statePlugin: Plugin<DrawnType> = { id: 'duizhaoState', afterRender: () => void (host.dataset.state = 'drawn') };
  // After every pointer event Chart.js has settled which points are active (none once the pointer leaves the plot).
  const tooltipPlugin: Plugin<DrawnType> = {
    id: 'duizhaoTooltip',
    afterEvent: (chart) => renderTooltip(tooltipElement, payload, chart.getActiveElements()),
  };
  let chart: Chart<DrawnType> | undefined;
  const create = () => {
    chart?.destroy();
    const theme = readTheme(host);
    ChartClass.defaults.font.family = theme.fontFamily;
    chart = new ChartClass(
      canvas,
      createConfig(payload, theme, [createAnnotationPlugin(payload.annotations, theme), tooltipPlugin, statePlugin]),
    );
  };
  create();

  const pointCount = payload.labels.length;
  const seriesCount = payload.series.length;
  const isDoughnut = payload.type === 'doughnut';
  let focusedIndex = -1;
  let focusedSeries = 0;

  const showPoint = () => {
    if (!chart) return;
    liveRegion.textContent = payload.announcements[focusedSeries]?.[focusedIndex] ?? '';
    const datasetIndexes = isDoughnut ? [0] : payload.series.map((_, index) => index);
    const active: ActiveElement[] = datasetIndexes
      .filter((datasetIndex) => (payload.series[datasetIndex]?.values[focusedIndex] ?? null) !== null)
      .map((datasetIndex) => ({ datasetIndex, index: focusedIndex }) as ActiveElement);
    chart.setActiveElements(active);
    chart.update('none');
    renderTooltip(tooltipElement, payload, chart.getActiveElements());
  };

  const clearPoint = () => {
    if (!chart) return;
    chart.setActiveElements([]);
    chart.update('none');
    renderTooltip(tooltipElement, payload, []);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const first = focusedIndex < 0;
    switch (event.key) {
      case 'ArrowRight':
        focusedIndex = first ? 0 : Math.min(pointCount - 1, focusedIndex + 1);
        break;
      case 'ArrowLeft':
        focusedIndex = first ? 0 : Math.max(0, focusedIndex - 1);
        break;
      case 'Home':
        focusedIndex = 0;
        break;
      case 'End':
        focusedIndex = pointCount - 1;
        break;
      case 'ArrowUp':
      case 'ArrowDown':
        if (seriesCount < 2) return;
        focusedSeries = (focusedSeries + (event.key === 'ArrowDown' ? 1 : seriesCount - 1)) % seriesCount;
        focusedIndex = Math.max(focusedIndex, 0);
        break;
      case 'Escape':
        clearPoint();
        return;
      default:
        return;
    }
    event.preventDefault();
    showPoint();
  };

  // The theme can change under the chart: the toggle sets data-theme, the system setting can flip.
  const themeObserver = new MutationObserver(create);
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const darkQuery = matchMedia('(prefers-color-scheme: dark)');
  darkQuery.addEventListener('change', create);
  canvas.addEventListener('keydown', onKeyDown);
  canvas.addEventListener('blur', clearPoint);

  return () => {
    themeObserver.disconnect();
    darkQuery.removeEventListener('change', create);
    canvas.removeEventListener('keydown', onKeyDown);
    canvas.removeEventListener('blur', clearPoint);
    chart?.destroy();
  };
}
