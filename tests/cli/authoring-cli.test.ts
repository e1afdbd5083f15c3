import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectCopy, removeProjectCopies, type ProjectCopy } from './project-copy.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'import');
// Each test spawns several Node processes; on a busy machine that takes longer than vitest's default 5 s.
const slow = { timeout: 60_000 };
let project: ProjectCopy;
const read = (path: string) => readFileSync(join(project.root, path), 'utf8');

beforeAll(() => {
  project = createProjectCopy();
});
afterAll(removeProjectCopies);

describe('npm run new', slow, () => {
  it('creates a draft in both languages that passes the content check, and says where to preview it', () => {
    const { status, stdout } = project.run('new-essay.ts', 'after-the-deadline');
    expect(status).toBe(0);
    expect(stdout).toContain('Created content/essays/after-the-deadline/zh.mdx');
    expect(stdout).toContain('Created content/essays/after-the-deadline/en.mdx');
    expect(stdout).toContain('http://localhost:4321/zh/essays/after-the-deadline/');
    expect(read('content/essays/after-the-deadline/zh.mdx')).toMatch(
      /^---\ntitle: .+\nsummary: .+\npublished: \d{4}-\d{2}-\d{2}\nauthor: observer\ncategory: observation\ntags: \[\]\ndraft: true\n---\n/,
    );
    const check = project.run('check-content.ts', '--json');
    const report = JSON.parse(check.stdout) as { summary: { errors: number }; diagnostics: { file: string; level: string }[] };
    expect(
      report.diagnostics.filter((diagnostic) => diagnostic.file.includes('after-the-deadline') && diagnostic.level !== 'notice'),
    ).toEqual([]);
  });

  it('creates one language with --lang', () => {
    expect(project.run('new-essay.ts', 'english-only', '--lang', 'en').status).toBe(0);
    expect(existsSync(join(project.root, 'content/essays/english-only/en.mdx'))).toBe(true);
    expect(existsSync(join(project.root, 'content/essays/english-only/zh.mdx'))).toBe(false);
  });

  it('refuses an existing folder, a bad slug or language, and writes nothing', () => {
    const before = read('content/essays/after-the-deadline/en.mdx');
    const existing = project.run('new-essay.ts', 'after-the-deadline');
    expect(existing.status).toBe(1);
    expect(existing.stderr).toContain('content/essays/after-the-deadline already exists');
    expect(read('content/essays/after-the-deadline/en.mdx')).toBe(before);
    const folders = project.listEssayFolders();
    const badSlug = project.run('new-essay.ts', 'Bad_Slug');
    expect(badSlug.status).toBe(1);
    expect(badSlug.stderr).toContain('must be lowercase letters, digits and single hyphens');
    expect(project.run('new-essay.ts', 'fine', '--lang', 'fr').status).toBe(2);
    expect(project.run('new-essay.ts').status).toBe(2);
    expect(project.listEssayFolders()).toEqual(folders);
  });
});

describe('npm run check:content', slow, () => {
  it('passes on the demo content', () => {
    const { status, stdout } = project.run('check-content.ts');
    expect(status, stdout).toBe(0);
    expect(stdout).toMatch(/files checked: 0 errors, 0 warnings/);
  });

  it('fails on errors with path:line:col lines, and gives the same in --json', () => {
    project.write(
      'content/essays/broken/en.mdx',
      '---\ntitle: Broken\nsummary: x\npublished: 2025-01-20\ncategory: nope\n---\n\nSee [this](/en/essays/nowhere/).\n',
    );
    const { status, stdout } = project.run('check-content.ts');
    expect(status).toBe(1);
    expect(stdout).toContain('content/essays/broken/en.mdx:5:11  error  category: unknown category “nope”');
    expect(stdout).toContain('content/essays/broken/en.mdx:8:5  error  broken link /en/essays/nowhere/');
    const json = project.run('check-content.ts', '--json');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { summary: { errors: number }; diagnostics: unknown[] };
    expect(report.summary.errors).toBe(2);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ file: 'content/essays/broken/en.mdx', line: 5, column: 11, level: 'error', rule: 'frontmatter' }),
    );
    project.write(
      'content/essays/broken/en.mdx',
      '---\ntitle: Fixed\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\nText.\n',
    );
  });

  it('flags GitBook/Liquid syntax left in an essay as an error at its line, but not in code or comments', () => {
    const body =
      'Text.\n\nThe clip \\{% embed url="https://v.example/1" %\\} is gone.\n\nWritten as `{% raw %}` in code.\n\n{/* import: {% tabs %} */}\n';
    project.write(
      'content/essays/liquid/en.mdx',
      `---\ntitle: Liquid\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\n${body}`,
    );
    const { status, stdout } = project.run('check-content.ts');
    expect(status).toBe(1);
    expect(stdout).toContain(
      'content/essays/liquid/en.mdx:10:10  error  GitBook/Liquid syntax left in the text: {% embed url="https://v.example/1" %}',
    );
    expect(stdout.match(/liquid\/en\.mdx:\d+:\d+ {2}error/g)).toHaveLength(1);
    project.write(
      'content/essays/liquid/en.mdx',
      `---\ntitle: Liquid\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\nText.\n`,
    );
  });

  it('reports typography slips as warnings and corrects them with --fix', () => {
    const original =
      '---\ntitle: 排版\nsummary: 摘要\npublished: 2025-01-20\ncategory: observation\n---\n\n我们在2024年,看了`a,b`和[链接](/zh/)。。\n';
    project.write('content/essays/typography/zh.mdx', original);
    const check = project.run('check-content.ts');
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('content/essays/typography/zh.mdx:8:4  warning  add a space between “在” and “2024”');
    const fix = project.run('check-content.ts', '--fix');
    expect(fix.status).toBe(0);
    expect(fix.stdout).toContain('fixed content/essays/typography/zh.mdx: ');
    expect(read('content/essays/typography/zh.mdx')).toBe(
      original.replace('在2024年,看了', '在 2024 年，看了').replace('/zh/)。。', '/zh/)。'),
    );
    expect(project.run('check-content.ts').stdout).not.toContain('typography/zh.mdx:8');
  });
});

describe('npm run translation:mark', slow, () => {
  it('marks a translation, and the content check then follows changes to the original', () => {
    const enPath = 'content/essays/who-welcomed-them/en.mdx';
    const zhPath = 'content/essays/who-welcomed-them/zh.mdx';
    project.write(zhPath, `${read(zhPath)}\n补上的一段。\n`);
    const stale = project.run('check-content.ts');
    expect(stale.stdout).toMatch(
      /who-welcomed-them\/en\.mdx:\d+:1 {2}warning {2}may be out of date: content\/essays\/who-welcomed-them\/zh\.mdx changed/,
    );
    const before = read(enPath);
    const mark = project.run('mark-translation.ts', 'who-welcomed-them', 'en');
    expect(mark.status).toBe(0);
    expect(mark.stdout).toMatch(
      /Marked content\/essays\/who-welcomed-them\/en\.mdx as translated from .*zh\.mdx \(revision [0-9a-f]{10}\)/,
    );
    const after = read(enPath);
    expect(after.replace(/translatedFrom: .*\n/, '')).toBe(before.replace(/translatedFrom: .*\n/, ''));
    expect(after).not.toBe(before);
    expect(project.run('check-content.ts').stdout).not.toContain('may be out of date');
    expect(project.run('mark-translation.ts', 'who-welcomed-them', 'en').stdout).toContain('nothing to do');
  });

  it('refuses missing essays, languages and broken frontmatter with a clear error', () => {
    expect(project.run('mark-translation.ts', 'no-such-essay', 'en')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('does not exist'),
    });
    expect(project.run('mark-translation.ts', 'the-rednote-name', 'en')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('en.mdx does not exist'),
    });
    expect(project.run('mark-translation.ts', 'who-welcomed-them', 'fr').status).toBe(2);
    expect(project.run('mark-translation.ts', 'who-welcomed-them').status).toBe(2);
    const broken = '---\ntitle: [unclosed\n---\n\nText.\n';
    project.write('content/essays/broken-yaml/en.mdx', broken);
    project.write('content/essays/broken-yaml/zh.mdx', '---\ntitle: 原文\n---\n\n正文。\n');
    expect(project.run('mark-translation.ts', 'broken-yaml', 'en')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('not valid YAML'),
    });
    expect(read('content/essays/broken-yaml/en.mdx')).toBe(broken);
  });
});

describe('npm run import', slow, () => {
  it('imports a GitBook export as a draft and reports what it dropped and could not convert', () => {
    const { status, stdout } = project.run('import-essay.ts', join(fixtures, 'gitbook-export.md'), '--slug', 'night-market');
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('content/essays/night-market/zh.mdx');
    expect(stdout).toMatch(
      /Could not convert \(each stands in the text as a placeholder link or an \{\/\* import: … \*\/\} comment; rewrite it by hand\):\n {2}line 50: embed \{% embed/,
    );
    expect(stdout).toContain('Dropped as the source site’s chrome (not part of the article):');
    expect(stdout).toContain('tags not in content/tags.json, left out: 夜市, 记账');
    expect(read('content/essays/night-market/zh.mdx')).toContain('category: republished');
  });

  it('prints, for each fixture, the report the importer tests expect, and writes the expected files', () => {
    const cases: [string, string][] = [
      ['metadata-lines.md', 'meta-lines'],
      ['metadata-list-before-title.md', 'meta-list'],
      ['embeds.md', 'embeds'],
      ['share-rows.md', 'share-rows'],
      ['bilingual-short.txt', 'ferry-short'],
    ];
    for (const [file, slug] of cases) {
      const { status, stdout, stderr } = project.run('import-essay.ts', join(fixtures, file), '--slug', slug);
      expect(status, stderr).toBe(0);
      const name = file.replace(/\.[a-z]+$/, '');
      // The fixtures were made on 2026-01-01: a document without a date gets the day it is imported.
      const withoutToday = (text: string) =>
        text.replace(/used today \(\d{4}-\d{2}-\d{2}\)/g, 'used today').replace(/^published: .*$/m, '');
      const report = readFileSync(join(fixtures, 'expected', name, 'report.txt'), 'utf8');
      // From the counts on, the report names no paths, so the CLI prints it as the fixture has it.
      expect(withoutToday(stdout), file).toContain(withoutToday(report.slice(report.indexOf('In short:')).trimEnd()));
      for (const mdx of ['zh.mdx', 'en.mdx']) {
        const expected = join(fixtures, 'expected', name, mdx);
        const written = join(project.root, 'content/essays', slug, mdx);
        expect(existsSync(written), `${slug}/${mdx}`).toBe(existsSync(expected));
        if (existsSync(expected))
          expect(withoutToday(read(`content/essays/${slug}/${mdx}`))).toBe(withoutToday(readFileSync(expected, 'utf8')));
      }
    }
  });

  it('splits a bilingual document into zh.mdx and en.mdx with a slug from the English title', () => {
    const { status, stdout } = project.run('import-essay.ts', join(fixtures, 'bilingual.txt'));
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('split into zh and en');
    expect(existsSync(join(project.root, 'content/essays/our-community-book-corner-goes-online/zh.mdx'))).toBe(true);
    expect(read('content/essays/our-community-book-corner-goes-online/en.mdx')).toContain('translatedFrom: { lang: zh, revision: ');
  });

  it('leaves imports that pass the content check', () => {
    const { stdout } = project.run('check-content.ts', '--json');
    const report = JSON.parse(stdout) as { diagnostics: { file: string; level: string; message: string }[] };
    const imported = report.diagnostics.filter(
      (diagnostic) =>
        /night-market|book-corner|meta-lines|meta-list|embeds|share-rows|ferry-short/.test(diagnostic.file) && diagnostic.level === 'error',
    );
    expect(imported).toEqual([]);
  });

  it('refuses to overwrite without --force, and replaces with it', () => {
    const again = project.run('import-essay.ts', join(fixtures, 'gitbook-export.md'), '--slug', 'night-market');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists. Choose another --slug, or add --force to replace it. Nothing was written.');
    project.write('content/essays/night-market/zh.mdx', 'edited by hand');
    expect(project.run('import-essay.ts', join(fixtures, 'gitbook-export.md'), '--slug', 'night-market', '--force').status).toBe(0);
    expect(read('content/essays/night-market/zh.mdx')).toContain('夜市里的二维码');
  });

  it('refuses empty or missing files and bad slugs, and leaves no folder behind', () => {
    const folders = project.listEssayFolders();
    project.write('empty.md', '  \n');
    expect(project.run('import-essay.ts', 'empty.md')).toMatchObject({ status: 1, stderr: expect.stringContaining('the file is empty') });
    expect(project.run('import-essay.ts', 'missing.md')).toMatchObject({ status: 1, stderr: expect.stringContaining('no such file') });
    expect(project.run('import-essay.ts', join(fixtures, 'bilingual.txt'), '--slug', '../escape')).toMatchObject({ status: 1 });
    expect(project.run('import-essay.ts').status).toBe(2);
    expect(project.listEssayFolders()).toEqual(folders);
  });

  it('refuses files that are not UTF-8 text, too large or nested too deeply, with a clear message, and writes nothing', () => {
    const folders = project.listEssayFolders();
    // 夜市 in GBK: the bytes are not UTF-8.
    writeFileSync(join(project.root, 'gbk.md'), Buffer.from([0x23, 0x20, 0xd2, 0xb9, 0xca, 0xd0, 0x0a]));
    expect(project.run('import-essay.ts', 'gbk.md')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining(
        'Cannot import gbk.md: it is not UTF-8 text (an export saved as GBK can be converted with: iconv -f GBK -t UTF-8',
      ),
    });
    writeFileSync(join(project.root, 'utf16.md'), Buffer.from('# Title\n\nText.\n', 'utf16le'));
    expect(project.run('import-essay.ts', 'utf16.md')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('it is not UTF-8 text'),
    });
    project.write('huge.md', `# Huge\n\n${'A paragraph of text.\n\n'.repeat(100_000)}`);
    expect(project.run('import-essay.ts', 'huge.md')).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/Cannot import huge\.md: it is 2\.\d MB, more than an essay/),
    });
    project.write('deep.md', `# Deep\n\n${'>'.repeat(5000)} quoted\n`);
    expect(project.run('import-essay.ts', 'deep.md')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('Cannot import deep.md: its quotes or lists are nested too deeply to convert'),
    });
    expect(project.listEssayFolders()).toEqual(folders);
  });
});
