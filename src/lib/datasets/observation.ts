import type { Localized } from '../../i18n/locales.ts';
import type { DatasetInput } from '../charts/dataset-schema.ts';
import { slugPattern } from '../authoring/essay-folder.ts';
import { DatasetError } from './dataset-error.ts';
import { describeInvalidDate } from './iso-date.ts';

/** One position on the x axis with the values logged for it. */
export interface Observation {
  /** A `YYYY-MM-DD` date, or a category id. */
  x: string;
  /** Series id → value; `null` leaves a gap. */
  values: ReadonlyMap<string, number | null>;
  /** Names of a new category, for adding one to a category dataset. */
  categoryNames?: Localized<string>;
}

/** What one series looked like at the observation before and after: `before` is `undefined` for a new x. */
export interface SeriesChange {
  seriesId: string;
  before: number | null | undefined;
  after: number | null;
}

export interface ObservationResult {
  dataset: DatasetInput;
  changes: SeriesChange[];
}

function getXKeys(dataset: DatasetInput): string[] {
  return dataset.x.type === 'date' ? [...dataset.x.values] : dataset.x.values.map((category) => category.id);
}

function describeX(dataset: DatasetInput, x: string): string {
  return dataset.x.type === 'date' ? x : `category “${x}”`;
}

function checkSeriesIds(dataset: DatasetInput, values: ReadonlyMap<string, unknown>): void {
  const seriesIds = dataset.series.map((series) => series.id);
  for (const seriesId of values.keys()) {
    if (!seriesIds.includes(seriesId)) throw new DatasetError(`no series “${seriesId}”; the series are ${seriesIds.join(', ')}`);
  }
}

function checkX(dataset: DatasetInput, observation: Observation, isReplace: boolean): void {
  const { x, categoryNames } = observation;
  if (x.includes('=')) throw new DatasetError(`“${x}” is a value, not an x: give the x first, <x> <series>=<value> …`);
  if (dataset.x.type === 'date') {
    const invalid = describeInvalidDate(x);
    if (invalid) throw new DatasetError(`${invalid}: this dataset's x axis is dates`);
    if (categoryNames) throw new DatasetError(`--zh and --en name a new category, but this dataset's x axis is dates`);
    return;
  }
  const categoryIds = getXKeys(dataset);
  if (categoryIds.includes(x)) {
    if (categoryNames) throw new DatasetError(`category “${x}” already exists; --zh and --en only name a new one (rename it in the file)`);
    return;
  }
  if (isReplace) return;
  if (!categoryNames) {
    throw new DatasetError(
      `no category “${x}”; the categories are ${categoryIds.join(', ')}. To add a new one, name it in both languages: --zh 名称 --en Name`,
    );
  }
  if (!slugPattern.test(x))
    throw new DatasetError(`“${x}” cannot be a category id: use lowercase letters, digits and single hyphens (e.g. kwai-brazil)`);
}

/** Where a new x goes: dates in order, categories at the end. */
function findInsertIndex(dataset: DatasetInput, x: string): number {
  if (dataset.x.type === 'category') return dataset.x.values.length;
  const index = dataset.x.values.findIndex((date) => date > x);
  return index === -1 ? dataset.x.values.length : index;
}

function insertObservation(dataset: DatasetInput, observation: Observation): ObservationResult {
  const next = structuredClone(dataset);
  const index = findInsertIndex(next, observation.x);
  if (next.x.type === 'date') next.x.values.splice(index, 0, observation.x);
  else if (observation.categoryNames) next.x.values.splice(index, 0, { id: observation.x, ...observation.categoryNames });
  const changes = next.series.map((series) => {
    const after = observation.values.get(series.id) ?? null;
    series.values.splice(index, 0, after);
    return { seriesId: series.id, before: undefined, after };
  });
  return { dataset: next, changes };
}

function replaceObservation(dataset: DatasetInput, observation: Observation, index: number): ObservationResult {
  const next = structuredClone(dataset);
  const changes: SeriesChange[] = [];
  for (const series of next.series) {
    if (!observation.values.has(series.id)) continue;
    const after = observation.values.get(series.id) ?? null;
    changes.push({ seriesId: series.id, before: series.values[index] ?? null, after });
    series.values[index] = after;
  }
  return { dataset: next, changes };
}

/**
 * Adds an observation at a new x (dates kept in order, every series moved together; series not
 * named get a gap), or with `replace` corrects the named series at an existing x. The dataset
 * passed in is not changed; the result still needs the schema's check before it is written.
 */
export function applyObservation(dataset: DatasetInput, observation: Observation, options: { replace: boolean }): ObservationResult {
  checkSeriesIds(dataset, observation.values);
  checkX(dataset, observation, options.replace);
  const index = getXKeys(dataset).indexOf(observation.x);
  if (options.replace) {
    if (index === -1) throw new DatasetError(`has no ${describeX(dataset, observation.x)} to replace; leave out --replace to add it`);
    return replaceObservation(dataset, observation, index);
  }
  if (index !== -1) throw new DatasetError(`already has ${describeX(dataset, observation.x)}; to correct it, add --replace`);
  return insertObservation(dataset, observation);
}
