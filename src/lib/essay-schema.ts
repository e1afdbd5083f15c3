import { z } from 'astro/zod';
import { localeKeys } from '../i18n/locales.ts';

/** The author an essay gets when its frontmatter names none. */
export const defaultAuthorId = 'observer';

/** A short content hash: `translation:mark` writes it, the build and `check:content` compare it. */
const revisionPattern = /^[0-9a-f]{7,64}$/;

/**
 * Field types that depend on who validates: the build passes Astro's `reference(…)` and
 * `image()`, the content checker passes stand-ins that know the ids from content/.
 */
export interface EssaySchemaFields<Author extends z.ZodType, Category extends z.ZodType, Tag extends z.ZodType, Image extends z.ZodType> {
  author: Author;
  category: Category;
  tag: Tag;
  image: Image;
}

/** The essay frontmatter schema, the one shape both the build and `npm run check:content` validate against. */
export function createEssaySchema<Author extends z.ZodType, Category extends z.ZodType, Tag extends z.ZodType, Image extends z.ZodType>(
  fields: EssaySchemaFields<Author, Category, Tag, Image>,
) {
  return z
    .object({
      title: z.string().trim().min(1),
      summary: z.string().trim().min(1),
      published: z.coerce.date(),
      updated: z.coerce.date().optional(),
      author: z.preprocess((value) => value ?? defaultAuthorId, fields.author),
      category: fields.category,
      tags: z.array(fields.tag).default([]),
      draft: z.boolean().default(false),
      cover: z.object({ src: fields.image, alt: z.string().trim().min(1, 'cover.alt is required: describe the image') }).optional(),
      originalUrl: z.url().optional(),
      originalSite: z.string().trim().min(1).optional(),
      /** Which revision of the other language this version was translated from (written by `npm run translation:mark`). */
      translatedFrom: z
        .object({
          lang: z.enum(localeKeys),
          // YAML reads an all-digit hash as a number, so the error says to quote it.
          revision: z
            .string({ error: 'revision must be a string: quote it, e.g. revision: "0123456789"' })
            .regex(revisionPattern, 'revision must be the short hash npm run translation:mark writes'),
        })
        .strict()
        .optional(),
    })
    .strict()
    .refine((data) => !data.updated || data.updated >= data.published, {
      message: 'updated must not be earlier than published',
      path: ['updated'],
    })
    .refine((data) => !data.originalSite || data.originalUrl, {
      message: 'originalSite needs originalUrl',
      path: ['originalUrl'],
    });
}
