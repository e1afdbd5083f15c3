import type { DatasetInput, DatasetRevision } from '../charts/dataset-schema.ts';
import type { SeriesChange } from './observation.ts';

type PointValue = number | null;

/** The revision `npm run data` records for one observation it logged on `date`. */
export function createRevision(date: string, x: string, changes: readonly SeriesChange[], isReplace: boolean): DatasetRevision {
  return isReplace
    ? {
        date,
        change: 'replace',
        x,
        values: Object.fromEntries(changes.map((change) => [change.seriesId, { from: change.before ?? null, to: change.after }])),
      }
    : { date, change: 'add', x, values: Object.fromEntries(changes.map((change) => [change.seriesId, change.after])) };
}

/** `dataset` with `revision` appended to its history (the input is not changed). */
export function appendRevision(dataset: DatasetInput, revision: DatasetRevision): DatasetInput {
  return { ...dataset, revisions: [...(dataset.revisions ?? []), revision] };
}

function getXKeys(dataset: DatasetInput): string[] {
  return dataset.x.type === 'date' ? [...dataset.x.values] : dataset.x.values.map((category) => category.id);
}

/** Every point's value, keyed `x series`. */
function readPoints(dataset: DatasetInput): Map<string, { x: string; seriesId: string; value: PointValue }> {
  const points = new Map<string, { x: string; seriesId: string; value: PointValue }>();
  getXKeys(dataset).forEach((x, index) => {
    for (const series of dataset.series) points.set(`${x} ${series.id}`, { x, seriesId: series.id, value: series.values[index] ?? null });
  });
  return points;
}

/** The value the last revision of each point left it at, keyed `x series`. */
function replayRevisions(revisions: readonly DatasetRevision[]): Map<string, PointValue> {
  const values = new Map<string, PointValue>();
  for (const revision of revisions) {
    for (const [seriesId, value] of Object.entries(revision.values)) {
      values.set(`${revision.x} ${seriesId}`, typeof value === 'object' && value !== null ? value.to : value);
    }
  }
  return values;
}

const show = (value: PointValue | undefined) => (value === null || value === undefined ? 'null' : String(value));

/**
 * Values a person changed by hand, one message per point: a point that differs from what its last
 * revision recorded, and (given the committed version of the file) a point that changed since
 * that version with no new revision, or an x removed. Empty when the history explains every value.
 */
export function findUnrecordedChanges(current: DatasetInput, committed?: DatasetInput): string[] {
  const messages: string[] = [];
  const revisions = current.revisions ?? [];
  const recorded = replayRevisions(revisions);
  const points = readPoints(current);
  for (const [key, point] of points) {
    const expected = recorded.get(key);
    if (expected !== undefined && expected !== point.value) {
      messages.push(`${point.x} ${point.seriesId} is ${show(point.value)}, but its last revision recorded ${show(expected)}`);
    }
  }
  if (!committed) return messages;
  const committedRevisions = committed.revisions ?? [];
  const isHistoryKept = committedRevisions.every((revision, index) => JSON.stringify(revision) === JSON.stringify(revisions[index]));
  if (!isHistoryKept) messages.push('the revision history differs from the committed one: revisions are only ever added');
  const newlyRecorded = new Set(
    revisions
      .slice(committedRevisions.length)
      .flatMap((revision) => Object.keys(revision.values).map((seriesId) => `${revision.x} ${seriesId}`)),
  );
  const before = readPoints(committed);
  for (const [key, point] of points) {
    const old = before.get(key);
    const isChanged = old ? old.value !== point.value : point.value !== null;
    if (isChanged && !newlyRecorded.has(key)) {
      messages.push(`${point.x} ${point.seriesId} changed ${old ? show(old.value) : '(new)'} → ${show(point.value)} without a revision`);
    }
  }
  const currentXs = new Set(getXKeys(current));
  for (const x of getXKeys(committed)) if (!currentXs.has(x)) messages.push(`${x} was removed without a revision`);
  return messages;
}
