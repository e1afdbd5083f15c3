import { z } from 'astro/zod';
import { localized } from '../../i18n/localized-schema.ts';

const localizedText = localized();
const slug = z.string().regex(/^[a-z0-9-]+$/, 'use lower-case letters, digits and hyphens');
const pointValue = z.number().nullable();

/**
 * One change `npm run data` made, on the day it made it: `add` a new x with its values, `replace`
 * values at an existing x (old → new, so a correction is never silent).
 */
const datasetRevisionSchema = z.discriminatedUnion('change', [
  z.object({ date: z.iso.date(), change: z.literal('add'), x: z.string().min(1), values: z.record(slug, pointValue) }).strict(),
  z
    .object({
      date: z.iso.date(),
      change: z.literal('replace'),
      x: z.string().min(1),
      values: z.record(slug, z.object({ from: pointValue, to: pointValue }).strict()),
    })
    .strict(),
]);

export type DatasetRevision = z.infer<typeof datasetRevisionSchema>;

/** A chart dataset as written in content/data/<id>.json; the build, `npm run check:content` and `npm run data` all read it through src/lib/datasets/dataset-files.ts. */
export const datasetSchema = z
  .object({
    id: slug,
    title: localizedText,
    description: localizedText,
    source: z.object({ name: localizedText, url: z.url().optional(), retrieved: z.iso.date() }).strict(),
    notes: localizedText.optional(),
    licence: localizedText.optional(),
    /** What the values count, e.g. 次 / views. */
    unit: localizedText,
    /** True when the numbers are a sketch of a trend rather than measurements; a series can say so on its own. */
    illustrative: z.boolean().default(false),
    x: z.discriminatedUnion('type', [
      z.object({ type: z.literal('date'), values: z.array(z.iso.date()).min(1) }).strict(),
      z.object({ type: z.literal('category'), values: z.array(z.object({ id: slug, ...localizedText.shape }).strict()).min(1) }).strict(),
    ]),
    series: z
      .array(
        z
          .object({ id: slug, name: localizedText, values: z.array(z.number().nullable()), illustrative: z.boolean().default(false) })
          .strict(),
      )
      .min(1),
    /** Marks on the x axis, e.g. the day a ban takes effect; `x` is one of the x values (a date or a category id). */
    annotations: z.array(z.object({ x: z.string().min(1), label: localizedText }).strict()).default([]),
    /** The history `npm run data` keeps, oldest first; hand edits leave no entry and `check:content` warns about them. */
    revisions: z.array(datasetRevisionSchema).default([]),
  })
  .strict()
  .superRefine((data, context) => {
    const xKeys: string[] = data.x.type === 'date' ? data.x.values : data.x.values.map((category) => category.id);
    const duplicateX = xKeys.find((key, index) => xKeys.indexOf(key) !== index);
    if (duplicateX) context.addIssue({ code: 'custom', path: ['x', 'values'], message: `x value "${duplicateX}" appears twice` });
    if (data.x.type === 'date' && xKeys.some((key, index) => index > 0 && key <= (xKeys[index - 1] ?? ''))) {
      context.addIssue({ code: 'custom', path: ['x', 'values'], message: 'dates must be in ascending order' });
    }
    const seriesIds = data.series.map((series) => series.id);
    data.series.forEach((series, index) => {
      if (seriesIds.indexOf(series.id) !== index) {
        context.addIssue({ code: 'custom', path: ['series', index, 'id'], message: `series id "${series.id}" appears twice` });
      }
      if (series.values.length !== xKeys.length) {
        context.addIssue({
          code: 'custom',
          path: ['series', index, 'values'],
          message: `series "${series.id}" has ${series.values.length} values but x has ${xKeys.length}; use null for a gap`,
        });
      }
      if (series.values.every((value) => value === null)) {
        context.addIssue({ code: 'custom', path: ['series', index, 'values'], message: `series "${series.id}" has no values` });
      }
    });
    data.annotations.forEach((annotation, index) => {
      if (!xKeys.includes(annotation.x)) {
        context.addIssue({
          code: 'custom',
          path: ['annotations', index, 'x'],
          message: `annotation x "${annotation.x}" is not one of the x values`,
        });
      }
    });
    data.revisions.forEach((revision, index) => {
      if (index > 0 && revision.date < (data.revisions[index - 1]?.date ?? '')) {
        context.addIssue({ code: 'custom', path: ['revisions', index, 'date'], message: 'revisions must be in date order, oldest first' });
      }
      if (!xKeys.includes(revision.x)) {
        context.addIssue({
          code: 'custom',
          path: ['revisions', index, 'x'],
          message: `revision x "${revision.x}" is not one of the x values`,
        });
      }
      for (const seriesId of Object.keys(revision.values)) {
        if (!seriesIds.includes(seriesId)) {
          context.addIssue({
            code: 'custom',
            path: ['revisions', index, 'values', seriesId],
            message: `revision names no series "${seriesId}"`,
          });
        }
      }
    });
  });

/** A dataset file as written, before defaults are filled in: what `npm run data` edits and writes back. */
export type DatasetInput = z.input<typeof datasetSchema>;

/** A dataset with the schema's defaults filled in: what the site draws. */
export type DatasetOutput = z.output<typeof datasetSchema>;
