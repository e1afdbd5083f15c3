import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mdxToJs } from 'satteri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharts } from '../../src/lib/markdown/check-charts.ts';
import { createProjectCopy, removeProjectCopies, type ProjectCopy } from './project-copy.ts';

// Each case is an essay whose <Chart> stands on line 10; the build's own MDX check (the plugin
// astro.config.mjs installs) and `npm run check:content` run as an author runs it must refuse
// the same charts with the same words, each naming the essay and that line.
const chartLine = 10;
const cases: Record<string, string> = {
  'unknown-type': '<Chart dataset="tiktokrefugee-tag-daily" type="scatter" />',
  'unknown-series': '<Chart dataset="tiktokrefugee-tag-daily" series={["views", "likes"]} />',
  'unknown-dataset': '<Chart dataset="tiktokrefugee-daily" type="line" />',
  'pie-series-string': '<Chart dataset="platform-monthly-users" type="pie" series="mau" />',
  'pie-no-dataset': '<Chart type="pie" series="mau" />',
  'series-string': '<Chart dataset="platform-monthly-users" type="bar" series="mau" />',
  'doughnut-of-three': '<Chart dataset="tiktokrefugee-tag-daily" type="doughnut" />',
};
const validCharts = '<Chart dataset="platform-monthly-users" type="doughnut" series={[\'mau\']} />';

const essayPath = (slug: string) => `content/essays/chart-${slug}/en.mdx`;
const essay = (chart: string) =>
  `---\ntitle: Charts\nsummary: A chart.\npublished: 2025-01-20\ncategory: observation\n---\n\nIntro.\n\n${chart}\n`;

let project: ProjectCopy;
beforeAll(() => {
  project = createProjectCopy();
  for (const [slug, chart] of Object.entries(cases)) project.write(essayPath(slug), essay(chart));
  project.write(essayPath('valid'), essay(validCharts));
});
afterAll(removeProjectCopies);

/** What the build says of an essay: the message its MDX check fails with, or undefined when it compiles. */
function buildProblem(path: string): string | undefined {
  const file = join(project.root, path);
  try {
    mdxToJs(readFileSync(file, 'utf8'), { mdastPlugins: [checkCharts({ root: project.root })], fileURL: pathToFileURL(file) });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('npm run check:content and the build judge <Chart> alike', { timeout: 60_000 }, () => {
  it('refuses what the build refuses, with the build’s message at the chart’s file:line', () => {
    const { status, stdout } = project.run('check-content.ts');
    expect(status, stdout).toBe(1);
    const chartErrors = stdout.split('\n').filter((line) => line.includes('  error  <Chart'));
    for (const slug of Object.keys(cases)) {
      const path = essayPath(slug);
      const built = buildProblem(path);
      expect(built, slug).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}, line ${chartLine}: <Chart`));
      const problem = built?.slice(`${path}, line ${chartLine}: `.length);
      expect(
        chartErrors.filter((line) => line.startsWith(`${path}:`)),
        slug,
      ).toEqual([`${path}:${chartLine}:1  error  ${problem}`]);
    }
    expect(chartErrors).toHaveLength(Object.keys(cases).length);
  });

  it('passes what the build passes', () => {
    expect(buildProblem(essayPath('valid'))).toBeUndefined();
    const { stdout } = project.run('check-content.ts');
    // Its only line is the notice that it has no Chinese version.
    expect(stdout.split('\n').filter((line) => line.startsWith(`${essayPath('valid')}:`))).toEqual([
      expect.stringMatching(/^content\/essays\/chart-valid\/en\.mdx:1:1 {2}notice {2}no Chinese version/),
    ]);
  });

  it('names the pie case in words an author can act on, in both', () => {
    const path = essayPath('pie-series-string');
    expect(buildProblem(path)).toBe(
      `${path}, line ${chartLine}: <Chart dataset="platform-monthly-users">: type "pie" is not one of line, area, bar, stacked-bar, doughnut`,
    );
    expect(project.run('check-content.ts').stdout).toContain(
      `${path}:${chartLine}:1  error  <Chart dataset="platform-monthly-users">: type "pie" is not one of line, area, bar, stacked-bar, doughnut`,
    );
  });

  it('reports a dataset file the build would refuse at its line, and the data log refuses it too', () => {
    const path = 'content/data/tiktokrefugee-tag-daily.json';
    const original = readFileSync(join(project.root, path), 'utf8');
    const broken = original.replace(/"retrieved": "[^"]+"/, '"retrieved": "16 January 2025"');
    const line = broken.split('\n').findIndex((text) => text.includes('16 January 2025')) + 1;
    project.write(path, broken);
    try {
      const check = project.run('check-content.ts');
      expect(check.status).toBe(1);
      expect(check.stdout).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')}:${line}:\\d+  error  source\\.retrieved: `, 'm'));
      const data = project.run('data.ts', 'show', 'tiktokrefugee-tag-daily');
      expect(data.status).toBe(1);
      expect(data.stderr).toContain(`${path} does not pass the dataset schema; fix it by hand first: source.retrieved: `);
      expect(data.stderr).toContain(`(line ${line})`);
    } finally {
      project.write(path, original);
    }
  });
});
