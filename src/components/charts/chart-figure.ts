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

  async #draw() {
    const payload = JSON.parse(this.querySelector('[data-chart-payload]')?.textContent ?? 'null') as ChartPayload | null;
    if (!payload) return;
    this.dataset.state = 'loading';
    const [{ drawChart }, { Chart, chartParts }] = await Promise.all([import('./draw-chart.ts'), partsLoaders[payload.type]()]);
    if (!this.isConnected) return;
    this.#destroy = drawChart(this, payload, Chart, chartParts);
  }
}

if (!customElements.get('chart-figure')) customElements.define('chart-figure', ChartFigure);
