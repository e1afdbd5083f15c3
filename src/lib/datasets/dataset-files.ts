import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { datasetSchema, type DatasetInput, type DatasetOutput } from '../charts/dataset-schema.ts';
import { createLineIndex, type SourcePosition } from '../authoring/source-position.ts';
import { DatasetError } from './dataset-error.ts';
import { describeInvalidDatasetId } from './dataset-scaffold.ts';

/** Where chart datasets live, relative to the project root. */
export const datasetDirectory = 'content/data';

/** One thing wrong with a dataset file, at the line and column it starts. */
export interface DatasetProblem extends SourcePosition {
  /** `json`: the file does not parse; `schema`: it fails the dataset schema; `id`: its id is not its file name. */
  kind: 'json' | 'schema' | 'id';
  message: string;
}

/**
 * A file of content/data as the build, `npm run check:content` and `npm run data` all read it:
 * valid, with its data, or with the problems that stop the build, each at its line.
 */
export type LoadedDataset = {
  id: string;
  /** Relative to the project root: `content/data/<id>.json`, as messages name it. */
  path: string;
  source: string;
} & ({ isValid: true; input: DatasetInput; dataset: DatasetOutput } | { isValid: false; problems: DatasetProblem[] });

/** A dataset file read from disk and found valid. */
export interface DatasetFile {
  /** Relative to the project root: `content/data/<id>.json`, as messages name it. */
  path: string;
  source: string;
  dataset: DatasetInput;
}

/** `content/data/<id>.json`, relative to the project root. */
export function getDatasetPath(id: string): string {
  return `${datasetDirectory}/${id}.json`;
}

/** The ids of the datasets in content/data, sorted. */
export function listDatasetIds(root: string): string[] {
  const dataDir = join(root, datasetDirectory);
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) return [];
  return readdirSync(dataDir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/** The schema's complaints about a dataset, one `path: message` each; none when it is valid. */
export function listDatasetProblems(raw: unknown): string[] {
  const result = datasetSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((issue) => describeIssue(issue.path, issue.message));
}

function describeIssue(path: readonly PropertyKey[], message: string): string {
  return `${path.map(String).join('.') || '(file)'}: ${message}`;
}

/** Throws with every problem on one line unless `raw` passes the dataset schema. */
export function assertValidDataset(raw: unknown, describeFailure: string): asserts raw is DatasetInput {
  const problems = listDatasetProblems(raw);
  if (problems.length > 0) throw new DatasetError(`${describeFailure}: ${problems.join('; ')}`);
}

/** The deepest node of `path` that the file has: a missing field is reported at the object that lacks it. */
function findClosestNode(tree: Node | undefined, path: JSONPath): Node | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = tree && findNodeAtLocation(tree, path.slice(0, length));
    if (node) return node.parent?.type === 'property' && node.parent.children?.[1] === node ? node.parent : node;
  }
  return undefined;
}

/** The syntax tree, for positions only; undefined when the nesting is too deep for jsonc-parser's recursion (JSON.parse copes). */
function readTree(source: string, errors: ParseError[]): Node | undefined {
  try {
    return parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Checks the text of `content/data/<id>.json` against the dataset schema and its file name. */
export function parseDatasetSource(id: string, path: string, source: string): LoadedDataset {
  const locate = createLineIndex(source);
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    // JSON.parse says what is wrong but not where in a way every runtime shares; jsonc-parser (strict options) finds the spot.
    const errors: ParseError[] = [];
    readTree(source, errors);
    const first = errors[0];
    const reason = first ? printParseErrorCode(first.error) : error instanceof Error ? error.message : String(error);
    return {
      id,
      path,
      source,
      isValid: false,
      problems: [{ ...locate(first?.offset ?? 0), kind: 'json', message: `not valid JSON (${reason})` }],
    };
  }
  const tree = readTree(source, []);
  const at = (jsonPath: JSONPath) => locate(findClosestNode(tree, jsonPath)?.offset ?? 0);
  const result = datasetSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const jsonPath = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      return { ...at(jsonPath), kind: 'schema' as const, message: describeIssue(issue.path, issue.message) };
    });
    return { id, path, source, isValid: false, problems };
  }
  if (result.data.id !== id) {
    return {
      id,
      path,
      source,
      isValid: false,
      problems: [{ ...at(['id']), kind: 'id', message: `"id" is “${result.data.id}”; it must match the file name, “${id}”` }],
    };
  }
  return { id, path, source, isValid: true, input: raw as DatasetInput, dataset: result.data };
}

/** Reads content/data/<id>.json; undefined when there is no such dataset. */
function loadDataset(root: string, id: string): LoadedDataset | undefined {
  const path = getDatasetPath(id);
  if (describeInvalidDatasetId(id) || !existsSync(join(root, path))) return undefined;
  return parseDatasetSource(id, path, readFileSync(join(root, path), 'utf8'));
}

/** Every dataset of content/data, sorted by id; none when the folder does not exist. */
export function loadDatasets(root: string): LoadedDataset[] {
  return listDatasetIds(root).map((id) => parseDatasetSource(id, getDatasetPath(id), readFileSync(join(root, getDatasetPath(id)), 'utf8')));
}

/** `content/data/<id>.json:3:5: message`, as terminals and editors link it. */
export function formatDatasetProblem(path: string, problem: DatasetProblem): string {
  return `${path}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** Reads and validates content/data/<id>.json for `npm run data`; an unknown id lists the known ones. */
export function readDatasetFile(root: string, id: string): DatasetFile {
  const loaded = loadDataset(root, id);
  if (!loaded) {
    const path = getDatasetPath(id);
    const known = listDatasetIds(root);
    throw new DatasetError(`${path} does not exist: no dataset “${id}”. Known datasets: ${known.join(', ') || 'none yet'}`);
  }
  if (!loaded.isValid) {
    const [first] = loaded.problems;
    const describe = (problem: DatasetProblem) => `${problem.message} (line ${problem.line})`;
    if (first?.kind === 'id') throw new DatasetError(`${loaded.path}: ${first.message}`);
    if (first?.kind === 'json') throw new DatasetError(`${loaded.path} is ${describe(first)}; fix it by hand first`);
    throw new DatasetError(
      `${loaded.path} does not pass the dataset schema; fix it by hand first: ${loaded.problems.map(describe).join('; ')}`,
    );
  }
  return { path: loaded.path, source: loaded.source, dataset: loaded.input };
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
