import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContent } from '../../src/lib/authoring/content-check.ts';
import { readContentSnapshot } from '../../src/lib/authoring/content-files.ts';
import type { Diagnostic } from '../../src/lib/authoring/diagnostics.ts';
import { getRevision } from '../../src/lib/authoring/revision.ts';
import { createDailyDataset } from './support/data-log-datasets.ts';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const baseFiles = {
  'content/tags.json': JSON.stringify([{ id: 'data', zh: '数据', en: 'Data' }]),
  'content/categories.json': JSON.stringify([{ id: 'observation', zh: '观察', en: 'Observation' }]),
  'content/authors/observer.json': JSON.stringify({ name: { zh: '观察者', en: 'Observer' }, bio: { zh: '简介', en: 'Bio' } }),
  'public/favicon.svg': '<svg/>',
};

/** A project folder with the given files besides the registries; returns its diagnostics. */
function check(files: Record<string, string>): Diagnostic[] {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-check-'));
  roots.push(root);
  for (const [path, text] of Object.entries({ ...baseFiles, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return checkContent(readContentSnapshot(root));
}

function essay(fields: string, body = 'Text.'): string {
  return `---\n${fields}\n---\n\n${body}\n`;
}

const valid = 'title: T\nsummary: S\npublished: 2025-01-20\ncategory: observation';
const zhBody = '## 四个名字\n\n正文。';

function summarize(diagnostics: Diagnostic[]) {
  return diagnostics.map(({ file, line, level, rule, message }) => ({ file, line, level, rule, message }));
}

describe('frontmatter', () => {
  it('validates with the build schema and names the line', () => {
    const diagnostics = check({
      'content/essays/bad/en.mdx': essay(
        'title: T\nsummary: S\npublished: someday\ncategory: opinion\ntags: [data, nope]\nauthor: ghost\nsubtitle: extra',
      ),
    });
    const errors = summarize(diagnostics).filter((diagnostic) => diagnostic.level === 'error');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'content/essays/bad/en.mdx',
          line: 4,
          rule: 'frontmatter',
          message: expect.stringContaining('published'),
        }),
        expect.objectContaining({
          line: 5,
          message: expect.stringContaining('unknown category “opinion”: not in content/categories.json'),
        }),
        expect.objectContaining({ line: 6, message: expect.stringContaining('unknown tag “nope”') }),
        expect.objectContaining({ line: 7, message: expect.stringContaining('unknown author “ghost”') }),
        expect.objectContaining({ line: 8, message: expect.stringContaining('unknown field “subtitle”') }),
      ]),
    );
    expect(errors).toHaveLength(5);
  });

  it('reports a missing field, broken YAML and a file without frontmatter', () => {
    const diagnostics = summarize(
      check({
        'content/essays/a/en.mdx': essay('summary: S\npublished: 2025-01-20\ncategory: observation'),
        'content/essays/b/en.mdx': essay('title: [unclosed\nsummary: S'),
        'content/essays/c/en.mdx': 'Just text.\n',
      }),
    );
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'content/essays/a/en.mdx', level: 'error', message: 'missing required field “title”' }),
        expect.objectContaining({ file: 'content/essays/b/en.mdx', level: 'error', message: expect.stringContaining('invalid YAML') }),
        expect.objectContaining({
          file: 'content/essays/c/en.mdx',
          line: 1,
          level: 'error',
          message: expect.stringContaining('no frontmatter'),
        }),
      ]),
    );
  });

  it('reports MDX the compiler would refuse, with its line', () => {
    const diagnostics = summarize(check({ 'content/essays/a/en.mdx': essay(valid, 'Fine.\n\nAn {unclosed expression') }));
    expect(diagnostics).toContainEqual(expect.objectContaining({ line: 10, level: 'error', rule: 'mdx' }));
  });
});

describe('links, anchors and images', () => {
  const diagnostics = summarize(
    check({
      'content/essays/target/zh.mdx': essay(valid, zhBody),
      'content/essays/target/en.mdx': essay(valid, '## Four names\n\nText.'),
      'content/essays/only-zh/zh.mdx': essay(valid, '正文。'),
      'content/essays/draft/en.mdx': essay(`${valid}\ndraft: true`),
      'content/essays/source/en.mdx': essay(
        valid,
        [
          '[ok](/zh/essays/target/#四个名字) [ok](/en/essays/target/#four-names) [ok](../target/) [ok](/en/tags/data/) [ok](/favicon.svg) [ok](#here) [ok](https://example.com/)',
          '',
          '## Here',
          '',
          '[gone](/zh/essays/missing/)',
          '',
          '[bad anchor](/zh/essays/target/#四个名称)',
          '',
          '[no tag](/en/tags/nope/) [no page](/en/nowhere/) [no file](/missing.pdf) [no slash](/en/essays/target)',
          '',
          '[untranslated](/en/essays/only-zh/) [draft](/en/essays/draft/) [self](#nowhere)',
          '',
          '![](https://example.com/x.png) ![Missing](./missing.png) ![Present](./present.png)',
        ].join('\n'),
      ),
      'content/essays/source/present.png': 'png',
    }),
  ).filter((diagnostic) => diagnostic.file === 'content/essays/source/en.mdx');

  it('accepts links that resolve, anchors that exist (Chinese heading ids included)', () => {
    expect(diagnostics.filter((diagnostic) => diagnostic.line === 8)).toEqual([]);
  });

  it('reports broken essays, anchors, tags, pages and files', () => {
    const messages = diagnostics.map((diagnostic) => `${diagnostic.line} ${diagnostic.level} ${diagnostic.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '12 error broken link /zh/essays/missing/: there is no essay “missing” in content/essays/',
        expect.stringMatching(/^14 error \/zh\/essays\/target\/ has no heading with id “#四个名称” \(headings there: #四个名字\)/),
        '16 error broken link /en/tags/nope/: there is no tag “nope” in content/tags.json',
        '16 error broken link /en/nowhere/: no page of the site has this address',
        '16 error broken link /missing.pdf: no file public/missing.pdf',
        expect.stringMatching(/^16 warning add the trailing slash: \/en\/essays\/target\//),
        expect.stringMatching(
          /^18 warning \/en\/essays\/only-zh\/ is a “not translated yet” page.*link to \/zh\/essays\/only-zh\/ instead/,
        ),
        expect.stringMatching(/^18 error \/en\/essays\/draft\/ is a draft/),
        expect.stringMatching(/^18 error this page has no heading with id “#nowhere”/),
        expect.stringMatching(/^20 error image without alt text/),
        '20 error image file not found: content/essays/source/missing.png',
      ]),
    );
    expect(diagnostics.filter((diagnostic) => diagnostic.level === 'error')).toHaveLength(9);
  });
});

describe('charts', () => {
  const chartEssay = essay(
    valid,
    '<Chart dataset="tag-daily" series={["views", "notes"]} />\n\n<Chart dataset="tag-daily" series={["fr"]} />\n\n<Chart dataset="nope" />\n\n<Chart dataset="tag-daily" type="pie" series="views" />\n\n<Chart dataset="tag-daily" series={picked} />',
  );
  const dailyJson = JSON.stringify(createDailyDataset(), null, 2);

  it('asks the build’s questions of every <Chart>, at its line, with the build’s words', () => {
    const diagnostics = summarize(
      check({
        'content/essays/c/en.mdx': chartEssay,
        'content/data/tag-daily.json': dailyJson,
      }),
    ).filter((diagnostic) => diagnostic.rule === 'chart');
    expect(diagnostics).toEqual([
      {
        file: 'content/essays/c/en.mdx',
        line: 10,
        level: 'error',
        rule: 'chart',
        message: '<Chart dataset="tag-daily">: unknown series "fr"; the dataset has views, notes',
      },
      {
        file: 'content/essays/c/en.mdx',
        line: 12,
        level: 'error',
        rule: 'chart',
        message: '<Chart dataset="nope">: there is no dataset "nope" (looked for content/data/nope.json). Known datasets: tag-daily.',
      },
      {
        file: 'content/essays/c/en.mdx',
        line: 14,
        level: 'error',
        rule: 'chart',
        message: expect.stringContaining('type "pie" is not one of line, area, bar, stacked-bar, doughnut'),
      },
      { file: 'content/essays/c/en.mdx', line: 16, level: 'warning', rule: 'chart', message: expect.stringContaining('computed prop') },
    ]);
  });

  it('reports a dataset the build would refuse at the line of each problem', () => {
    const invalid = dailyJson.replace('"unit": {\n    "zh": "次",\n    "en": "views"\n  }', '"unit": "views"');
    const diagnostics = summarize(
      check({
        'content/essays/c/en.mdx': essay(valid, '<Chart dataset="tag-daily" series={["whatever"]} />'),
        'content/data/tag-daily.json': invalid,
        'content/data/broken.json': '{\n  "id": "broken",\n  "title": ,\n}',
      }),
    ).filter((diagnostic) => diagnostic.rule === 'chart');
    const unitLine = invalid.split('\n').findIndex((line) => line.includes('"unit"')) + 1;
    expect(diagnostics).toEqual([
      { file: 'content/data/broken.json', line: 3, level: 'error', rule: 'chart', message: 'not valid JSON (ValueExpected)' },
      {
        file: 'content/data/tag-daily.json',
        line: unitLine,
        level: 'error',
        rule: 'chart',
        message: 'unit: Invalid input: expected object, received string',
      },
    ]);
  });

  it('refuses every <Chart> when content/data does not exist, as the build does', () => {
    const diagnostics = summarize(check({ 'content/essays/c/en.mdx': essay(valid, '<Chart dataset="tag-daily" />') })).filter(
      (diagnostic) => diagnostic.rule === 'chart',
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        line: 8,
        level: 'error',
        message: '<Chart dataset="tag-daily">: there is no dataset "tag-daily" (looked for content/data/tag-daily.json).',
      }),
    ]);
  });
});

describe('translations and typography', () => {
  it('notes a missing translation, warns about a stale one, and flags typography in zh files only', () => {
    const original = essay(valid, '## 四个名字\n\n改过的正文在2024年,好。');
    const diagnostics = summarize(
      check({
        'content/essays/stale/zh.mdx': original,
        'content/essays/stale/en.mdx': essay(
          `${valid}\ntranslatedFrom: { lang: zh, revision: ${getRevision('旧的正文。')} }`,
          'English in2024,ok.',
        ),
        'content/essays/fresh/zh.mdx': essay(valid, zhBody),
        'content/essays/fresh/en.mdx': essay(`${valid}\ntranslatedFrom: { lang: zh, revision: ${getRevision(zhBody)} }`),
        'content/essays/alone/zh.mdx': essay(valid, zhBody),
        'content/essays/self/en.mdx': essay(`${valid}\ntranslatedFrom: { lang: en, revision: abcdef0123 }`),
        'content/essays/self/zh.mdx': essay(valid, zhBody),
      }),
    );
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'content/essays/alone/zh.mdx',
          level: 'notice',
          message: expect.stringContaining('no English version'),
        }),
        expect.objectContaining({
          file: 'content/essays/stale/en.mdx',
          line: 6,
          level: 'warning',
          rule: 'translation',
          message: expect.stringContaining('may be out of date'),
        }),
        expect.objectContaining({
          file: 'content/essays/self/en.mdx',
          level: 'error',
          message: expect.stringContaining("this file's own language"),
        }),
        expect.objectContaining({
          file: 'content/essays/stale/zh.mdx',
          line: 10,
          level: 'warning',
          rule: 'typography',
          message: expect.stringContaining('add a space between “在” and “2024”'),
        }),
      ]),
    );
    expect(diagnostics.filter((diagnostic) => diagnostic.file.startsWith('content/essays/fresh/'))).toEqual([]);
    expect(diagnostics.filter((diagnostic) => diagnostic.rule === 'typography' && diagnostic.file.endsWith('en.mdx'))).toEqual([]);
  });

  it('names invalid frontmatter as the problem, not untracked freshness', () => {
    const diagnostics = summarize(
      check({
        'content/essays/broken/zh.mdx': essay(valid, zhBody),
        'content/essays/broken/en.mdx': essay(
          `title: T\nsummary: S\npublished: someday\ncategory: observation\ntranslatedFrom: { lang: zh, revision: ${getRevision(zhBody)} }`,
        ),
        'content/essays/untracked/zh.mdx': essay(valid, zhBody),
        'content/essays/untracked/en.mdx': essay(valid),
      }),
    );
    const broken = diagnostics.filter((diagnostic) => diagnostic.file === 'content/essays/broken/en.mdx');
    expect(broken).toEqual([
      expect.objectContaining({ level: 'error', rule: 'frontmatter', message: expect.stringContaining('published') }),
    ]);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: 'content/essays/untracked/en.mdx',
        level: 'notice',
        message: expect.stringContaining('freshness is not tracked'),
      }),
    );
  });
});

describe('alignment points', () => {
  it('reports points the build would refuse, and points that do not pair with the other version', () => {
    const zh = essay(
      valid,
      '## 一\n\n甲。\n\n<Align id="douyin" />\n\n乙。\n\n<Align id="only-zh" />\n\n<Align id="a" />\n\n<Align id="b" />\n\n文字 <Align id="inline" /> 文字。\n\n<Align id="Bad_Id" />\n\n<Align id="douyin" />',
    );
    const en = essay(valid, '## One\n\nA.\n\n<Align id="douyin" />\n\nB.\n\n<Align id="b" />\n\n<Align id="a" />');
    const diagnostics = summarize(check({ 'content/essays/p/zh.mdx': zh, 'content/essays/p/en.mdx': en })).filter(
      (diagnostic) => diagnostic.rule === 'align',
    );
    expect(diagnostics).toEqual([
      {
        file: 'content/essays/p/zh.mdx',
        line: 22,
        level: 'error',
        rule: 'align',
        message: expect.stringContaining('on a line of its own'),
      },
      { file: 'content/essays/p/zh.mdx', line: 24, level: 'error', rule: 'align', message: expect.stringContaining('lower-case letters') },
      { file: 'content/essays/p/zh.mdx', line: 26, level: 'error', rule: 'align', message: expect.stringContaining('appears twice') },
      {
        file: 'content/essays/p/zh.mdx',
        line: 16,
        level: 'warning',
        rule: 'align',
        message: expect.stringContaining('<Align id="only-zh"> has no counterpart in content/essays/p/en.mdx'),
      },
      {
        file: 'content/essays/p/zh.mdx',
        line: 18,
        level: 'warning',
        rule: 'align',
        message: expect.stringContaining('<Align id="a"> comes in a different order in content/essays/p/en.mdx'),
      },
      {
        file: 'content/essays/p/en.mdx',
        line: 18,
        level: 'warning',
        rule: 'align',
        message: expect.stringContaining('<Align id="a"> comes in a different order'),
      },
    ]);
  });

  it('does not take an alignment point for an anchor a link could reach', () => {
    const diagnostics = summarize(check({ 'content/essays/p/en.mdx': essay(valid, '<Align id="here" />\n\n[Link](#here)') }));
    expect(diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'link', message: expect.stringContaining('#here') })]),
    );
  });
});

describe('leftover GitBook/Liquid syntax', () => {
  it('is an error at its line in text, headings and link addresses, escaped or as an MDX expression', () => {
    const body = [
      'The clip \\{% embed url="https://v.example/1" %\\} is gone.',
      '## Made for \\{\\{ page.title \\}\\}',
      'Shown as {{ title }} here.',
      'See [the page](https://x.example/{{site.url}}/a).',
    ].join('\n\n');
    const liquid = summarize(check({ 'content/essays/a/en.mdx': essay(valid, body) })).filter((diagnostic) => diagnostic.rule === 'liquid');
    expect(liquid).toEqual([
      expect.objectContaining({
        file: 'content/essays/a/en.mdx',
        line: 8,
        level: 'error',
        message: expect.stringContaining('GitBook/Liquid syntax left in the text: {% embed url="https://v.example/1" %}'),
      }),
      expect.objectContaining({ line: 10, level: 'error', message: expect.stringContaining('left in the text: {{ page.title }}') }),
      expect.objectContaining({
        line: 12,
        level: 'error',
        message: expect.stringContaining('Liquid {{ title }} is read by MDX as a JavaScript expression'),
      }),
      expect.objectContaining({
        line: 14,
        level: 'error',
        message: expect.stringContaining('Liquid in a link address: https://x.example/{{site.url}}/a'),
      }),
    ]);
  });

  it('is allowed in code and in MDX comments, where readers do not see it as text', () => {
    const body = [
      'Written as `{% raw %}` in a sentence.',
      '```liquid\n{% hint style="info" %}\n{{ page.title }}\n```',
      '{/* import: GitBook tag not converted: {% tabs %} */}',
      'Braces \\{ alone \\} are fine, and so is 100%.',
    ].join('\n\n');
    expect(
      summarize(check({ 'content/essays/a/en.mdx': essay(valid, body) })).filter((diagnostic) => diagnostic.rule === 'liquid'),
    ).toEqual([]);
  });
});
