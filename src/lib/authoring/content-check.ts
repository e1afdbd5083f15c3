import { posix } from 'node:path';
import { z } from 'astro/zod';
import { mdxToMdast, type MdastNode } from 'satteri';
import { defaultLocale, getOtherLocales, localeKeys, locales, type Locale } from '../../i18n/locales.ts';
import { findChartUsageProblem, getDatasetOutline, readChartUsage, type DatasetOutline } from '../charts/chart-usage.ts';
import type { LoadedDataset } from '../datasets/dataset-files.ts';
import { findUnrecordedChanges } from '../datasets/revisions.ts';
import { createEssaySchema } from '../essay-schema.ts';
import type { ContentFile, ContentSnapshot, EssayFile, PageFile } from './content-files.ts';
import type { Diagnostic, DiagnosticLevel } from './diagnostics.ts';
import {
  describeYamlError,
  locateFrontmatterKey,
  locateFrontmatterPath,
  locateVerbatimString,
  parseFrontmatter,
  getBody,
  type ParsedFrontmatter,
} from './frontmatter.ts';
import { getEssayPath, getPagePath, matchRoute, resolveHref } from './links.ts';
import { alignByKey } from '../parallel/align.ts';
import { alignIdPattern } from '../parallel/blocks.ts';
import { analyzeMdx, getChildren, MdxSyntaxError, type MdxDocument } from './mdx-document.ts';
import { getRevision } from './revision.ts';
import { createLineIndex } from './source-position.ts';
import { applyReplacements, findTypographySlips, selectNonOverlapping, type TypographySlip } from './typography.ts';

/** Frontmatter fields whose values are prose a reader sees. */
const proseFields = ['title', 'summary'] as const;

/** One content file being checked: its analysis and a way to report against it. */
interface CheckedFile {
  file: ContentFile;
  locale: Locale;
  pagePath: string;
  frontmatter: ParsedFrontmatter | undefined;
  document: MdxDocument | undefined;
  /** Frontmatter values after validation (essays only, when valid). */
  data: EssayData | undefined;
  report: (offset: number, level: DiagnosticLevel, rule: string, message: string) => void;
}

type EssayData = z.output<ReturnType<typeof createCheckerSchema>>;

function createKnownIdSchema(kind: string, ids: ReadonlySet<string>, registry: string) {
  return z.string().superRefine((id, context) => {
    if (!ids.has(id)) {
      const known = [...ids].sort().join(', ');
      context.addIssue({ code: 'custom', message: `unknown ${kind} “${id}”: not in ${registry}${known ? ` (known: ${known})` : ''}` });
    }
  });
}

/** The essay schema of the build, with stand-ins for Astro's `reference()` and `image()`. */
function createCheckerSchema(snapshot: ContentSnapshot) {
  return createEssaySchema({
    author: createKnownIdSchema('author', new Set(snapshot.authors.map((author) => author.id)), 'content/authors/'),
    category: createKnownIdSchema('category', new Set(snapshot.categories.map((entry) => entry.id)), 'content/categories.json'),
    tag: createKnownIdSchema('tag', new Set(snapshot.tags.map((entry) => entry.id)), 'content/tags.json'),
    image: z.string().min(1),
  });
}

function describeValue(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : JSON.stringify(value);
}

function checkFrontmatter(checked: CheckedFile, schema: ReturnType<typeof createCheckerSchema> | undefined): void {
  const { frontmatter } = checked;
  if (!frontmatter) {
    checked.report(0, 'error', 'frontmatter', 'no frontmatter: start the file with --- lines holding title, summary, published…');
    return;
  }
  if (frontmatter.document.errors.length > 0) {
    for (const error of frontmatter.document.errors) {
      checked.report(frontmatter.block.yamlStart + error.pos[0], 'error', 'frontmatter', `invalid YAML: ${describeYamlError(error)}`);
    }
    return;
  }
  if (!schema) return;
  const values: unknown = frontmatter.document.toJS();
  const result = schema.safeParse(values ?? {});
  if (result.success) {
    checked.data = result.data;
    return;
  }
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        checked.report(
          locateFrontmatterKey(frontmatter, key),
          'error',
          'frontmatter',
          `unknown field “${key}”: the essay schema (src/lib/essay-schema.ts) does not have it`,
        );
      }
      continue;
    }
    const path = issue.path.filter((key): key is string | number => typeof key === 'string' || typeof key === 'number');
    const field = path.join('.') || 'frontmatter';
    const value = frontmatter.document.getIn(path);
    const message =
      value === undefined && issue.code === 'invalid_type'
        ? `missing required field “${field}”`
        : `${field}: ${issue.message}${value === undefined || issue.code === 'custom' ? '' : ` (got ${describeValue(value)})`}`;
    checked.report(locateFrontmatterPath(frontmatter, path), 'error', 'frontmatter', message);
  }
}

function checkImages(checked: CheckedFile, snapshot: ContentSnapshot): void {
  const folder = posix.dirname(checked.file.path);
  for (const image of checked.document?.images ?? []) {
    if (image.alt.trim() === '') {
      checked.report(
        image.offset,
        'error',
        'image-alt',
        `image without alt text: write ![what it shows](${image.url}) (the build stops at it)`,
      );
    }
    const target = resolveHref(image.url, checked.pagePath);
    if (target.kind !== 'internal') continue;
    const isSiteRelative = image.url.startsWith('/');
    const exists = isSiteRelative
      ? snapshot.publicFiles.has(target.path)
      : snapshot.essayAssets.has(posix.normalize(posix.join(folder, image.url.split(/[?#]/)[0] ?? '')));
    if (!exists) {
      const where = isSiteRelative ? `public${target.path}` : posix.join(folder, image.url);
      checked.report(image.offset, 'error', 'image', `image file not found: ${where}`);
    }
  }
}

function checkCover(checked: CheckedFile, snapshot: ContentSnapshot): void {
  const src = checked.data?.cover?.src;
  if (!src || !checked.frontmatter || /^[a-z]+:/i.test(src)) return;
  const path = posix.normalize(posix.join(posix.dirname(checked.file.path), src));
  if (!snapshot.essayAssets.has(path)) {
    checked.report(locateFrontmatterPath(checked.frontmatter, ['cover', 'src']), 'error', 'image', `cover image not found: ${path}`);
  }
}

/** Everything a link can land on, indexed once for all files. */
interface SiteIndex {
  essays: Map<string, Partial<Record<Locale, CheckedFile>>>;
  pages: Map<string, Partial<Record<Locale, CheckedFile>>>;
  tagIds: Set<string>;
}

function describeIds(document: MdxDocument | undefined): string {
  const ids = [...(document?.ids ?? [])].filter((id) => !id.startsWith('user-content-') && id !== 'footnote-label');
  return ids.length > 0 ? ` (headings there: ${ids.map((id) => `#${id}`).join(', ')})` : '';
}

function checkAnchor(
  checked: CheckedFile,
  offset: number,
  target: CheckedFile | undefined,
  anchor: string | undefined,
  shownPath: string,
): void {
  if (!anchor || !target?.document) return;
  if (!target.document.ids.has(anchor)) {
    checked.report(offset, 'error', 'link', `${shownPath} has no heading with id “#${anchor}”${describeIds(target.document)}`);
  }
}

function checkLinks(checked: CheckedFile, snapshot: ContentSnapshot, site: SiteIndex): void {
  for (const link of checked.document?.links ?? []) {
    const target = resolveHref(link.url, checked.pagePath);
    if (target.kind === 'external') continue;
    if (target.kind === 'same-page') {
      checkAnchor(checked, link.offset, checked, target.anchor, 'this page');
      continue;
    }
    const route = matchRoute(target.path);
    const shown = target.path + (target.anchor ? `#${target.anchor}` : '');
    if (route.missingSlash) {
      checked.report(link.offset, 'warning', 'link', `add the trailing slash: ${target.path}/ (every page URL on the site ends in /)`);
    }
    switch (route.kind) {
      case 'essay': {
        const versions = site.essays.get(route.slug);
        if (!versions) {
          checked.report(link.offset, 'error', 'link', `broken link ${shown}: there is no essay “${route.slug}” in content/essays/`);
          break;
        }
        const version = versions[route.locale];
        if (!version) {
          const existing = localeKeys.find((locale) => versions[locale]);
          checked.report(
            link.offset,
            target.anchor ? 'error' : 'warning',
            'link',
            `${shown} is a “not translated yet” page: “${route.slug}” has no ${locales[route.locale].englishName} version${existing ? `; link to ${getEssayPath(existing, route.slug)} instead` : ''}`,
          );
          break;
        }
        if (version.data?.draft && !checked.data?.draft) {
          checked.report(
            link.offset,
            'error',
            'link',
            `${shown} is a draft: the link is broken in the production build until it is published`,
          );
        }
        checkAnchor(checked, link.offset, version, target.anchor, getEssayPath(route.locale, route.slug));
        break;
      }
      case 'tag':
        if (!site.tagIds.has(route.id)) {
          checked.report(link.offset, 'error', 'link', `broken link ${shown}: there is no tag “${route.id}” in content/tags.json`);
        }
        break;
      case 'about':
        checkAnchor(checked, link.offset, site.pages.get('about')?.[route.locale], target.anchor, target.path);
        break;
      case 'listing':
      case 'root':
        break;
      case 'file':
        if (!snapshot.publicFiles.has(target.path)) {
          checked.report(link.offset, 'error', 'link', `broken link ${shown}: no file public${target.path}`);
        }
        break;
      case 'unknown':
        checked.report(link.offset, 'error', 'link', `broken link ${shown}: no page of the site has this address`);
        break;
    }
  }
}

/** The build's `<Chart>` rules (src/lib/charts/chart-usage.ts) over the datasets as the build reads them. */
function checkCharts(checked: CheckedFile, datasets: readonly DatasetOutline[]): void {
  for (const chart of checked.document?.jsxElements ?? []) {
    if (chart.name !== 'Chart') continue;
    const usage = readChartUsage(chart.attributes, chart.hasSpread);
    if (!usage) {
      checked.report(
        chart.offset,
        'warning',
        'chart',
        '<Chart> has a computed prop, so it is checked only when the page is built: write dataset="<id>", type="…" and series={["…"]} as plain values',
      );
      continue;
    }
    const problem = findChartUsageProblem(usage, datasets);
    if (problem) checked.report(chart.offset, 'error', 'chart', problem);
  }
}

/** A dataset the build would refuse, at the line of each problem. */
function reportDatasetProblems(datasets: readonly LoadedDataset[], diagnostics: Diagnostic[]): void {
  for (const dataset of datasets) {
    if (dataset.isValid) continue;
    for (const problem of dataset.problems) {
      diagnostics.push({
        file: dataset.path,
        line: problem.line,
        column: problem.column,
        level: 'error',
        rule: 'chart',
        message: problem.message,
      });
    }
  }
}

/** A dataset whose values changed without a revision (a hand edit): one warning per point, at the file's first line. */
function reportUnrecordedChanges(snapshot: ContentSnapshot, diagnostics: Diagnostic[]): void {
  for (const dataset of snapshot.datasets) {
    if (!dataset.isValid) continue;
    for (const change of findUnrecordedChanges(dataset.input, snapshot.committedDatasets.get(dataset.id))) {
      diagnostics.push({
        file: dataset.path,
        line: 1,
        column: 1,
        level: 'warning',
        rule: 'data-revision',
        message: `${change}; log changes with npm run data so the data page shows them (or add the revision by hand)`,
      });
    }
  }
}

/** The `<Align id>` points of a file that the build accepts, in order; reports the ones it would refuse. */
function checkAlignPoints(checked: CheckedFile): { id: string; offset: number }[] {
  const points: { id: string; offset: number }[] = [];
  for (const element of checked.document?.jsxElements ?? []) {
    if (element.name !== 'Align') continue;
    const id = element.attributes.get('id');
    const problem = !element.isTopLevel
      ? '<Align> must be on a line of its own at the top level of the essay, with a blank line before and after'
      : id?.kind !== 'string' || element.attributes.size > 1
        ? 'write an alignment point as <Align id="some-name" />'
        : !alignIdPattern.test(id.value)
          ? `<Align id="${id.value}">: use lower-case letters, digits and single hyphens`
          : points.some((point) => point.id === id.value)
            ? `<Align id="${id.value}"> appears twice; each id marks one point`
            : undefined;
    if (problem) checked.report(element.offset, 'error', 'align', problem);
    else if (id?.kind === 'string') points.push({ id: id.value, offset: element.offset });
  }
  return points;
}

/** Alignment points pair only when both versions have them, in the same order. */
function checkAlignment(site: SiteIndex): void {
  for (const versions of site.essays.values()) {
    const [first, second] = localeKeys.map((locale) => versions[locale]);
    if (!first || !second) {
      for (const checked of [first, second]) if (checked) checkAlignPoints(checked);
      continue;
    }
    const points = [first, second].map((checked) => checkAlignPoints(checked).map((point) => ({ ...point, key: point.id })));
    for (const row of alignByKey(points[0] ?? [], points[1] ?? [])) {
      const [point, checked, other] = row.left ? [row.left, first, second] : [row.right, second, first];
      if ((row.left && row.right) || !point) continue;
      const isElsewhere = (row.left ? points[1] : points[0])?.some((candidate) => candidate.id === point.id);
      checked.report(
        point.offset,
        'warning',
        'align',
        isElsewhere
          ? `<Align id="${point.id}"> comes in a different order in ${other.file.path}, so it does not pair; put the points in the same order in both`
          : `<Align id="${point.id}"> has no counterpart in ${other.file.path}: add <Align id="${point.id}" /> at the same place there, or the text around it pairs by sections only`,
      );
    }
  }
}

/** Typography slips in a zh file's prose and prose fields, as file offsets. */
function findFileTypographySlips(source: string, document: MdxDocument, frontmatter: ParsedFrontmatter | undefined): TypographySlip[] {
  const slips: TypographySlip[] = [];
  const segments = [...document.prose];
  for (const field of proseFields) {
    const located = frontmatter && locateVerbatimString(frontmatter, field);
    if (located) segments.push({ text: located.value, offset: located.offset });
  }
  for (const segment of segments) {
    for (const slip of findTypographySlips(segment.text)) {
      slips.push({ ...slip, start: segment.offset + slip.start, end: segment.offset + slip.end });
    }
  }
  return slips.filter((slip) => source.slice(slip.start, slip.end) !== slip.replacement);
}

function checkTypography(checked: CheckedFile): void {
  if (checked.locale !== 'zh' || !checked.document) return;
  for (const slip of findFileTypographySlips(checked.file.source, checked.document, checked.frontmatter)) {
    checked.report(slip.start, 'warning', 'typography', `${slip.message} (npm run check:content -- --fix corrects it)`);
  }
}

/** Liquid as the escapes left it: `\\{% embed … %\\}` reads as `{% embed … %}`. */
const liquidPattern = /\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/;
const liquidSourcePattern = /\\?\{\\?[%{]/;
const liquidUrlPattern = /\{[%{]|%7B(%25|%7B)/i;
/** Blocks whose children are the text a reader sees in one run. */
const textBlockTypes = new Set(['paragraph', 'heading', 'tableCell']);

function describeLiquid(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** A text block's visible text with the text nodes it came from; code spans stand for nothing (they may show Liquid). */
function readVisibleText(node: MdastNode, into: { text: string; nodes: { node: MdastNode; start: number }[] } = { text: '', nodes: [] }) {
  if (node.type === 'text') {
    into.nodes.push({ node, start: into.text.length });
    into.text += node.value;
  } else if (node.type === 'inlineCode' || node.type === 'mdxTextExpression') {
    into.text += ' ';
  } else {
    for (const child of getChildren(node)) readVisibleText(child, into);
  }
  return into;
}

/**
 * GitBook/Liquid syntax (`{% embed … %}`, `{{ page.title }}`) that an import or a paste left in
 * an essay: escaped, readers see it as written; bare `{{ … }}` is an MDX expression. Code and
 * `{/* … *\/}` comments may hold it.
 */
function checkLiquid(checked: CheckedFile): void {
  const { source } = checked.file;
  const body = checked.frontmatter ? getBody(source) : source;
  // Most files hold none: parse a second time only those that might.
  if (!checked.document || (!liquidSourcePattern.test(body) && !/%7B(%25|%7B)/i.test(body))) return;
  const tree = mdxToMdast(source, { features: { gfm: true } });
  const visit = (node: MdastNode) => {
    if (node.type === 'code' || node.type === 'yaml') return;
    if (textBlockTypes.has(node.type)) {
      // One run of text, because an autolinked URL splits `{% embed url="https://…" %}` into several nodes.
      const visible = readVisibleText(node);
      const found = liquidPattern.exec(visible.text);
      if (found) {
        const holder = visible.nodes.findLast((entry) => entry.start <= found.index) ?? visible.nodes[0];
        const start = holder?.node.position?.start.offset ?? node.position?.start.offset ?? 0;
        const within = source.slice(start, holder?.node.position?.end.offset ?? start).search(liquidSourcePattern);
        checked.report(
          start + Math.max(0, within),
          'error',
          'liquid',
          `GitBook/Liquid syntax left in the text: ${describeLiquid(found[0])}; readers see it as written: convert it (an embed becomes a link to what it showed) or delete it`,
        );
      }
    }
    if ((node.type === 'mdxTextExpression' || node.type === 'mdxFlowExpression') && node.value.trim().startsWith('{')) {
      checked.report(
        node.position?.start.offset ?? 0,
        'error',
        'liquid',
        `Liquid {${describeLiquid(node.value)}} is read by MDX as a JavaScript expression (the build fails or shows nonsense): write the value or delete it`,
      );
    }
    if ((node.type === 'link' || node.type === 'image') && liquidUrlPattern.test(node.url)) {
      checked.report(
        node.position?.start.offset ?? 0,
        'error',
        'liquid',
        `Liquid in a link address: ${describeLiquid(node.url)}; write the real address`,
      );
    }
    getChildren(node).forEach(visit);
  };
  visit(tree);
}

function checkTranslations(site: SiteIndex): void {
  for (const [slug, versions] of site.essays) {
    const present = localeKeys.filter((locale) => versions[locale]);
    if (present.length === 1) {
      const [only] = present;
      const file = only && versions[only];
      if (file && only) {
        for (const missing of getOtherLocales(only)) {
          const language = locales[missing].englishName;
          file.report(0, 'notice', 'translation', `no ${language} version: ${language} readers get a “not translated yet” page`);
        }
      }
      continue;
    }
    let tracked = false;
    for (const locale of present) {
      const file = versions[locale];
      const translatedFrom = file?.data?.translatedFrom;
      if (!file || !translatedFrom || !file.frontmatter) continue;
      tracked = true;
      const offset = locateFrontmatterKey(file.frontmatter, 'translatedFrom');
      if (translatedFrom.lang === locale) {
        file.report(
          offset,
          'error',
          'translation',
          `translatedFrom.lang is this file's own language: name the language it was translated from`,
        );
        continue;
      }
      const source = versions[translatedFrom.lang];
      if (!source) {
        file.report(offset, 'warning', 'translation', `translatedFrom names ${translatedFrom.lang}.mdx, which does not exist`);
        continue;
      }
      const current = getRevision(getBody(source.file.source));
      if (current !== translatedFrom.revision) {
        file.report(
          offset,
          'warning',
          'translation',
          `may be out of date: ${source.file.path} changed since this translation (revision ${translatedFrom.revision}, now ${current}); update it, then run npm run translation:mark -- ${slug} ${locale}`,
        );
      }
    }
    // A version whose frontmatter did not validate has its own error; whether it names its original is unknown.
    const isEveryVersionValid = present.every((locale) => versions[locale]?.data !== undefined);
    if (tracked || !isEveryVersionValid) continue;
    // Untracked: the notice goes on the versions outside the default locale, the usual translations.
    for (const locale of getOtherLocales(defaultLocale)) {
      versions[locale]?.report(
        0,
        'notice',
        'translation',
        `translation freshness is not tracked: after translating, run npm run translation:mark -- ${slug} ${locale}`,
      );
    }
  }
}

function prepareFile(file: EssayFile | PageFile, pagePath: string, diagnostics: Diagnostic[]): CheckedFile {
  const position = createLineIndex(file.source);
  const checked: CheckedFile = {
    file,
    locale: file.locale,
    pagePath,
    frontmatter: parseFrontmatter(file.source),
    document: undefined,
    data: undefined,
    report: (offset, level, rule, message) => {
      diagnostics.push({ file: file.path, ...position(offset), level, rule, message });
    },
  };
  try {
    checked.document = analyzeMdx(file.source);
  } catch (error) {
    if (!(error instanceof MdxSyntaxError)) throw error;
    diagnostics.push({
      file: file.path,
      line: error.line,
      column: error.column,
      level: 'error',
      rule: 'mdx',
      message: `MDX syntax: ${error.message}`,
    });
  }
  return checked;
}

/** Every check of `npm run check:content` over a content snapshot. */
export function checkContent(snapshot: ContentSnapshot): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...snapshot.problems];
  reportDatasetProblems(snapshot.datasets, diagnostics);
  reportUnrecordedChanges(snapshot, diagnostics);
  const datasetOutlines = snapshot.datasets.map(getDatasetOutline);
  const schema = createCheckerSchema(snapshot);
  const site: SiteIndex = { essays: new Map(), pages: new Map(), tagIds: new Set(snapshot.tags.map((tag) => tag.id)) };
  const files: CheckedFile[] = [];
  for (const essay of snapshot.essays) {
    const checked = prepareFile(essay, getEssayPath(essay.locale, essay.slug), diagnostics);
    checkFrontmatter(checked, schema);
    site.essays.set(essay.slug, { ...site.essays.get(essay.slug), [essay.locale]: checked });
    files.push(checked);
  }
  for (const page of snapshot.pages) {
    const checked = prepareFile(page, getPagePath(page.locale, `${page.name}/`), diagnostics);
    checkFrontmatter(checked, undefined);
    site.pages.set(page.name, { ...site.pages.get(page.name), [page.locale]: checked });
    files.push(checked);
  }
  for (const checked of files) {
    checkCover(checked, snapshot);
    checkImages(checked, snapshot);
    checkLinks(checked, snapshot, site);
    checkCharts(checked, datasetOutlines);
    checkTypography(checked);
    checkLiquid(checked);
  }
  checkTranslations(site);
  checkAlignment(site);
  return diagnostics;
}

/** The number of files `checkContent` reads. */
export function countContentFiles(snapshot: ContentSnapshot): number {
  return snapshot.essays.length + snapshot.pages.length;
}

/**
 * Applies every typography fix to a zh file, repeating until nothing changes (one fix can
 * reveal another). Code, URLs, JSX attributes and frontmatter keys are never touched.
 */
export function fixFileTypography(source: string): { source: string; fixes: number } {
  let current = source;
  let fixes = 0;
  for (let pass = 0; pass < 5; pass++) {
    let document: MdxDocument;
    try {
      document = analyzeMdx(current);
    } catch {
      break;
    }
    const slips = selectNonOverlapping(findFileTypographySlips(current, document, parseFrontmatter(current)));
    if (slips.length === 0) break;
    fixes += slips.length;
    current = applyReplacements(current, slips);
  }
  return { source: current, fixes };
}

/** Checks essay files before they are written, as if they were in content/essays/<slug>/: only their own diagnostics. */
export function checkNewEssay(
  snapshot: ContentSnapshot,
  slug: string,
  files: Readonly<Partial<Record<`${Locale}.mdx`, string>>>,
): Diagnostic[] {
  const folder = `content/essays/${slug}`;
  const added: EssayFile[] = localeKeys.flatMap((locale) => {
    const source = files[`${locale}.mdx`];
    return source === undefined ? [] : [{ path: `${folder}/${locale}.mdx`, slug, locale, source }];
  });
  const diagnostics = checkContent({
    ...snapshot,
    problems: [],
    essays: [...snapshot.essays.filter((essay) => essay.slug !== slug), ...added],
  });
  return diagnostics.filter((diagnostic) => diagnostic.file.startsWith(`${folder}/`));
}
