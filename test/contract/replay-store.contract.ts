/**
 * Contract suite of the ReplayStore port (src/security/replay-store.ts): every adapter runs it.
 * The factory builds a fresh, empty store on the given fake clock and bound, and says by how much the
 * adapter may exceed that bound between purges (`slack`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayStore } from '../../src/security/replay-store.js';

export type ReplayStoreFactory = (options: { clock: () => number; maxEntries: number }) => {
  store: ReplayStore;
  /** entries the store may hold beyond maxEntries (0: never; n: purges after every n inserts). */
  slack: number;
  cleanup(): void;
};

export function describeReplayStoreContract(name: string, factory: ReplayStoreFactory): void {
  describe(`ReplayStore contract: ${name}`, () => {
    let now = 0;
    const clock = () => now;
    const cleanups: (() => void)[] = [];
    const open = (maxEntries = 1_000) => {
      now = 1_000_000;
      const made = factory({ clock, maxEntries });
      cleanups.push(made.cleanup);
      return made;
    };
    afterEach(() => {
      for (const c of cleanups.splice(0)) c();
    });

    it('a key is new the first time and a replay the second; other keys are independent', () => {
      const { store } = open();
      expect(store.remember('dgws:sts:card-1\u0000msg-1', now + 60_000)).toBe(true);
      expect(store.remember('dgws:sts:card-1\u0000msg-1', now + 60_000)).toBe(false);
      expect(store.remember('dgws:sts:card-1\u0000msg-2', now + 60_000)).toBe(true);
      expect(store.remember('dgws:sts:card-2\u0000msg-1', now + 60_000)).toBe(true);
      expect(store.size()).toBe(3);
    });

    it('a replay does not extend the first expiry; after it the key is new again and remembered anew', () => {
      const { store } = open();
      const t0 = now;
      expect(store.remember('k', t0 + 100)).toBe(true);
      now = t0 + 99;
      expect(store.remember('k', t0 + 10_000)).toBe(false);
      now = t0 + 100; // expiresAt is exclusive, as the token's NotOnOrAfter
      expect(store.remember('k', t0 + 200)).toBe(true);
      now = t0 + 150;
      expect(store.remember('k', t0 + 300)).toBe(false);
      now = t0 + 200;
      expect(store.remember('k', t0 + 300)).toBe(true);
    });

    it('an entry already expired at insert time is not stored', () => {
      const { store } = open();
      expect(store.remember('past', now - 1)).toBe(true);
      expect(store.remember('past', now)).toBe(true);
      expect(store.size()).toBe(0);
      expect(store.remember('past', now + 50)).toBe(true); // so not a replay of the unstored ones
      expect(store.remember('past', now + 50)).toBe(false);
    });

    it('a live entry is still a replay when asked with an already expired time', () => {
      const { store } = open();
      expect(store.remember('k', now + 1_000)).toBe(true);
      expect(store.remember('k', now - 1)).toBe(false);
      expect(store.size()).toBe(1);
    });

    it('keeps its size bounded under a flood of distinct keys, and keeps the newest', () => {
      const maxEntries = 50;
      const { store, slack } = open(maxEntries);
      for (let i = 0; i < 20 * maxEntries; i++) {
        expect(store.remember(`flood-${i}`, now + 60_000 + i)).toBe(true);
        expect(store.size()).toBeLessThanOrEqual(maxEntries + slack);
      }
      expect(store.size()).toBeGreaterThan(0);
      expect(store.remember(`flood-${20 * maxEntries - 1}`, now + 120_000)).toBe(false);
    });

    it('refuses an expiry that is not a finite number (NaN would never expire)', () => {
      const { store } = open();
      expect(() => store.remember('k', Number.NaN)).toThrow(RangeError);
      expect(() => store.remember('k', Number.POSITIVE_INFINITY)).toThrow(/finite/);
      expect(store.size()).toBe(0);
    });
  });
}
