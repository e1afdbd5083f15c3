import { localeKeys, mapLocales } from '../../i18n/locales.ts';
import { translateToEveryLocale } from '../../i18n/translator.ts';
import { slugPattern } from '../authoring/essay-folder.ts';
import type { DatasetInput } from '../charts/dataset-schema.ts';
import { DatasetError } from './dataset-error.ts';

type LocalizedText = DatasetInput['title'];

export interface SeriesSpec {
  id: string;
  name: LocalizedText;
}

export interface DatasetDraftOptions {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  unit?: LocalizedText;
  sourceName?: LocalizedText;
  sourceUrl?: string;
  /** `YYYY-MM-DD`: when the figures were read off their source. */
  retrieved: string;
  xType: DatasetInput['x']['type'];
  /** `id:中文名:English name` as typed after --series; none gives one series, `value`. */
  series: readonly string[];
}

export interface DatasetDraft {
  /** Has no x values yet: the first observation makes it valid. */
  dataset: DatasetInput;
  /** The fields filled with a stand-in, for the author to look over. */
  defaulted: string[];
}

const defaultSeries: SeriesSpec = { id: 'value', name: translateToEveryLocale('data.defaultSeries') };
const defaultUnit: LocalizedText = translateToEveryLocale('data.defaultUnit');
const defaultSourceName: LocalizedText = translateToEveryLocale('data.defaultSource');

/** A text in every language as the author reads it in a message: `数值 / value`. */
function joinLanguages(text: LocalizedText): string {
  return localeKeys.map((locale) => text[locale]).join(' / ');
}

/** Why `id` cannot name a dataset file, or `undefined` when it can. */
export function describeInvalidDatasetId(id: string): string | undefined {
  if (slugPattern.test(id)) return undefined;
  return `“${id}” cannot be a dataset id: use lowercase letters, digits and single hyphens (e.g. tag-daily)`;
}

/** `views:浏览量:Views` → a series: its id, then a name per locale in table order; the last (English) name may itself contain colons. */
export function parseSeriesSpec(spec: string): SeriesSpec {
  const [id = '', ...parts] = spec.split(':');
  const lastIndex = localeKeys.length - 1;
  const names = localeKeys.map((_, index) => (index === lastIndex ? parts.slice(index).join(':') : (parts[index] ?? '')).trim());
  if (!id || names.some((name) => !name))
    throw new DatasetError(`--series “${spec}” must be id:中文名:English name (e.g. views:浏览量:Views)`);
  if (!slugPattern.test(id))
    throw new DatasetError(`--series “${spec}”: “${id}” cannot be a series id: use lowercase letters, digits and single hyphens`);
  return { id, name: mapLocales((locale) => names[localeKeys.indexOf(locale)] ?? '') };
}

/** A new dataset with its titles, series and provenance, and no observations yet. */
export function createDatasetDraft(options: DatasetDraftOptions): DatasetDraft {
  const invalidId = describeInvalidDatasetId(options.id);
  if (invalidId) throw new DatasetError(invalidId);
  const series = options.series.length > 0 ? options.series.map(parseSeriesSpec) : [defaultSeries];
  const repeated = series.find((item, index) => series.findIndex((other) => other.id === item.id) !== index);
  if (repeated) throw new DatasetError(`--series “${repeated.id}” is given twice`);
  const defaulted: string[] = [];
  if (!options.description) defaulted.push('description (copied from the title)');
  if (!options.unit) defaulted.push(`unit (${joinLanguages(defaultUnit)})`);
  if (!options.sourceName) defaulted.push(`source (${joinLanguages(defaultSourceName)})`);
  if (options.series.length === 0) defaulted.push(`series (${defaultSeries.id})`);
  const dataset: DatasetInput = {
    id: options.id,
    title: options.title,
    description: options.description ?? options.title,
    source: {
      name: options.sourceName ?? defaultSourceName,
      ...(options.sourceUrl ? { url: options.sourceUrl } : {}),
      retrieved: options.retrieved,
    },
    unit: options.unit ?? defaultUnit,
    x: options.xType === 'date' ? { type: 'date', values: [] } : { type: 'category', values: [] },
    series: series.map((item) => ({ id: item.id, name: item.name, values: [] })),
  };
  return { dataset, defaulted };
}
