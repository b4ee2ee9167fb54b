/**
 * In-memory admin sessions: a random 256-bit id in an HttpOnly cookie, a synchronizer CSRF token per
 * session (OWASP CSRF Prevention Cheat Sheet, "Synchronizer Token Pattern"), an idle expiry and an
 * absolute expiry. The store is bounded: when full, the session closest to expiry is dropped, so a flood
 * of logins cannot exhaust memory. Sessions die with the process (re-login after a restart).
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

export interface SessionStore {
  create(user: string, cpr?: string): AdminSession;
  /** the live session for this id (touching it), or undefined when unknown or expired. */
  get(id: string | undefined): AdminSession | undefined;
  destroy(id: string): void;
  size(): number;
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const idleMs = options.idleMs ?? 30 * 60_000;
  const maxAgeMs = options.maxAgeMs ?? 8 * 3600_000;
  const maxSessions = options.maxSessions ?? 1000;
  const now = options.now ?? Date.now;
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
