import { commentMigrations } from '../comments/migrations.ts';
import { createSqliteDriver } from '../comments/sqlite.ts';
import { migrate } from '../comments/store.ts';
import type { ServerPlatform } from './server-platform.ts';

/** `npm start`: one Node process, comments in a SQLite file that it migrates itself on first use. */
export const serverPlatform: ServerPlatform = {
  name: 'node',
  async openDatabase(config) {
    const driver = createSqliteDriver(config.databasePath);
    await migrate(driver, commentMigrations);
    return driver;
  },
  runAfterResponse(task) {
    setImmediate(() => void task().catch((error: unknown) => console.error('after the response:', error)));
  },
  hasBackgroundTimers: true,
  // A refused body is answered at once; up to 8 MB more are then read and dropped in the background
  // (never kept), so a client still sending reads the 413 rather than a reset, then the rest is cancelled.
  bodyReading: { drainBytes: 0, lingerBytes: 8 * 1024 * 1024 },
};
