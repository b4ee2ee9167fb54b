/**
 * Admin sessions in SQLite, for several hub processes sharing one data directory (node cluster): a login
 * answered by one worker is valid on the next request, whichever worker takes it. Same contract as the
 * in-memory store (src/admin/auth/sessions.ts): idle and absolute expiry, touch on get, at most
 * `maxSessions` (the least recently used dropped), fresh random id and CSRF token per session.
 *
 * The table keeps the SHA-256 of the session id, never the id: the id is the bearer credential (whoever
 * has it is logged in), and a copy of the database file (backup, misplaced data directory) must not hand
 * out live sessions. The id has 256 random bits, so an unsalted fast hash is enough (no dictionary to
 * try). The CSRF token is stored as is: the UI reads it back from GET /session, and it is useless without
 * the id.
 *
 * The caller opens the database (`openWalDatabase`) and owns it; tables are `admin_`-prefixed and created
 * IF NOT EXISTS, so the file can be shared with other stores. Writes are short: create() is one IMMEDIATE
 * transaction (sweep, bound, insert — two processes cannot both see room for one more), get() one
 * UPDATE … RETURNING that touches only a live session (no window between the check and the touch).
 * Measured (bench/admin-stores.ts, 2-core VM): get ~55 µs CPU, create at the 1000-session bound ~230 µs.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { resolveSessionOptions, sessionToken, type AdminSession, type SessionStore, type SessionStoreOptions } from '../../admin/auth/sessions.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admin_sessions (
  id_sha256 BLOB PRIMARY KEY,
  user TEXT NOT NULL,
  cpr TEXT,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  -- use order across processes (the in-memory store's Map order): larger = used more recently
  touch INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS admin_sessions_touch ON admin_sessions(touch);
`;

interface Row {
  user: string;
  cpr: string | null;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

const idHash = (id: string): Buffer => createHash('sha256').update(id).digest();

export function createSqliteSessionStore(db: Database.Database, options: SessionStoreOptions = {}): SessionStore {
  const { idleMs, maxAgeMs, maxSessions, now } = resolveSessionOptions(options);
  db.exec(SCHEMA);
  // "expired" is t - lastSeenAt > idleMs or t - createdAt > maxAgeMs, as in the in-memory store.
  const sweep = db.prepare('DELETE FROM admin_sessions WHERE last_seen_at < @t - @idleMs OR created_at < @t - @maxAgeMs');
  const count = db.prepare('SELECT count(*) FROM admin_sessions').pluck();
  const dropLeastRecent = db.prepare('DELETE FROM admin_sessions WHERE id_sha256 IN (SELECT id_sha256 FROM admin_sessions ORDER BY touch LIMIT ?)');
  const insert = db.prepare(
    `INSERT INTO admin_sessions (id_sha256, user, cpr, csrf_token, created_at, last_seen_at, touch)
     VALUES (@h, @user, @cpr, @csrf, @t, @t, (SELECT coalesce(max(touch), 0) + 1 FROM admin_sessions))`,
  );
  // touch only a live session; one statement, so no other process can slip in between check and update
  const touch = db.prepare(
    `UPDATE admin_sessions SET last_seen_at = @t, touch = (SELECT max(touch) + 1 FROM admin_sessions)
     WHERE id_sha256 = @h AND last_seen_at >= @t - @idleMs AND created_at >= @t - @maxAgeMs
     RETURNING user, cpr, csrf_token, created_at, last_seen_at`,
  );
  const remove = db.prepare('DELETE FROM admin_sessions WHERE id_sha256 = ?');

  const create = db.transaction((s: AdminSession) => {
    sweep.run({ t: s.createdAt, idleMs, maxAgeMs });
    const n = count.get() as number;
    if (n >= maxSessions) dropLeastRecent.run(n - maxSessions + 1);
    insert.run({ h: idHash(s.id), user: s.user, cpr: s.cpr ?? null, csrf: s.csrfToken, t: s.createdAt });
  });

  return {
    create(user, cpr) {
      const t = now();
      const s: AdminSession = { id: sessionToken(), user, cpr, csrfToken: sessionToken(), createdAt: t, lastSeenAt: t };
      create.immediate(s);
      return s;
    },
    get(id) {
      if (!id) return undefined;
      const h = idHash(id);
      const row = touch.get({ h, t: now(), idleMs, maxAgeMs }) as Row | undefined;
      if (!row) {
        remove.run(h); // unknown, or expired: the in-memory store forgets an expired session when asked too
        return undefined;
      }
      return { id, user: row.user, cpr: row.cpr ?? undefined, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt: row.last_seen_at };
    },
    destroy(id) {
      remove.run(idHash(id));
    },
    size: () => count.get() as number,
  };
}
