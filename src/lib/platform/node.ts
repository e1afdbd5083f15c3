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
  // A refused body is cancelled at once: the 413 still goes out, and the connection is closed after it.
  bodyReading: { drainBytes: 0 },
};
