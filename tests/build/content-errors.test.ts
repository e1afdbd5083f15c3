import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWithEssay, buildWithEssays, removeBuildCopies } from './build-copy.ts';

afterAll(removeBuildCopies);

describe('the build refuses bad essays', () => {
  it('names the file and the field when frontmatter is invalid', () => {
    const { status, output } = buildWithEssay(
      'bad-date',
      'en.mdx',
      '---\ntitle: Bad date\nsummary: x\npublished: someday\ncategory: observation\n---\n\nText.\n',
    );
    expect(status).not.toBe(0);
    expect(output).toContain('content/essays/bad-date/en.mdx');
    expect(output).toContain('published');
  }, 120_000);

  it('names the file when a required field is missing or unknown keys appear', () => {
    const { status, output } = buildWithEssay(
      'no-title',
      'zh.mdx',
      '---\nsummary: 摘要\npublished: 2025-01-20\ncategory: observation\nsubtitle: 多余\n---\n\n正文。\n',
    );
    expect(status).not.toBe(0);
    expect(output).toContain('content/essays/no-title/zh.mdx');
    expect(output).toContain('title');
    expect(output).toContain('subtitle');
  }, 120_000);

  it('refuses a tag that is not in content/tags.json', () => {
    const { status, output } = buildWithEssay(
      'unknown-tag',
      'en.mdx',
      '---\ntitle: Unknown tag\nsummary: x\npublished: 2025-01-20\ncategory: observation\ntags: [no-such-tag]\n---\n\nText.\n',
    );
    expect(status).not.toBe(0);
    expect(output).toContain('no-such-tag');
    expect(output).toMatch(/unknown-tag\/en/);
  }, 120_000);
});

describe('the build refuses charts npm run check:content refuses', () => {
  it('names the essay and the line of a pie chart (tests/cli/chart-check-cli.test.ts runs the content check on it)', () => {
    const { status, output } = buildWithEssay(
      'pie-chart',
      'en.mdx',
      '---\ntitle: Pie\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\nIntro.\n\n<Chart dataset="platform-monthly-users" type="pie" series="mau" />\n',
    );
    expect(status).not.toBe(0);
    expect(output).toContain(
      'content/essays/pie-chart/en.mdx, line 10: <Chart dataset="platform-monthly-users">: type "pie" is not one of line, area, bar, stacked-bar, doughnut',
    );
  }, 120_000);

  it('names the dataset file and the line of what is wrong in it', () => {
    const path = 'content/data/platform-monthly-users.json';
    const broken = readFileSync(join(import.meta.dirname, '..', '..', path), 'utf8').replace(
      '"id": "platform-monthly-users"',
      '"id": "platform-users"',
    );
    const { status, output } = buildWithEssays({}, { [path]: broken });
    expect(status).not.toBe(0);
    expect(output).toContain(`${path}:2:3: "id" is “platform-users”; it must match the file name, “platform-monthly-users”`);
  }, 120_000);
});

describe('the build refuses images without alt text', () => {
  it('names the essay and the image', () => {
    const { status, output } = buildWithEssay(
      'no-alt',
      'en.mdx',
      '---\ntitle: No alt\nsummary: x\npublished: 2025-01-20\ncategory: observation\n---\n\n![](https://example.com/chart.png)\n',
    );
    expect(status).not.toBe(0);
    expect(output).toContain('content/essays/no-alt/en.mdx');
    expect(output).toContain('https://example.com/chart.png');
    expect(output).toContain('no alt text');
  }, 120_000);
});

/** A valid 1×1 PNG. */
const tinyPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

describe('cover images', () => {
  it('refuses a cover without alt text', () => {
    const { status, output } = buildWithEssay(
      'cover-no-alt',
      'en.mdx',
      '---\ntitle: Cover\nsummary: x\npublished: 2025-01-20\ncategory: observation\ncover:\n  src: ./cover.png\n---\n\nText.\n',
      { 'cover.png': tinyPng },
    );
    expect(status).not.toBe(0);
    expect(output).toContain('content/essays/cover-no-alt/en.mdx');
    expect(output).toContain('cover.alt');
  }, 120_000);
});
