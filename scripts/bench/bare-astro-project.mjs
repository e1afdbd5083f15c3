// @ts-check
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localeKeys } from '../../src/i18n/locales.ts';

/**
 * The baseline the build benchmark compares duizhao with: Astro + MDX and nothing else,
 * one collection over the same essays, one route rendering each entry in a bare HTML shell.
 */

const files = {
  'package.json': `${JSON.stringify({ name: 'bench-bare-astro-mdx', private: true, type: 'module' }, null, 2)}\n`,
  'astro.config.mjs': `import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

export default defineConfig({
  output: 'static',
  integrations: [mdx()],
  vite: {
    build: {
      rolldownOptions: {
        // Same filter as duizhao's config: one warning per MDX file would make the baseline pay for printing them.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
`,
  'src/content.config.ts': `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const essays = defineCollection({
  loader: glob({ pattern: '*/{${localeKeys.join(',')}}.mdx', base: './content/essays' }),
  schema: z.looseObject({}),
});

export const collections = { essays };
`,
  'src/components/Callout.astro': `---
const { type = 'note' } = Astro.props;
---

<aside class={\`callout callout-\${type}\`}><slot /></aside>
`,
  'src/pages/[...id].astro': `---
import { getCollection, render } from 'astro:content';
import Callout from '../components/Callout.astro';

export async function getStaticPaths() {
  const essays = await getCollection('essays');
  return essays.map((entry) => ({ params: { id: entry.id }, props: { entry } }));
}

const { entry } = Astro.props;
const { Content } = await render(entry);
---

<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>{String(entry.data.title)}</title>
  </head>
  <body>
    <Content components={{ Callout }} />
  </body>
</html>
`,
};

/**
 * Writes the bare project into `root` (which must exist); essays go in `root/content/essays`.
 * @param {string} root
 */
export function createBareAstroProject(root) {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}
