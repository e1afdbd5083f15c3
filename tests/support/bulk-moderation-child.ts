/**
 * For the kill -9 test (tests/contract/moderation-kill.test.ts): runs bulk moderation against a
 * SQLite file until it is killed. `toggle` approves and rejects every comment in turn, round after
 * round; `delete` deletes every thread start (and with it every reply) once. It prints `ready` when
 * the database is open and `done <round>` after each committed action.
 */
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { createModerationStore } from '../../src/lib/moderation/store.ts';

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== 'toggle' && mode !== 'delete')) throw new Error('usage: bulk-moderation-child.ts <database> toggle|delete');
const driver = createSqliteDriver(path);
const store = createModerationStore(driver);
process.stdout.write('ready\n');

if (mode === 'delete') {
  const starts = await driver.all<{ id: string }>('SELECT id FROM comments WHERE parent_id IS NULL');
  await store.moderateComments(
    'killer-test',
    'delete',
    starts.map((row) => row.id),
    new Date(),
  );
  process.stdout.write('done 1\n');
} else {
  const ids = (await driver.all<{ id: string }>('SELECT id FROM comments')).map((row) => row.id);
  for (let round = 1; ; round += 1) {
    const current = await driver.get<{ status: string }>('SELECT status FROM comments LIMIT 1');
    await store.moderateComments('killer-test', current?.status === 'approved' ? 'reject' : 'approve', ids, new Date());
    process.stdout.write(`done ${round}\n`);
  }
}
