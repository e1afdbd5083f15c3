/**
 * npm run data -- add|show|new …
 * The author's data log: adds or corrects observations in content/data/<dataset>.json, shows a
 * dataset as a table, and starts a new one. Every change is checked against the dataset schema first.
 */
import '../src/lib/load-env.ts';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultLocale, isLocale, localeKeys, mapLocales, type Locale, type Localized } from '../src/i18n/locales.ts';
import { formatLocalDate } from '../src/lib/authoring/scaffold.ts';
import { createDatasetFile, logObservation, showDataset } from '../src/lib/datasets/data-log.ts';
import { DatasetError } from '../src/lib/datasets/dataset-error.ts';
import type { DatasetDraftOptions } from '../src/lib/datasets/dataset-scaffold.ts';

const usage = `Usage: npm run data -- <command> …
  add <dataset> <x> <series>=<value> … [--replace] [--zh 名称 --en Name]
      Logs one observation. x is a date (YYYY-MM-DD) or a category id; series left out get null (a gap).
      --replace corrects the named series at an existing x. A new category needs --zh and --en.
  show <dataset> [--lang ${localeKeys.join('|')}] [--ids]
      Prints the dataset as a table, headed with titles in --lang (default ${defaultLocale}) or with ids.
  new <dataset> <x> <series>=<value> … --title-zh 标题 --title-en Title [--x date|category]
      [--series id:中文名:English name …] [--unit-zh … --unit-en …] [--description-zh … --description-en …]
      [--source-zh … --source-en …] [--source-url https://…] [--retrieved YYYY-MM-DD] [--zh 名称 --en Name]
      Starts content/data/<dataset>.json with its first observation (a dataset needs at least one).
  Examples:
    npm run data -- add tiktokrefugee-tag-daily 2025-01-21 views=30000000 notes=80000
    npm run data -- add tiktokrefugee-tag-daily 2025-01-20 views=37000000 --replace
    npm run data -- add platform-monthly-users kwai-global mau=75000000 --zh "Kwai（全球）" --en "Kwai (global)"
    npm run data -- show platform-monthly-users --lang en
    npm run data -- new signups-daily 2025-01-14 signups=1200 --title-zh 每日注册 --title-en "Daily sign-ups" --series signups:注册:Sign-ups`;

/** `--zh 名称 --en Name`: a new category's name, one option per locale of the table. */
const categoryOptions = mapLocales(() => ({ type: 'string' }) as const);

/** `--title-zh 标题 --title-en Title`: one option per locale of the table for a dataset text. */
function createLocalizedOptions<const Name extends string>(name: Name) {
  return Object.fromEntries(localeKeys.map((locale) => [`${name}-${locale}`, { type: 'string' }])) as Record<
    `${Name}-${Locale}`,
    { type: 'string' }
  >;
}

/** The option names of a text in every language, for messages: `--title-zh and --title-en`. */
function listLocalizedOptions(name: string): string {
  return localeKeys.map((locale) => (name ? `--${name}-${locale}` : `--${locale}`)).join(' and ');
}

const commandOptions = {
  add: { replace: { type: 'boolean' }, ...categoryOptions },
  show: { lang: { type: 'string' }, ids: { type: 'boolean' } },
  new: {
    ...categoryOptions,
    x: { type: 'string' },
    series: { type: 'string', multiple: true },
    ...createLocalizedOptions('title'),
    ...createLocalizedOptions('unit'),
    ...createLocalizedOptions('description'),
    ...createLocalizedOptions('source'),
    'source-url': { type: 'string' },
    retrieved: { type: 'string' },
  },
} satisfies Record<string, ParseArgsConfig['options']>;

type Command = keyof typeof commandOptions;

class UsageError extends Error {}

function isCommand(value: string | undefined): value is Command {
  return value !== undefined && Object.hasOwn(commandOptions, value);
}

/**
 * A text in every language, from `--<name>-zh`, `--<name>-en` (or `--zh`, `--en` when `name` is
 * empty); none of them means the default, only some of them is a usage error.
 */
function readLocalized(values: Record<string, unknown>, name: string, incomplete: string): Localized<string> | undefined {
  const given = mapLocales((locale) => values[name ? `${name}-${locale}` : locale]);
  if (localeKeys.every((locale) => given[locale] === undefined)) return undefined;
  const text = mapLocales((locale) => {
    const value = given[locale];
    return typeof value === 'string' ? value.trim() : '';
  });
  if (localeKeys.some((locale) => !text[locale])) throw new UsageError(`${incomplete}${listLocalizedOptions(name)}`);
  return text;
}

function readPair(values: Record<string, unknown>, name: string): Localized<string> | undefined {
  return readLocalized(values, name, 'give both ');
}

function readCategoryNames(values: Record<string, unknown>): Localized<string> | undefined {
  return readLocalized(values, '', 'a new category needs both names: ');
}

function run(command: Command, args: string[]): string {
  const root = process.cwd();
  if (command === 'add') {
    const { values, positionals } = parseArgs({ args, options: commandOptions.add, allowPositionals: true });
    const [datasetId, x, ...assignments] = positionals;
    if (!datasetId || !x) throw new UsageError('add needs a dataset, an x and at least one <series>=<value>');
    return logObservation(
      root,
      datasetId,
      { x, assignments, categoryNames: readCategoryNames(values) },
      { replace: values.replace ?? false, date: formatLocalDate(new Date()) },
    );
  }
  if (command === 'show') {
    const { values, positionals } = parseArgs({ args, options: commandOptions.show, allowPositionals: true });
    const [datasetId, ...extra] = positionals;
    if (!datasetId || extra.length > 0) throw new UsageError('show takes one dataset');
    const locale = values.lang ?? defaultLocale;
    if (!isLocale(locale)) throw new UsageError(`unknown language “${locale}”: use ${localeKeys.join(' or ')}`);
    return showDataset(root, datasetId, { locale, showIds: values.ids ?? false });
  }
  const { values, positionals } = parseArgs({ args, options: commandOptions.new, allowPositionals: true });
  const [id, x, ...assignments] = positionals;
  if (!id || !x) throw new UsageError('new needs a dataset id and its first observation: <x> <series>=<value> …');
  const xType = values.x ?? 'date';
  if (xType !== 'date' && xType !== 'category') throw new UsageError(`--x is date or category, not “${xType}”`);
  const title = readPair(values, 'title');
  if (!title) throw new UsageError(`new needs ${listLocalizedOptions('title')}`);
  const options: DatasetDraftOptions = {
    id,
    title,
    description: readPair(values, 'description'),
    unit: readPair(values, 'unit'),
    sourceName: readPair(values, 'source'),
    sourceUrl: values['source-url'],
    retrieved: values.retrieved ?? formatLocalDate(new Date()),
    xType,
    series: values.series ?? [],
  };
  return createDatasetFile(root, options, { x, assignments, categoryNames: readCategoryNames(values) }, formatLocalDate(new Date()));
}

function main(): number {
  const [command, ...args] = process.argv.slice(2);
  if (command === '--help' || command === '-h' || args.includes('--help')) {
    console.log(usage);
    return 0;
  }
  if (!isCommand(command)) {
    console.error(command === undefined ? usage : `Unknown command “${command}”.\n${usage}`);
    return 2;
  }
  try {
    console.log(run(command, args));
    return 0;
  } catch (error) {
    if (error instanceof DatasetError) {
      console.error(command === 'show' ? `${error.message}.` : `${error.message}. Nothing was written.`);
      return 1;
    }
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n${usage}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
