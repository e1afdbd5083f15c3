import { createTransport } from 'nodemailer';
import { migrate } from '../db/migrate.ts';
import { commentMigrations } from '../db/migrations.ts';
import { getProvidedServerDatabase } from '../db/server-database.ts';
import { createSqliteDriver } from '../db/sqlite.ts';
import { refusedBodyReadBytes } from '../node-server/refusal.ts';
import type { ServerPlatform } from './server-platform.ts';

/**
 * `npm start`: one Node process, comments in a SQLite file. The server process (scripts/serve.ts)
 * opens and migrates it before listening and hands it over; `astro dev` opens it on first use.
 */
export const serverPlatform: ServerPlatform = {
  name: 'node',
  async openDatabase(config) {
    const provided = getProvidedServerDatabase();
    if (provided) return provided;
    const driver = createSqliteDriver(config.databasePath);
    try {
      await migrate(driver, commentMigrations);
    } catch (error) {
      // The next request opens it again (a lock held elsewhere may be gone by then); this connection must not linger.
      await driver.close();
      throw error;
    }
    return driver;
  },
  async releaseDatabase(driver) {
    if (driver !== getProvidedServerDatabase()) await driver.close();
  },
  runAfterResponse(task) {
    setImmediate(() => void task().catch((error: unknown) => console.error('after the response:', error)));
  },
  hasBackgroundTimers: true,
  // A refused body is answered at once; up to 8 MB more are then read and dropped in the background
  // (never kept), so a client still sending reads the 413 rather than a reset, then the rest is cancelled.
  bodyReading: { drainBytes: 0, lingerBytes: refusedBodyReadBytes },
  createMailSender(smtpUrl) {
    const transport = createTransport(smtpUrl);
    return async ({ from, to, subject, text, headers }) => {
      await transport.sendMail({ from, to, subject, text, headers });
    };
  },
};
