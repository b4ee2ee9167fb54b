/**
 * The admin login's failure counters in SQLite, shared by several hub processes (node cluster): the
 * lockout (OWASP Authentication Cheat Sheet, "Account lockout"; policy in src/admin/auth/login-guard.ts)
 * counts every failure whichever worker saw it, so spreading guesses over the workers gains nothing.
 *
 * Each failure is one IMMEDIATE transaction (read the counter, apply `nextFailureCounter`, write it): two
 * processes counting the same name at once are serialised by SQLite's write lock, so no failure is lost.
 * At most `maxTracked` names are kept; a new name beyond that drops the name tracked longest (the in-memory
 * store's rule). The caller opens and owns the database (`openWalDatabase`); the table is created IF NOT EXISTS.
 */
import type Database from 'better-sqlite3';
import { checkMaxTracked, nextFailureCounter, type LoginFailureCounter, type LoginFailurePolicy, type LoginFailureStore } from '../../admin/auth/login-guard.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admin_login_failures (
  -- tracking order: a name cleared and failing again comes last, as in the in-memory store's Map
  seq INTEGER PRIMARY KEY,
  user TEXT NOT NULL UNIQUE,
  failures INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  locked_until INTEGER NOT NULL
);
`;

export interface SqliteLoginFailureStoreOptions {
  /** most names tracked; default 10 000. */
  maxTracked?: number;
}

export function createSqliteLoginFailureStore(db: Database.Database, options: SqliteLoginFailureStoreOptions = {}): LoginFailureStore {
  const maxTracked = checkMaxTracked(options.maxTracked ?? 10_000);
  db.exec(SCHEMA);
  const lockedUntil = db.prepare('SELECT locked_until FROM admin_login_failures WHERE user = ?').pluck();
  const read = db.prepare('SELECT failures, first_at AS firstAt, locked_until AS lockedUntil FROM admin_login_failures WHERE user = ?');
  const count = db.prepare('SELECT count(*) FROM admin_login_failures').pluck();
  const dropOldest = db.prepare('DELETE FROM admin_login_failures WHERE seq IN (SELECT seq FROM admin_login_failures ORDER BY seq LIMIT ?)');
  const write = db.prepare(
    `INSERT INTO admin_login_failures (user, failures, first_at, locked_until) VALUES (@user, @failures, @firstAt, @lockedUntil)
     ON CONFLICT (user) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until`,
  );
  const remove = db.prepare('DELETE FROM admin_login_failures WHERE user = ?');

  const recordFailure = db.transaction((user: string, t: number, policy: LoginFailurePolicy) => {
    const c = read.get(user) as LoginFailureCounter | undefined;
    if (!c) {
      const n = count.get() as number;
      if (n >= maxTracked) dropOldest.run(n - maxTracked + 1);
    }
    write.run({ user, ...nextFailureCounter(c, t, policy) });
  });

  return {
    lockedUntil: (user) => (lockedUntil.get(user) as number | undefined) ?? 0,
    recordFailure: (user, t, policy) => recordFailure.immediate(user, t, policy),
    clear(user) {
      remove.run(user);
    },
  };
}
