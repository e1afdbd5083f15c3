import { DatasetError } from './dataset-error.ts';

/** A plain decimal number as an author types it: `12000`, `-3.5`, `1e6`; no grouping commas, which read differently per locale. */
const numberPattern = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A series value from the command line: a finite number, or `null` for a gap. */
export function parseSeriesValue(text: string, seriesId: string): number | null {
  if (text === 'null') return null;
  const value = Number(text);
  if (!numberPattern.test(text) || !Number.isFinite(value)) {
    throw new DatasetError(`the value “${text}” for ${seriesId} is not a number: write it like 12000, -3.5 or 1e6, or null for a gap`);
  }
  return value;
}

/** `views=12000 notes=40` → series id → value, in the order given. */
export function parseSeriesAssignments(assignments: readonly string[]): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const assignment of assignments) {
    const separator = assignment.indexOf('=');
    if (separator <= 0) throw new DatasetError(`“${assignment}” is not <series>=<value> (e.g. views=12000)`);
    const seriesId = assignment.slice(0, separator);
    if (values.has(seriesId)) throw new DatasetError(`${seriesId} is given twice`);
    values.set(seriesId, parseSeriesValue(assignment.slice(separator + 1), seriesId));
  }
  if (values.size === 0) throw new DatasetError('name at least one value: <series>=<value> (e.g. views=12000)');
  return values;
}
