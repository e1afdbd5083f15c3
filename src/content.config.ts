import { defineCollection, reference } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';

const localized = z.object({ zh: z.string().min(1), en: z.string().min(1) });

const essays = defineCollection({
  loader: glob({ pattern: '*/{zh,en}.mdx', base: './content/essays' }),
  schema: ({ image }) =>
    z
      .object({
        title: z.string().trim().min(1),
        summary: z.string().trim().min(1),
        published: z.coerce.date(),
        updated: z.coerce.date().optional(),
        author: reference('authors').prefault('observer'),
        category: reference('categories'),
        tags: z.array(reference('tags')).default([]),
        draft: z.boolean().default(false),
        cover: z.object({ src: image(), alt: z.string().trim().min(1, 'cover.alt is required: describe the image') }).optional(),
        originalUrl: z.url().optional(),
        originalSite: z.string().trim().min(1).optional(),
      })
      .strict()
      .refine((data) => !data.updated || data.updated >= data.published, {
        message: 'updated must not be earlier than published',
        path: ['updated'],
      })
      .refine((data) => !data.originalSite || data.originalUrl, {
        message: 'originalSite needs originalUrl',
        path: ['originalUrl'],
      }),
});

const authors = defineCollection({
  loader: glob({ pattern: '*.json', base: './content/authors' }),
  schema: z.object({ name: localized, bio: localized, url: z.url().optional() }).strict(),
});

const tags = defineCollection({
  loader: file('./content/tags.json'),
  schema: z.object({ id: z.string().regex(/^[a-z0-9-]+$/), zh: z.string().min(1), en: z.string().min(1) }).strict(),
});

const categories = defineCollection({
  loader: file('./content/categories.json'),
  schema: z.object({ id: z.string().regex(/^[a-z0-9-]+$/), zh: z.string().min(1), en: z.string().min(1) }).strict(),
});

const pages = defineCollection({
  loader: glob({ pattern: '*/{zh,en}.mdx', base: './content/pages' }),
  schema: z.object({ title: z.string().trim().min(1), summary: z.string().trim().min(1) }).strict(),
});

export const collections = { essays, authors, tags, categories, pages };
