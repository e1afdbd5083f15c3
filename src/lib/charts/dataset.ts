import type { CollectionEntry } from 'astro:content';
import type { Locale } from '../../i18n/locales.ts';
import { formatDate, formatMonthDay } from '../format.ts';

/** A validated dataset from content/data/ (the schema is in dataset-schema.ts). */
export type Dataset = CollectionEntry<'datasets'>['data'];

export type DatasetSeries = Dataset['series'][number];

/** The keys the x axis is addressed by: ISO dates, or category ids. */
export function getXKeys(dataset: Dataset): string[] {
  return dataset.x.type === 'date' ? [...dataset.x.values] : dataset.x.values.map((category) => category.id);
}

/** Short x labels for ticks and announcements: zh `1月13日`, en `Jan 13`; or the category's name. */
export function getShortXLabels(dataset: Dataset, locale: Locale): string[] {
  return dataset.x.type === 'date'
    ? dataset.x.values.map((date) => formatMonthDay(new Date(date), locale))
    : dataset.x.values.map((category) => category[locale]);
}

/** Full x labels for the data table: zh `2025年1月13日`, en `January 13, 2025`; or the category's name. */
export function getLongXLabels(dataset: Dataset, locale: Locale): string[] {
  return dataset.x.type === 'date'
    ? dataset.x.values.map((date) => formatDate(new Date(date), locale))
    : dataset.x.values.map((category) => category[locale]);
}

export function isSeriesIllustrative(dataset: Dataset, series: DatasetSeries): boolean {
  return dataset.illustrative || series.illustrative;
}

/** The series a chart shows, in the order asked for; all of them when none are named. */
export function selectSeries(dataset: Dataset, seriesIds: readonly string[] | undefined): DatasetSeries[] {
  if (!seriesIds) return dataset.series;
  return seriesIds.map((id) => {
    const series = dataset.series.find((candidate) => candidate.id === id);
    if (!series) throw new Error(`dataset "${dataset.id}" has no series "${id}"`);
    return series;
  });
}

/** The annotation label for each x key that has one. */
export function getAnnotationsByX(dataset: Dataset, locale: Locale): Map<string, string> {
  return new Map(dataset.annotations.map((annotation) => [annotation.x, annotation.label[locale]]));
}
