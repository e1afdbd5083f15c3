import { env, waitUntil } from 'cloudflare:workers';
import { createD1Driver, type D1DatabaseLike } from '../db/d1.ts';
import { checkWranglerMigrations } from '../db/migrate.ts';
import { commentMigrations } from '../db/migrations.ts';
import type { ServerPlatform } from './server-platform.ts';

/** The D1 binding's name in the wrangler config. */
export const databaseBinding = 'DB';

function getDatabaseBinding(): D1DatabaseLike {
  const binding = (env as Record<string, unknown>)[databaseBinding] as D1DatabaseLike | undefined;
  if (!binding || typeof binding.prepare !== 'function') {
    throw new Error(`No D1 binding named ${databaseBinding}: declare it under d1_databases in scripts/cloudflare/wrangler.jsonc`);
  }
  return binding;
}

/** Cloudflare Workers + D1: isolates come and go, so every piece of state lives in D1. */
export const serverPlatform: ServerPlatform = {
  name: 'cloudflare',
  async openDatabase() {
    const driver = createD1Driver(getDatabaseBinding());
    await checkWranglerMigrations(driver, commentMigrations);
    return driver;
  },
  async releaseDatabase() {
    // A D1 binding holds no connection of ours to close.
  },
  runAfterResponse(task) {
    // The isolate may be frozen once the answer is sent; waitUntil keeps it alive for the task.
    waitUntil(task().catch((error: unknown) => console.error('after the response:', error)));
  },
  hasBackgroundTimers: false,
  // workerd's local proxy (npm run preview:cloudflare) breaks the next request on a connection whose
  // last body was left unread, so up to 1 MB of a refused body is read and dropped first (never kept).
  bodyReading: { drainBytes: 1024 * 1024 },
  // nodemailer needs Node's net and tls; the Worker build leaves it out, and with it every email (README, Email).
  createMailSender: undefined,
};
