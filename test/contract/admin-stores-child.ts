/**
 * A second hub process for test/contract/sqlite-admin-stores.test.ts: opens the shared file with its own
 * connection and writes to the admin stores in a loop, at the same time as its siblings.
 *   node --import tsx admin-stores-child.ts <file> <failures|activity> <count> <tag>
 */
import { createLoginGuard } from '../../src/admin/auth/login-guard.js';
import { createSqliteActivityStore } from '../../src/storage/sqlite/activity-log-store.js';
import { createSqliteLoginFailureStore } from '../../src/storage/sqlite/admin-login-guard-store.js';
import { openWalDatabase } from '../../src/storage/sqlite/wal-database.js';

const [file, mode, countArg, tag] = process.argv.slice(2);
const count = Number(countArg);
if (!file || !tag || !Number.isSafeInteger(count) || (mode !== 'failures' && mode !== 'activity')) {
  throw new Error('usage: admin-stores-child.ts <file> <failures|activity> <count> <tag>');
}
const db = openWalDatabase(file);
if (mode === 'failures') {
  // a policy that never locks, so the final count tells whether any failure was lost
  const guard = createLoginGuard({ maxFailures: 1_000_000, failureDelayMs: 0 }, createSqliteLoginFailureStore(db));
  for (let i = 0; i < count; i++) await guard.failed('shared-user');
} else {
  const store = createSqliteActivityStore(db, { capacity: 50 });
  // a few entries per event-loop turn, as requests finishing together would record them
  for (let i = 0; i < count; i++) {
    store.add({ time: new Date().toISOString(), requestId: `${tag}-${i}`, outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    if (i % 3 === 2) await new Promise((r) => setImmediate(r));
  }
  store.flush();
}
db.close();
