import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { readEssayCatalog } from '../lib/essay-files.ts';

const moduleId = 'virtual:duizhao/essay-catalog';
const resolvedModuleId = `\0${moduleId}`;

/**
 * `virtual:duizhao/essay-catalog`: the published essays' slugs and titles as a module. The
 * on-demand routes import it instead of `astro:content`, which would put every essay's compiled
 * MDX in the server bundle and make the build compile all of them twice.
 */
export function essayCatalogModule(options: { essaysDir: string }): Plugin {
  let essaysDir = resolve(options.essaysDir);
  let isDev = false;
  return {
    name: 'duizhao:essay-catalog',
    configResolved(config) {
      essaysDir = resolve(config.root, options.essaysDir);
      isDev = config.command === 'serve';
    },
    resolveId(id) {
      return id === moduleId ? resolvedModuleId : undefined;
    },
    load(id) {
      if (id !== resolvedModuleId) return undefined;
      return `export const essayCatalog = ${JSON.stringify(readEssayCatalog(essaysDir, { includeDrafts: isDev }))};`;
    },
    configureServer(server) {
      // While writing, a new essay or a changed title reaches the comments and moderation pages.
      const refresh = (file: string) => {
        if (!file.startsWith(essaysDir) || !file.endsWith('.mdx')) return;
        for (const environment of Object.values(server.environments)) {
          const module = environment.moduleGraph.getModuleById(resolvedModuleId);
          if (module) environment.moduleGraph.invalidateModule(module);
        }
      };
      server.watcher.on('add', refresh).on('change', refresh).on('unlink', refresh);
    },
  };
}
