import { defineCollection, reference } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { datasetSchema } from './lib/charts/dataset-schema.ts';
import { createDatasetLoader } from './lib/datasets/dataset-collection-loader.ts';
import { localeKeys } from './i18n/locales.ts';
import { localized } from './i18n/localized-schema.ts';
import { createEssaySchema } from './lib/essay-schema.ts';

/** One MDX file per locale of the table in each essay's (or page's) folder: `<slug>/zh.mdx`. */
const localeFiles = `*/{${localeKeys.join(',')}}.mdx`;
const namedEntry = z.object({ id: z.string().regex(/^[a-z0-9-]+$/), ...localized().shape }).strict();

const essays = defineCollection({
  loader: glob({ pattern: localeFiles, base: './content/essays' }),
  schema: ({ image }) =>
    createEssaySchema({ author: reference('authors'), category: reference('categories'), tag: reference('tags'), image: image() }),
});

const authors = defineCollection({
  loader: glob({ pattern: '*.json', base: './content/authors' }),
  schema: z.object({ name: localized(), bio: localized(), url: z.url().optional() }).strict(),
});

const tags = defineCollection({
  loader: file('./content/tags.json'),
  schema: namedEntry,
});

const categories = defineCollection({
  loader: file('./content/categories.json'),
  schema: namedEntry,
});

const pages = defineCollection({
  loader: glob({ pattern: localeFiles, base: './content/pages' }),
  schema: z.object({ title: z.string().trim().min(1), summary: z.string().trim().min(1) }).strict(),
});

/** Chart data: one JSON file per dataset in content/data/, shared by both language versions of an essay. */
const datasets = defineCollection({ loader: createDatasetLoader(), schema: datasetSchema });

export const collections = { essays, authors, tags, categories, pages, datasets };
