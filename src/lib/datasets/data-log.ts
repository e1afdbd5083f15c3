import { join } from 'node:path';
import type { Locale } from '../../i18n/locales.ts';
import { formatDatasetJson } from './dataset-json.ts';
import { DatasetError } from './dataset-error.ts';
import {
  assertValidDataset,
  createFileAtomically,
  getDatasetPath,
  listDatasetIds,
  readDatasetFile,
  replaceFileAtomically,
} from './dataset-files.ts';
import { createDatasetDraft, describeInvalidDatasetId, type DatasetDraftOptions } from './dataset-scaffold.ts';
import { formatDatasetTable } from './dataset-table.ts';
import { applyObservation, type Observation, type SeriesChange } from './observation.ts';
import { parseSeriesAssignments } from './observation-values.ts';
import { appendRevision, createRevision } from './revisions.ts';

/** An observation as typed on the command line: `<x> <series>=<value> …`. */
export interface ObservationRequest {
  x: string;
  assignments: readonly string[];
  categoryNames?: Observation['categoryNames'];
}

function formatValue(value: number | null | undefined): string {
  return value === null || value === undefined ? 'null' : String(value);
}

function formatChanges(changes: readonly SeriesChange[], isReplace: boolean): string {
  return changes
    .map((change) =>
      isReplace
        ? `${change.seriesId} ${formatValue(change.before)} → ${formatValue(change.after)}`
        : `${change.seriesId}=${formatValue(change.after)}`,
    )
    .join(', ');
}

/** Runs `action`, putting the file's path in front of any DatasetError it raises. */
function withPath<Result>(path: string, action: () => Result): Result {
  try {
    return action();
  } catch (error) {
    if (error instanceof DatasetError && !error.message.startsWith(path)) throw new DatasetError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * `npm run data -- add|add --replace`: logs one observation in content/data/<id>.json, with a
 * revision dated `options.date` in the file's history. The file is rewritten only if the whole
 * dataset still passes the schema; on any error it is left as it was.
 */
export function logObservation(
  root: string,
  datasetId: string,
  request: ObservationRequest,
  options: { replace: boolean; date: string },
): string {
  const file = readDatasetFile(root, datasetId);
  return withPath(file.path, () => {
    const values = parseSeriesAssignments(request.assignments);
    const applied = applyObservation(file.dataset, { x: request.x, values, categoryNames: request.categoryNames }, options);
    const { changes } = applied;
    const dataset = appendRevision(applied.dataset, createRevision(options.date, request.x, changes, options.replace));
    assertValidDataset(dataset, 'the change would break the dataset schema');
    const text = formatDatasetJson(dataset);
    if (text !== file.source) replaceFileAtomically(join(root, file.path), text);
    return options.replace
      ? `Replaced ${request.x} in ${file.path}: ${formatChanges(changes, true)}.`
      : `Added ${request.x} to ${file.path}: ${formatChanges(changes, false)}.`;
  });
}

/** `npm run data -- show`: the dataset's title and unit, then its table. */
export function showDataset(root: string, datasetId: string, options: { locale: Locale; showIds: boolean }): string {
  const { path, dataset } = readDatasetFile(root, datasetId);
  const heading = `${dataset.title[options.locale]} (${dataset.unit[options.locale]}) · ${path}`;
  return `${heading}\n\n${formatDatasetTable(dataset, options)}`;
}

/** `npm run data -- new`: writes content/data/<id>.json with its first observation (its first revision, dated `date`); never overwrites. */
export function createDatasetFile(root: string, options: DatasetDraftOptions, firstObservation: ObservationRequest, date: string): string {
  const path = getDatasetPath(options.id);
  return withPath(path, () => {
    const invalidId = describeInvalidDatasetId(options.id);
    if (invalidId) throw new DatasetError(invalidId);
    if (listDatasetIds(root).includes(options.id))
      throw new DatasetError('already exists; choose another id, or log to it with npm run data -- add');
    const draft = createDatasetDraft(options);
    const values = parseSeriesAssignments(firstObservation.assignments);
    const applied = applyObservation(
      draft.dataset,
      { x: firstObservation.x, values, categoryNames: firstObservation.categoryNames },
      { replace: false },
    );
    const { changes } = applied;
    const dataset = appendRevision(applied.dataset, createRevision(date, firstObservation.x, changes, false));
    assertValidDataset(dataset, 'the new dataset would not pass the dataset schema');
    try {
      createFileAtomically(join(root, path), formatDatasetJson(dataset));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EEXIST') throw new DatasetError('already exists; choose another id');
      throw error;
    }
    const lines = [`Created ${path} with ${firstObservation.x}: ${formatChanges(changes, false)}.`];
    if (draft.defaulted.length > 0) lines.push(`Filled in, to look over in the file: ${draft.defaulted.join('; ')}.`);
    lines.push(`Use it in an essay: <Chart dataset="${options.id}" type="${options.xType === 'date' ? 'line' : 'bar'}" />`);
    return lines.join('\n');
  });
}
