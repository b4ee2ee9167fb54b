/**
 * Contract suite of the admin SessionStore port (src/admin/auth/sessions.ts): the in-memory store and the
 * SQLite one (several hub processes) run it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { csrfMatches, type SessionStore, type SessionStoreOptions } from '../../src/admin/auth/sessions.js';

export type SessionStoreFactory = (options: SessionStoreOptions) => { store: SessionStore; cleanup(): void };

export function describeSessionStoreContract(name: string, factory: SessionStoreFactory): void {
  describe(`SessionStore contract: ${name}`, () => {
    let cleanups: (() => void)[] = [];
    let now = 0;
    const open = (options: Omit<SessionStoreOptions, 'now'> = {}): SessionStore => {
      const { store, cleanup } = factory({ ...options, now: () => now });
      cleanups.push(cleanup);
      return store;
    };
    afterEach(() => {
      for (const c of cleanups) c();
      cleanups = [];
      now = 0;
    });

    it('creates a session with a fresh 256-bit id and CSRF token and finds it again by id', () => {
      const store = open();
      now = 1000;
      const a = store.create('alice', '0101701234');
      const b = store.create('bob');
      expect(a).toEqual({ id: a.id, user: 'alice', cpr: '0101701234', csrfToken: a.csrfToken, createdAt: 1000, lastSeenAt: 1000 });
      expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Set([a.id, a.csrfToken, b.id, b.csrfToken]).size).toBe(4);
      now = 1500;
      expect(store.get(a.id)).toEqual({ ...a, lastSeenAt: 1500 });
      expect(store.get(b.id)).toMatchObject({ user: 'bob', cpr: undefined, createdAt: 1000, lastSeenAt: 1500 });
      expect(csrfMatches(store.get(a.id)!.csrfToken, a.csrfToken)).toBe(true);
      expect(store.size()).toBe(2);
    });

    it('knows no session for a missing, empty or unknown id', () => {
      const store = open();
      const a = store.create('alice');
      expect(store.get(undefined)).toBeUndefined();
      expect(store.get('')).toBeUndefined();
      expect(store.get(`${a.id}x`)).toBeUndefined();
      expect(store.get(a.csrfToken)).toBeUndefined();
      expect(store.size()).toBe(1);
    });

    it('expires a session idle longer than idleMs; each get restarts the idle time', () => {
      const store = open({ idleMs: 100, maxAgeMs: 10_000 });
      const s = store.create('a');
      now = 100; // exactly idleMs: still live
      expect(store.get(s.id)?.user).toBe('a');
      now = 200;
      expect(store.get(s.id)?.lastSeenAt).toBe(200);
      now = 301;
      expect(store.get(s.id)).toBeUndefined();
      expect(store.size()).toBe(0); // an expired session is forgotten when asked for
      now = 302;
      expect(store.get(s.id)).toBeUndefined();
    });

    it('expires a session at its absolute age however active it is', () => {
      const store = open({ idleMs: 100, maxAgeMs: 250 });
      const s = store.create('a');
      for (now = 90; now <= 250; now += 80) expect(store.get(s.id)?.user).toBe('a');
      now = 251;
      expect(store.get(s.id)).toBeUndefined();
    });

    it('destroys a session (logout, new login)', () => {
      const store = open();
      const a = store.create('a');
      const b = store.create('b');
      store.destroy(a.id);
      store.destroy('no-such-session');
      expect(store.get(a.id)).toBeUndefined();
      expect(store.get(b.id)?.user).toBe('b');
      expect(store.size()).toBe(1);
    });

    it('drops expired sessions when a new one is created', () => {
      const store = open({ idleMs: 100, maxAgeMs: 10_000 });
      store.create('a');
      store.create('b');
      now = 50;
      const c = store.create('c');
      expect(store.size()).toBe(3);
      now = 120;
      expect(store.get(c.id)?.user).toBe('c');
      expect(store.size()).toBe(3); // a and b are expired but still counted until the next create
      store.create('d');
      expect(store.size()).toBe(2);
    });

    it('keeps at most maxSessions, dropping the least recently used (also within one millisecond)', () => {
      const store = open({ maxSessions: 3 });
      const [a, b, c] = ['a', 'b', 'c'].map((u) => store.create(u));
      expect(store.get(a.id)?.user).toBe('a'); // a is now more recent than b and c
      const d = store.create('d');
      expect(store.size()).toBe(3);
      expect(store.get(b.id)).toBeUndefined();
      expect(store.get(c.id)?.user).toBe('c');
      const e = store.create('e'); // a is the least recent now
      expect(store.get(a.id)).toBeUndefined();
      expect([c, d, e].map((s) => store.get(s.id)?.user)).toEqual(['c', 'd', 'e']);
    });

    it('keeps the original sequence: idle, absolute, bounded', () => {
      const store = open({ idleMs: 100, maxAgeMs: 250, maxSessions: 3 });
      const s = store.create('a');
      now = 90;
      expect(store.get(s.id)?.user).toBe('a');
      now = 180;
      expect(store.get(s.id)?.user).toBe('a');
      now = 260;
      expect(store.get(s.id)).toBeUndefined();
      const idle = store.create('b');
      now = 361;
      expect(store.get(idle.id)).toBeUndefined();
      const ids = [1, 2, 3, 4].map((i) => store.create(`u${i}`).id);
      expect(store.size()).toBe(3);
      expect(store.get(ids[0])).toBeUndefined();
      expect(store.get(ids[3])?.user).toBe('u4');
    });

    it('refuses nonsensical options with a RangeError', () => {
      expect(() => open({ idleMs: 0 })).toThrow(RangeError);
      expect(() => open({ maxAgeMs: Number.NaN })).toThrow(/maxAgeMs/);
      expect(() => open({ maxSessions: 1.5 })).toThrow(/maxSessions must be a positive integer/);
    });
  });
}
