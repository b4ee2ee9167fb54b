/**
 * Contract suite of the admin login's LoginFailureStore port (src/admin/auth/login-guard.ts), run through
 * the guard that uses it: the in-memory counters and the SQLite ones (several hub processes) run it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginGuard, type LoginFailureStore, type LoginGuard, type LoginGuardOptions } from '../../src/admin/auth/login-guard.js';

export type LoginFailureStoreFactory = (options: { maxTracked?: number }) => { store: LoginFailureStore; cleanup(): void };

export function describeLoginFailureStoreContract(name: string, factory: LoginFailureStoreFactory): void {
  describe(`LoginFailureStore contract: ${name}`, () => {
    let cleanups: (() => void)[] = [];
    let now = 0;
    const open = (maxTracked?: number): LoginFailureStore => {
      const { store, cleanup } = factory({ maxTracked });
      cleanups.push(cleanup);
      return store;
    };
    const guard = (options: Omit<LoginGuardOptions, 'now' | 'failureDelayMs'> = {}, store = open()): LoginGuard =>
      createLoginGuard({ failureDelayMs: 0, ...options, now: () => now }, store);
    afterEach(() => {
      for (const c of cleanups) c();
      cleanups = [];
      now = 0;
    });

    it('locks a name after maxFailures, for lockMs, per name', async () => {
      const g = guard({ maxFailures: 3, lockMs: 1000, windowMs: 10_000 });
      for (let i = 0; i < 2; i++) await g.failed('a');
      expect(g.lockedFor('a')).toBe(0);
      await g.failed('a');
      expect(g.lockedFor('a')).toBe(1000);
      expect(g.lockedFor('b')).toBe(0);
      now = 400;
      expect(g.lockedFor('a')).toBe(600);
      now = 1000;
      expect(g.lockedFor('a')).toBe(0);
    });

    it('counts failures within windowMs only: an older window starts over', async () => {
      const g = guard({ maxFailures: 3, lockMs: 1000, windowMs: 100 });
      await g.failed('a');
      now = 100; // exactly windowMs after the first failure: same window
      await g.failed('a');
      now = 201; // the window opened at 0 is over
      await g.failed('a');
      await g.failed('a');
      expect(g.lockedFor('a')).toBe(0);
      await g.failed('a');
      expect(g.lockedFor('a')).toBe(1000);
    });

    it('a further failure after the lock has run out locks again while the window is open', async () => {
      const g = guard({ maxFailures: 2, lockMs: 10, windowMs: 1000 });
      await g.failed('a');
      await g.failed('a');
      now = 20;
      expect(g.lockedFor('a')).toBe(0);
      await g.failed('a');
      expect(g.lockedFor('a')).toBe(10);
    });

    it('a successful login clears the name', async () => {
      const g = guard({ maxFailures: 2 });
      await g.failed('a');
      g.succeeded('a');
      g.succeeded('never-failed');
      await g.failed('a');
      expect(g.lockedFor('a')).toBe(0);
      await g.failed('a');
      expect(g.lockedFor('a')).toBeGreaterThan(0);
    });

    it('tracks at most maxTracked names, dropping the name tracked longest', async () => {
      const store = open(2);
      const g = guard({ maxFailures: 2, lockMs: 1000 }, store);
      await g.failed('a');
      await g.failed('b');
      await g.failed('a'); // a is locked, and still the name tracked longest
      expect(g.lockedFor('a')).toBe(1000);
      await g.failed('c'); // drops a
      expect(g.lockedFor('a')).toBe(0);
      await g.failed('b');
      expect(g.lockedFor('b')).toBe(1000);
      g.succeeded('b');
      await g.failed('b'); // b comes back after c
      await g.failed('c');
      expect(g.lockedFor('c')).toBe(1000);
      await g.failed('d'); // drops c, the longest tracked, not b
      expect(g.lockedFor('c')).toBe(0);
      await g.failed('b');
      expect(g.lockedFor('b')).toBe(1000);
    });

    it('answers the lock time of the store directly, 0 for unknown names', () => {
      const store = open();
      const policy = { maxFailures: 1, windowMs: 100, lockMs: 50 };
      expect(store.lockedUntil('x')).toBe(0);
      store.recordFailure('x', 7, policy);
      expect(store.lockedUntil('x')).toBe(57);
      store.clear('x');
      expect(store.lockedUntil('x')).toBe(0);
    });

    it('waits the failure delay on each failure', async () => {
      const g = createLoginGuard({ failureDelayMs: 30 }, open());
      const t0 = performance.now();
      await g.failed('a');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    });

    it('refuses a maxTracked it cannot apply, and a bound that is not a positive integer', () => {
      expect(() => createLoginGuard({ maxTracked: 5 }, open())).toThrow(/give it to the store/);
      expect(() => open(0)).toThrow(RangeError);
    });
  });
}
