import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { readEssayCatalog } from '../lib/essay-files.ts';

const moduleId = 'virtual:duizhao/essay-catalog';
const resolvedModuleId = `\0${moduleId}`;

/**
 * `virtual:duizhao/essay-catalog`: the published essays' slugs, titles and author names as a
 * module (authors from `authorsDir`, by default the `authors` folder beside the essays). The
 * on-demand routes import it instead of `astro:content`, which would put every essay's compiled
 * MDX in the server bundle and make the build compile all of them twice.
 */
export function essayCatalogModule(options: { essaysDir: string; authorsDir?: string }): Plugin {
  const findAuthorsDir = (root: string) =>
    options.authorsDir ? resolve(root, options.authorsDir) : join(dirname(resolve(root, options.essaysDir)), 'authors');
  let essaysDir = resolve(options.essaysDir);
  let authorsDir = findAuthorsDir('.');
  let isDev = false;
  return {
    name: 'duizhao:essay-catalog',
    configResolved(config) {
      essaysDir = resolve(config.root, options.essaysDir);
      authorsDir = findAuthorsDir(config.root);
      isDev = config.command === 'serve';
    },
    resolveId(id) {
      return id === moduleId ? resolvedModuleId : undefined;
    },
    load(id) {
      if (id !== resolvedModuleId) return undefined;
      return `export const essayCatalog = ${JSON.stringify(readEssayCatalog(essaysDir, { includeDrafts: isDev, authorsDir }))};`;
    },
    configureServer(server) {
      // While writing, a new essay, a changed title or a renamed author reaches the comments and moderation pages.
      const refresh = (file: string) => {
        const isEssay = file.startsWith(essaysDir) && file.endsWith('.mdx');
        const isAuthor = file.startsWith(authorsDir) && file.endsWith('.json');
        if (!isEssay && !isAuthor) return;
        for (const environment of Object.values(server.environments)) {
          const module = environment.moduleGraph.getModuleById(resolvedModuleId);
          if (module) environment.moduleGraph.invalidateModule(module);
        }
      };
      server.watcher.on('add', refresh).on('change', refresh).on('unlink', refresh);
    },
  };
}
