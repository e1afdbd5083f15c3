import type { Chart, ChartComponentLike } from 'chart.js';
import type { ChartPayload } from '../../lib/charts/chart-model.ts';
import type { ChartType } from '../../lib/charts/chart-types.ts';

/**
 * The chart island's bootstrap, the only chart code a page loads up front: it defines <chart-figure>,
 * wires the "show data" toggle and, when the figure comes near the viewport, fetches Chart.js with
 * just the parts its chart type needs.
 */

type PartsModule = Promise<{ Chart: typeof Chart; chartParts: ChartComponentLike[] }>;

/** One small module per chart type, so a line chart never downloads the bar or doughnut controllers. */
const partsLoaders: Record<ChartType, () => PartsModule> = {
  line: () => import('./line-chart-parts.ts'),
  area: () => import('./area-chart-parts.ts'),
  bar: () => import('./bar-chart-parts.ts'),
  'stacked-bar': () => import('./bar-chart-parts.ts'),
  doughnut: () => import('./doughnut-chart-parts.ts'),
};

/** Start loading a little before the figure scrolls into view, so the chart is there when the reader is. */
const loadAheadMargin = '300px 0px';

class ChartFigure extends HTMLElement {
  #observer: IntersectionObserver | undefined;
  #destroy: (() => void) | undefined;

  connectedCallback() {
    this.querySelector('[data-chart-toggle]')?.addEventListener('click', this.#toggleTable);
    this.querySelector('[data-chart-export]')?.addEventListener('click', this.#exportImage);
    const frame = this.querySelector('[data-chart-frame]');
    if (!frame) return;
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.#observer?.disconnect();
        this.#draw().catch((error: unknown) => {
          this.dataset.state = 'failed';
          console.error(error);
        });
      },
      { rootMargin: loadAheadMargin },
    );
    this.#observer.observe(frame);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    this.#destroy?.();
  }

  #toggleTable = (event: Event) => {
    const button = event.currentTarget;
    if (!(button instanceof HTMLButtonElement)) return;
    const isOpen = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(isOpen));
    const label = isOpen ? button.dataset.labelOpen : button.dataset.labelClosed;
    if (label) button.textContent = label;
    this.querySelector('[data-chart-table]')?.classList.toggle('is-open', isOpen);
  };

  #readPayload(): ChartPayload | null {
    return JSON.parse(this.querySelector('[data-chart-payload]')?.textContent ?? 'null') as ChartPayload | null;
  }

  /** PNG or SVG of the chart; the drawing code loads on the first click, never before. */
  #exportImage = async (event: Event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-format]') : null;
    const panel = event.currentTarget;
    const payload = this.#readPayload();
    if (!button || !(panel instanceof HTMLElement) || !payload || panel.dataset.state === 'working') return;
    const status = panel.querySelector('[data-export-status]');
    const { title = '', source = '', licence = '', site = '', fileName = 'chart' } = panel.dataset;
    panel.dataset.state = 'working';
    try {
      const [{ exportChartImage }, { Chart, chartParts }] = await Promise.all([
        import('./export-chart-image.ts'),
        partsLoaders[payload.type](),
      ]);
      const format = button.dataset.format === 'svg' ? 'svg' : 'png';
      await exportChartImage(this, payload, Chart, chartParts, { format, texts: { title, source, licence, site, fileName } });
      panel.dataset.state = 'done';
      if (status) status.textContent = panel.dataset.done ?? '';
    } catch (error) {
      panel.dataset.state = 'failed';
      if (status) status.textContent = panel.dataset.failed ?? '';
      console.error(error);
    }
  };

  async #draw() {
    const payload = this.#readPayload();
    if (!payload) return;
    this.dataset.state = 'loading';
    const [{ drawChart }, { Chart, chartParts }] = await Promise.all([import('./draw-chart.ts'), partsLoaders[payload.type]()]);
    if (!this.isConnected) return;
    this.#destroy = drawChart(this, payload, Chart, chartParts);
  }
}

if (!customElements.get('chart-figure')) customElements.define('chart-figure', ChartFigure);
