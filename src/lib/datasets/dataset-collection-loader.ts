import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader } from 'astro/loaders';
import { datasetDirectory, formatDatasetProblem, loadDatasets } from './dataset-files.ts';

/**
 * The `datasets` content collection, read by the same loader as `npm run check:content` and
 * `npm run data`: a dataset the check refuses stops the build with the same file:line messages.
 */
export function createDatasetLoader(): Loader {
  return {
    name: 'duizhao-datasets',
    load: async ({ config, store, parseData, generateDigest, watcher, logger }) => {
      const root = fileURLToPath(config.root);
      const sync = async () => {
        const datasets = loadDatasets(root);
        const problems = datasets.flatMap((loaded) =>
          loaded.isValid ? [] : loaded.problems.map((problem) => formatDatasetProblem(loaded.path, problem)),
        );
        if (problems.length > 0) throw new Error(`A chart dataset is invalid:\n${problems.join('\n')}`);
        const ids = new Set(datasets.map((loaded) => loaded.id));
        for (const id of store.keys()) if (!ids.has(id)) store.delete(id);
        for (const loaded of datasets) {
          if (!loaded.isValid) continue;
          const data = await parseData({ id: loaded.id, data: loaded.input, filePath: loaded.path });
          store.set({ id: loaded.id, data, digest: generateDigest(loaded.source), filePath: loaded.path });
        }
      };
      await sync();
      if (!watcher) return;
      // In `astro dev` an edit to a dataset reloads the collection; a broken file is logged and the last good data stays.
      const dataDir = join(root, datasetDirectory);
      watcher.add(dataDir);
      const onChange = (path: string) => {
        if (dirname(path) !== dataDir || !path.endsWith('.json')) return;
        sync().then(
          () => logger.info(`Reloaded ${datasetDirectory}`),
          (error: unknown) => logger.error(error instanceof Error ? error.message : String(error)),
        );
      };
      for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, onChange);
    },
  };
}
