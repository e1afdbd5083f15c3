import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { formatLocalDate } from '../../src/lib/authoring/scaffold.ts';
import { datasetSchema } from '../../src/lib/charts/dataset-schema.ts';
import { createProjectCopy, removeProjectCopies, type ProjectCopy } from './project-copy.ts';

// Each test spawns several Node processes (and git); on a busy machine that takes longer than vitest's default 5 s.
const slow = { timeout: 60_000 };
const daily = 'content/data/tiktokrefugee-tag-daily.json';
let project: ProjectCopy;

const readText = (path: string) => readFileSync(join(project.root, path), 'utf8');
const readRevisions = (path: string) => datasetSchema.parse(JSON.parse(readText(path))).revisions;
const data = (...args: string[]) => project.run('data.ts', ...args);

/** The warnings `check:content --json` gives about values changed without a revision. */
function listRevisionWarnings(): { file: string; level: string; message: string }[] {
  const { status, stdout, stderr } = project.run('check-content.ts', '--json');
  expect(status, stderr).toBe(0);
  const { diagnostics } = JSON.parse(stdout) as { diagnostics: { file: string; level: string; rule: string; message: string }[] };
  return diagnostics.filter((diagnostic) => diagnostic.rule === 'data-revision');
}

function git(...args: string[]) {
  const result = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], {
    cwd: project.root,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

/** Rewrites the values list of the dataset's first series in place, as a hand edit would. */
function editFirstSeriesByHand(path: string, change: (values: (number | null)[]) => void) {
  const text = readText(path);
  const match = /("values": )(\[[-\d., null]+\])/.exec(text.slice(text.indexOf('"series"')));
  if (!match?.[2]) throw new Error('no series values in the file');
  const values = JSON.parse(match[2]) as (number | null)[];
  change(values);
  writeFileSync(join(project.root, path), text.replace(match[2], JSON.stringify(values).replaceAll(',', ', ')));
}

beforeEach(() => {
  project = createProjectCopy();
  git('init', '--quiet');
  git('add', 'content');
  git('commit', '--quiet', '-m', 'content as published');
});
afterAll(removeProjectCopies);

describe('npm run data records revisions', slow, () => {
  it('writes a dated revision for an addition and a replacement (old → new), and the content check is satisfied', () => {
    const today = formatLocalDate(new Date());
    expect(data('add', 'tiktokrefugee-tag-daily', '2025-01-21', 'views=30000000', 'notes=80000').status).toBe(0);
    expect(data('add', 'tiktokrefugee-tag-daily', '2025-01-20', 'views=37000000', '--replace').status).toBe(0);
    expect(readRevisions(daily)).toEqual([
      { date: today, change: 'add', x: '2025-01-21', values: { views: 30000000, notes: 80000, comments: null } },
      { date: today, change: 'replace', x: '2025-01-20', values: { views: { from: 36000000, to: 37000000 } } },
    ]);
    // One revision per line, like the other rows of the file.
    expect(readText(daily)).toContain(
      `    { "date": "${today}", "change": "replace", "x": "2025-01-20", "values": { "views": { "from": 36000000, "to": 37000000 } } }\n`,
    );
    expect(listRevisionWarnings()).toEqual([]);
  });

  it('starts a new dataset with its first observation as its first revision', () => {
    const created = data(
      'new',
      'signups',
      '2025-01-14',
      'count=5',
      '--title-zh',
      '注册',
      '--title-en',
      'Sign-ups',
      '--series',
      'count:数量:Count',
    );
    expect(created.status, created.stderr).toBe(0);
    expect(readRevisions('content/data/signups.json')).toEqual([
      { date: formatLocalDate(new Date()), change: 'add', x: '2025-01-14', values: { count: 5 } },
    ]);
  });

  it('a refused change adds no revision', () => {
    const before = readText(daily);
    expect(data('add', 'tiktokrefugee-tag-daily', '2025-01-20', 'views=1').status).toBe(1);
    expect(readText(daily)).toBe(before);
  });
});

describe('check:content warns about hand edits', slow, () => {
  it('names a committed value changed by hand, old → new', () => {
    editFirstSeriesByHand(daily, (values) => {
      values[0] = 9000;
    });
    expect(listRevisionWarnings()).toEqual([
      expect.objectContaining({
        file: daily,
        level: 'warning',
        message: expect.stringContaining('2025-01-11 views changed 8000 → 9000 without a revision'),
      }),
    ]);
  });

  it('names a value changed by hand after npm run data recorded it, without git too', () => {
    expect(data('add', 'tiktokrefugee-tag-daily', '2025-01-20', 'views=37000000', '--replace').status).toBe(0);
    git('commit', '--quiet', '-am', 'logged');
    editFirstSeriesByHand(daily, (values) => {
      values[values.length - 1] = 38000000;
    });
    const expected = '2025-01-20 views is 38000000, but its last revision recorded 37000000';
    expect(listRevisionWarnings().map((warning) => warning.message)).toEqual([
      expect.stringContaining(expected),
      expect.stringContaining('2025-01-20 views changed 37000000 → 38000000 without a revision'),
    ]);
    spawnSync('rm', ['-rf', join(project.root, '.git')]);
    expect(listRevisionWarnings().map((warning) => warning.message)).toEqual([expect.stringContaining(expected)]);
  });

  it('says nothing about the published content as it is', () => {
    expect(listRevisionWarnings()).toEqual([]);
  });
});
