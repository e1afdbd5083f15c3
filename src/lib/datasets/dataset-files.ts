import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { contentPaths } from '../authoring/content-files.ts';
import { datasetSchema, type DatasetInput } from '../charts/dataset-schema.ts';
import { DatasetError } from './dataset-error.ts';
import { describeInvalidDatasetId } from './dataset-scaffold.ts';

/** A dataset file read from disk and found valid. */
export interface DatasetFile {
  /** Relative to the project root: `content/data/<id>.json`, as messages name it. */
  path: string;
  source: string;
  dataset: DatasetInput;
}

/** `content/data/<id>.json`, relative to the project root. */
export function getDatasetPath(id: string): string {
  return `${contentPaths.data}/${id}.json`;
}

/** The ids of the datasets in content/data, sorted. */
export function listDatasetIds(root: string): string[] {
  const dataDir = join(root, contentPaths.data);
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/** The schema's complaints about a dataset, one `path: message` each; none when it is valid. */
export function listDatasetProblems(raw: unknown): string[] {
  const result = datasetSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
}

/** Throws with every problem on one line unless `raw` passes the dataset schema. */
export function assertValidDataset(raw: unknown, describeFailure: string): asserts raw is DatasetInput {
  const problems = listDatasetProblems(raw);
  if (problems.length > 0) throw new DatasetError(`${describeFailure}: ${problems.join('; ')}`);
}

/** Reads and validates content/data/<id>.json; an unknown id lists the known ones. */
export function readDatasetFile(root: string, id: string): DatasetFile {
  const path = getDatasetPath(id);
  if (describeInvalidDatasetId(id) || !existsSync(join(root, path))) {
    const known = listDatasetIds(root);
    throw new DatasetError(`${path} does not exist: no dataset “${id}”. Known datasets: ${known.join(', ') || 'none yet'}`);
  }
  const source = readFileSync(join(root, path), 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    throw new DatasetError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it by hand first`);
  }
  assertValidDataset(raw, `${path} does not pass the dataset schema; fix it by hand first`);
  if (raw.id !== id) throw new DatasetError(`${path}: "id" is “${raw.id}”; it must match the file name, “${id}”`);
  return { path, source, dataset: raw };
}

function writeTemporaryBeside(path: string, text: string): string {
  // Same folder, so the rename cannot cross file systems; hidden and not *.json, so the content loader skips it.
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  writeFileSync(temporary, text);
  return temporary;
}

/** Replaces a file in one step: a reader (or a crash) sees the old text or the new, never half of it. */
export function replaceFileAtomically(path: string, text: string): void {
  const temporary = writeTemporaryBeside(path, text);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Creates a file in one step, refusing (EEXIST) if it exists even when another process makes it meanwhile. */
export function createFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = writeTemporaryBeside(path, text);
  try {
    linkSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
