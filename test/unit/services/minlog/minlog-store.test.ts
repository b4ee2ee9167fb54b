import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minLogJobHandler } from '../../../../src/services/minlog/minlog-worker.js';
import type { MinLogRegistration } from '../../../../src/services/minlog/registration.js';
import { SqliteMinLogStore } from '../../../../src/services/minlog/sqlite-minlog-store.js';

const reg = (cpr: string, dateTime: string): MinLogRegistration => ({
  systemName: 'DDS',
  activity: 'Opslag',
  dateTime,
  citizen: { id: cpr, source: 'CPR' },
  user: { id: '1111111118', source: 'CPR' },
});

describe('SQLite MinLog store and worker', () => {
  let store: SqliteMinLogStore;
  beforeEach(() => {
    store = new SqliteMinLogStore(':memory:');
  });
  afterEach(() => store.close());

  it('adds by idempotency key and extracts by CPR and period', async () => {
    expect(await store.add([{ key: 'a', registration: reg('0101801234', '2026-11-01T10:00:00Z') }, { key: 'b', registration: reg('0101801234', '2026-11-20T10:00:00+01:00') }])).toEqual({ added: 2, duplicates: 0 });
    expect(await store.add([{ key: 'a', registration: reg('0101801234', '2026-11-01T10:00:00Z') }, { key: 'c', registration: reg('0202801234', '2026-11-02T10:00:00Z') }])).toEqual({ added: 1, duplicates: 1 });
    expect(await store.count()).toBe(3);
    expect((await store.extract('0101801234')).map((r) => r.key)).toEqual(['a', 'b']);
    expect((await store.extract('0101801234', { from: '2026-11-10T00:00:00Z' })).map((r) => r.key)).toEqual(['b']);
    expect((await store.extract('0101801234', { to: '2026-11-20T09:00:00Z' })).map((r) => r.key)).toEqual(['a']);
  });

  it('the worker rejects an invalid registration (dead letter) and adds a valid one once', async () => {
    const handle = minLogJobHandler(store);
    const job = (payload: MinLogRegistration) => ({ id: '1', queue: 'minlog.registration', key: 'k', attempts: 1, payload });
    await expect(handle(job({ ...reg('0101801234', '2026-11-01T10:00:00Z'), activity: '' }))).rejects.toThrow('Activity is required');
    await handle(job(reg('0101801234', '2026-11-01T10:00:00Z')));
    await handle(job(reg('0101801234', '2026-11-01T10:00:00Z')));
    expect(await store.count()).toBe(1);
  });
});
