import Chart from '../charts/Chart.astro';
import AlignBreak from '../parallel/AlignBreak.astro';
import ChartReference from '../parallel/ChartReference.astro';
import Callout from './Callout.astro';

/** What an essay's MDX uses without an import (AlignBreak is put there by the build, at each `<Align>` and section). */
export const essayComponents = { Callout, Chart, AlignBreak };

/** The same for the other language's text shown beside the page's own: its charts are named, not drawn again. */
export const counterpartComponents = { ...essayComponents, Chart: ChartReference };
