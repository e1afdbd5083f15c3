import { defineCollection, reference } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { datasetSchema } from './lib/charts/dataset-schema.ts';
import { createDatasetLoader } from './lib/datasets/dataset-collection-loader.ts';
import { createEssaySchema } from './lib/essay-schema.ts';

const localized = z.object({ zh: z.string().min(1), en: z.string().min(1) });

const essays = defineCollection({
  loader: glob({ pattern: '*/{zh,en}.mdx', base: './content/essays' }),
  schema: ({ image }) =>
    createEssaySchema({ author: reference('authors'), category: reference('categories'), tag: reference('tags'), image: image() }),
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

/** Chart data: one JSON file per dataset in content/data/, shared by both language versions of an essay. */
const datasets = defineCollection({ loader: createDatasetLoader(), schema: datasetSchema });

export const collections = { essays, authors, tags, categories, pages, datasets };
