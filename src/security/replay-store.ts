/**
 * Port of the MessageID replay detection (dk-nsp.md §1.4: a DGWS medcom:Header/Linking/MessageID, or an
 * IDWS wsa:MessageID, is accepted once per token within the token's validity window). The security stack
 * calls `remember` once per authenticated request; the composition root chooses the adapter:
 * - createMemoryReplayStore: one process (the default), a bounded ExpiringLru;
 * - createSqliteReplayStore (src/storage/sqlite/replay-store.ts): several worker processes sharing one
 *   data directory, so a message replayed to another worker is still refused.
 * Synchronous on purpose: the stack's checks run in one synchronous pass (authenticateSync).
 */
import { ExpiringLru } from './expiring-lru.js';

export interface ReplayStore {
  /**
   * true when `key` was not seen (or its earlier entry has expired) and is now remembered until
   * `expiresAt` (ms since the epoch); false when it is a replay. An `expiresAt` already in the past is
   * not stored (nothing can be replayed after it) but still answers false for a key that is remembered.
   * Check and insert are one atomic step, also across processes for a shared adapter.
   */
  remember(key: string, expiresAt: number): boolean;
  /** Entries held (diagnostics: SecurityStack.stats().replayEntries); may include expired ones not yet purged. */
  size(): number;
  /** Releases what the adapter itself owns (never a database handed to it). */
  close?(): void;
}

/** Default bound of the in-process store (the stack's bound before the port existed). */
export const DEFAULT_REPLAY_MAX_ENTRIES = 200_000;

/**
 * In-process replay store: beyond `maxEntries` the least recently used entry is forgotten, so memory is
 * bounded under a flood of distinct MessageIDs (at the price of forgetting the oldest ones).
 */
export function createMemoryReplayStore(maxEntries: number = DEFAULT_REPLAY_MAX_ENTRIES, clock: () => number = Date.now): ReplayStore {
  const lru = new ExpiringLru<true>(maxEntries, clock);
  return {
    remember(key, expiresAt) {
      checkExpiresAt(expiresAt);
      if (lru.has(key)) return false;
      lru.set(key, true, expiresAt);
      return true;
    },
    size: () => lru.size,
  };
}

/** A NaN expiry would never expire (every comparison with it is false): refuse it instead of keeping it. */
export function checkExpiresAt(expiresAt: number): void {
  if (!Number.isFinite(expiresAt)) throw new RangeError(`replay store: expiresAt must be a finite ms epoch, got ${expiresAt}`);
}
