import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'astro/zod';
import { describe, expect, it } from 'vitest';
import { localized } from '../../src/i18n/localized-schema.ts';
import { getCounterpartLocale, getOtherLocales, localeKeys, locales, mapLocales } from '../../src/i18n/locales.ts';
import { datasetSchema } from '../../src/lib/charts/dataset-schema.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A value for every locale but `left`, which is left out. */
function withoutLocale(left: string, value = 'text'): Record<string, string> {
  return Object.fromEntries(localeKeys.filter((locale) => locale !== left).map((locale) => [locale, value]));
}

describe('locales derived from the table', () => {
  it('localized() has one member per locale of the table, each required and non-empty', () => {
    const schema = localized();
    expect(Object.keys(schema.shape)).toEqual(Object.keys(locales));
    expect(schema.parse(mapLocales((locale) => `in ${locale}`))).toEqual(mapLocales((locale) => `in ${locale}`));
    for (const locale of localeKeys) {
      const missing = schema.safeParse(withoutLocale(locale));
      expect(missing.success).toBe(false);
      expect(missing.error?.issues.map((issue) => issue.path)).toEqual([[locale]]);
      const empty = schema.safeParse({ ...withoutLocale(locale), [locale]: '' });
      expect(empty.error?.issues.map((issue) => issue.path)).toEqual([[locale]]);
    }
  });

  it('localized() checks each member with the schema it is given', () => {
    const counts = localized(z.number().int());
    expect(counts.parse(mapLocales(() => 3))).toEqual(mapLocales(() => 3));
    expect(counts.safeParse(mapLocales(() => 'three')).error?.issues).toHaveLength(localeKeys.length);
  });

  it('a chart dataset needs its texts and category names in every locale of the table', () => {
    const names = mapLocales((locale) => `name ${locale}`);
    const dataset = {
      id: 'sample',
      title: names,
      description: names,
      source: { name: names, retrieved: '2025-01-01' },
      unit: names,
      x: { type: 'category', values: [{ id: 'one', ...names }] },
      series: [{ id: 'value', name: names, values: [1] }],
    };
    expect(datasetSchema.safeParse(dataset).success).toBe(true);
    for (const locale of localeKeys) {
      const result = datasetSchema.safeParse({
        ...dataset,
        title: withoutLocale(locale),
        x: { type: 'category', values: [{ id: 'one', ...withoutLocale(locale) }] },
      });
      expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([`title.${locale}`, `x.values.0.${locale}`].sort());
    }
  });

  it('the other locales are every locale of the table but the one given, in table order', () => {
    for (const locale of localeKeys) {
      const others = getOtherLocales(locale);
      expect(others).not.toContain(locale);
      expect([locale, ...others].sort()).toEqual([...localeKeys].sort());
      expect(getCounterpartLocale(locale)).toBe(others[0]);
    }
  });
});

// What counts as spelling the locale keys out as a list: a quoted list or union ('zh', 'en'),
// an object with both keys on one line or on neighbouring lines, a brace glob ({zh,en}).
const keys = localeKeys.join('|');
const quotedList = new RegExp(`(['"])(${keys})\\1\\s*[,|]\\s*(['"])(${keys})\\3`, 'g');
const keysOnOneLine = new RegExp(`(?:^|[^\\w.$-])(${keys})\\??\\s*:.*?[,;{]\\s*(${keys})\\??\\s*:`, 'g');
const braceGlob = new RegExp(`\\{\\s*(${keys})\\s*,\\s*(${keys})\\s*\\}`, 'g');
const keyLine = new RegExp(`^(\\s*)(${keys})\\??\\s*:`);
/** Entries of a spelled-out object sit this close: a per-locale block longer than this is a table, not a list. */
const neighbourLines = 3;

/** Lines of `source` that spell two different locale keys out as a list, 1-based. */
function findLocaleLists(source: string): number[] {
  const lines = source.split('\n');
  const found = new Set<number>();
  lines.forEach((line, index) => {
    for (const pattern of [quotedList, keysOnOneLine, braceGlob]) {
      for (const match of line.matchAll(pattern)) {
        const named = match.slice(1).filter((group) => group !== undefined && localeKeys.some((key) => key === group));
        if (new Set(named).size > 1) found.add(index + 1);
      }
    }
    const key = keyLine.exec(line);
    if (!key) return;
    for (const next of lines.slice(index + 1, index + 1 + neighbourLines)) {
      const other = keyLine.exec(next);
      if (other && other[1] === key[1] && other[2] !== key[2]) found.add(index + 1);
    }
  });
  return [...found];
}

function listSourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs|astro)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

describe('no locale list outside the table', () => {
  it('finds the ways a file can spell the locale keys out', () => {
    expect(findLocaleLists("const x = ['zh', 'en'];")).toEqual([1]);
    expect(findLocaleLists("type L = 'en' | 'zh';")).toEqual([1]);
    expect(findLocaleLists('const n = { zh: 0, en: 0 };')).toEqual([1]);
    expect(findLocaleLists('  names?: { zh: string; en: string };')).toEqual([1]);
    expect(findLocaleLists('z.object({ id: slug, zh: z.string(), en: z.string() })')).toEqual([1]);
    expect(findLocaleLists("glob({ pattern: '*/{zh,en}.mdx' })")).toEqual([1]);
    expect(findLocaleLists("const labels = {\n  zh: { image: '图片' },\n  en: { image: 'Image' },\n};")).toEqual([2]);
    expect(findLocaleLists("if (locale === 'zh') return;\nconst tag = locales.zh.tag;\nconst url = '/zh/essays/x/';")).toEqual([]);
    expect(findLocaleLists('const speed = mapLocales((locale) => locales[locale].readingSpeed);')).toEqual([]);
  });

  // src/i18n holds the table itself, content is written per language, tests name locales to check them.
  // SQL migrations are not read: a CHECK constraint cannot read the table, and applied migrations are history.
  it('src, scripts and astro.config.mjs read the locales from src/i18n/locales.ts', () => {
    const files = [
      ...listSourceFiles('src').filter((path) => !path.startsWith(join('src', 'i18n'))),
      ...listSourceFiles('scripts'),
      'astro.config.mjs',
    ];
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((path) => findLocaleLists(readFileSync(join(root, path), 'utf8')).map((line) => `${path}:${line}`));
    expect(offenders).toEqual([]);
  });
});
