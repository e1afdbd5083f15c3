import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CardNode } from './render-share-card.ts';

/** Set during `astro build` (by the share-card integration) to the path of card-worker.ts. */
export const cardWorkerVariable = 'DUIZHAO_SHARE_CARD_WORKER';

interface Job {
  resolve(png: Buffer): void;
  reject(error: Error): void;
  tree: CardNode;
}

/**
 * A build draws thousands of share cards, and laying out and rasterising one takes longer than
 * rendering a page. Given a worker script, cards are drawn on worker threads, one per core (the
 * build's own thread mostly waits for them meanwhile), each job going to the least busy worker.
 * Without a script (tests, dev), or once a worker fails, cards are drawn on this thread as before.
 */
export function createCardRenderPool(
  workerPath: string | undefined,
  renderHere: (tree: CardNode) => Promise<Buffer>,
  size = Math.min(4, availableParallelism()),
) {
  const workers: Array<{ worker: Worker; jobs: Map<number, Job> }> = [];
  let hasFailed = workerPath === undefined;
  let nextId = 0;

  function takeOver(reason: unknown) {
    if (hasFailed) return;
    hasFailed = true;
    process.emitWarning(`Share cards are drawn on the main thread: a card worker stopped (${String(reason)})`);
    for (const { worker, jobs } of workers.splice(0)) {
      void worker.terminate();
      for (const job of jobs.values()) renderHere(job.tree).then(job.resolve, job.reject);
      jobs.clear();
    }
  }

  function startWorker(path: string) {
    const entry = { worker: new Worker(path), jobs: new Map<number, Job>() };
    const { worker, jobs } = entry;
    worker.on('message', ({ id, png, error }: { id: number; png?: Uint8Array; error?: string }) => {
      const job = jobs.get(id);
      if (!job) return;
      jobs.delete(id);
      if (png) job.resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
      else job.reject(new Error(`The share card could not be drawn: ${error}`));
      // Idle, a worker must not keep the build's process alive.
      if (jobs.size === 0) worker.unref();
    });
    worker.on('error', takeOver);
    worker.on('exit', (code) => {
      if (jobs.size > 0) takeOver(`exit code ${code}`);
    });
    workers.push(entry);
    return entry;
  }

  function pickWorker(path: string) {
    if (workers.length < size) return startWorker(path);
    return workers.reduce((least, entry) => (entry.jobs.size < least.jobs.size ? entry : least));
  }

  return {
    render(tree: CardNode): Promise<Buffer> {
      if (hasFailed || workerPath === undefined) return renderHere(tree);
      const { worker, jobs } = pickWorker(workerPath);
      const id = (nextId += 1);
      return new Promise<Buffer>((resolve, reject) => {
        jobs.set(id, { resolve, reject, tree });
        worker.ref();
        worker.postMessage({ id, tree });
      });
    },
  };
}
