/**
 * The MinLog store port: where registrations end up (the hub's own MinLog, sqlite-minlog-store.ts; a remote
 * MinLog2 AddRegistrations client can implement the same port). `add` is idempotent by key, so a worker that
 * crashed after adding but before acknowledging its job can run again without registering twice.
 */
import type { MinLogRegistration, StoredRegistration } from './registration.js';

export interface MinLogStore {
  /** adds the registrations whose key is new; returns how many were new. */
  add(entries: { key: string; registration: MinLogRegistration }[]): Promise<{ added: number; duplicates: number }>;
  /** the citizen extract: registrations about this CPR whose time lies in [from, to), oldest first. */
  extract(citizenCpr: string, period?: { from?: string; to?: string }): Promise<StoredRegistration[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}
