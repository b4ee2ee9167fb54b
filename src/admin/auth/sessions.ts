/**
 * Admin sessions: a random 256-bit id in an HttpOnly cookie, a synchronizer CSRF token per session (OWASP
 * CSRF Prevention Cheat Sheet, "Synchronizer Token Pattern"), an idle expiry and an absolute expiry. The
 * store is bounded: when full, the least recently used session is dropped, so a flood of logins cannot
 * exhaust memory.
 *
 * `SessionStore` is the port; `createSessionStore` here keeps sessions in process memory (they die with the
 * process: re-login after a restart). Several hub processes behind one port share
 * `createSqliteSessionStore` (src/storage/sqlite/admin-session-store.ts) instead, so a login made on one
 * worker is valid on the others.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface AdminSession {
  id: string;
  user: string;
  /** the admin's CPR when configured (MinLog registration of admin document reads). */
  cpr?: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionStoreOptions {
  /** idle timeout; default 30 minutes. */
  idleMs?: number;
  /** absolute lifetime; default 8 hours. */
  maxAgeMs?: number;
  /** most sessions kept; default 1000. */
  maxSessions?: number;
  now?: () => number;
}

/** The contract every adapter keeps (test/contract/admin-session-store.contract.ts). */
export interface SessionStore {
  create(user: string, cpr?: string): AdminSession;
  /** the live session for this id (touching it), or undefined when unknown or expired. */
  get(id: string | undefined): AdminSession | undefined;
  destroy(id: string): void;
  size(): number;
}

/** A fresh 256-bit random value, base64url: session ids and CSRF tokens. */
export function sessionToken(): string {
  return randomBytes(32).toString('base64url');
}
const token = sessionToken;

/** The options with their defaults, checked (every adapter reads them the same way). */
export function resolveSessionOptions(options: SessionStoreOptions): Required<SessionStoreOptions> {
  const r = {
    idleMs: options.idleMs ?? 30 * 60_000,
    maxAgeMs: options.maxAgeMs ?? 8 * 3600_000,
    maxSessions: options.maxSessions ?? 1000,
    now: options.now ?? Date.now,
  };
  for (const k of ['idleMs', 'maxAgeMs'] as const) {
    if (!(r[k] > 0)) throw new RangeError(`session store option ${k} must be a positive number of milliseconds, got ${String(r[k])}`);
  }
  if (!Number.isSafeInteger(r.maxSessions) || r.maxSessions < 1) throw new RangeError(`session store option maxSessions must be a positive integer, got ${String(r.maxSessions)}`);
  return r;
}

export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const { idleMs, maxAgeMs, maxSessions, now } = resolveSessionOptions(options);
  // Map iteration order is insertion order; get() re-inserts, so the first entry is the least recently used.
  const sessions = new Map<string, AdminSession>();
  const expired = (s: AdminSession, t: number) => t - s.lastSeenAt > idleMs || t - s.createdAt > maxAgeMs;
  const sweep = (t: number) => {
    for (const [id, s] of sessions) if (expired(s, t)) sessions.delete(id);
  };
  return {
    create(user, cpr) {
      const t = now();
      sweep(t);
      while (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value as string);
      const s: AdminSession = { id: token(), user, cpr, csrfToken: token(), createdAt: t, lastSeenAt: t };
      sessions.set(s.id, s);
      return s;
    },
    get(id) {
      if (!id) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      const t = now();
      sessions.delete(id);
      if (expired(s, t)) return undefined;
      s.lastSeenAt = t;
      sessions.set(id, s);
      return s;
    },
    destroy(id) {
      sessions.delete(id);
    },
    size: () => sessions.size,
  };
}

/** Constant-time CSRF token comparison. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
