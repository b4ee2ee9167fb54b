/**
 * Contract suite of the admin activity log's ActivityStore port (src/admin/activity-log.ts): the in-memory
 * ring and the SQLite one (several hub processes) run it, directly and behind createActivityLog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createActivityLog, type ActivityEntry, type ActivityStore } from '../../src/admin/activity-log.js';
import { createLogger } from '../../src/util/logger.js';

export type ActivityStoreFactory = (options: { capacity?: number }) => { store: ActivityStore; cleanup(): void };

const entry = (n: number, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
  time: `2026-11-28T08:00:${String(n).padStart(2, '0')}.000Z`,
  requestId: `r${n}`,
  transaction: 'ITI-18',
  outcome: 'Success',
  errorCodes: [],
  ...extra,
});

export function describeActivityStoreContract(name: string, factory: ActivityStoreFactory): void {
  describe(`ActivityStore contract: ${name}`, () => {
    let cleanups: (() => void)[] = [];
    const open = (capacity?: number): ActivityStore => {
      const { store, cleanup } = factory({ capacity });
      cleanups.push(cleanup);
      return store;
    };
    afterEach(() => {
      for (const c of cleanups) c();
      cleanups = [];
    });

    it('returns entries unchanged, newest first, at most limit', () => {
      const store = open(10);
      expect(store.recent(5)).toEqual([]);
      const full: ActivityEntry = {
        time: '2026-11-28T08:00:00.000Z',
        requestId: 'r0',
        endpoint: 'registry',
        path: '/xds/registry',
        transaction: 'ITI-18',
        httpStatus: 200,
        outcome: 'PartialSuccess',
        caller: 'Læge Hansen (sor:123)',
        errorCodes: ['XDSResultNotSinglePatient'],
        ms: 12.5,
      };
      store.add(full);
      for (let n = 1; n <= 3; n++) store.add(entry(n));
      expect(store.recent(10)).toEqual([entry(3), entry(2), entry(1), full]);
      expect(store.recent(2).map((e) => e.requestId)).toEqual(['r3', 'r2']);
      expect(store.recent(0)).toEqual([]);
    });

    it('keeps only the newest capacity entries', () => {
      const store = open(3);
      for (let n = 1; n <= 7; n++) store.add(entry(n));
      expect(store.recent(100).map((e) => e.requestId)).toEqual(['r7', 'r6', 'r5']);
      store.add(entry(8));
      expect(store.recent(100).map((e) => e.requestId)).toEqual(['r8', 'r7', 'r6']);
    });

    it('counts error codes with the last time and transaction; highest count first, ties in first-seen order', () => {
      const store = open(2);
      store.add(entry(1, { errorCodes: ['B'] }));
      store.add(entry(2, { errorCodes: ['A', 'A'], transaction: 'ITI-41' }));
      store.add(entry(3, { errorCodes: ['C'] }));
      store.add(entry(4, { errorCodes: ['B'], transaction: undefined }));
      store.add(entry(5, { errorCodes: ['D'] }));
      // the counts outlive the entries that fell out of the ring
      expect(store.errorsByCode()).toEqual([
        { code: 'B', count: 2, lastSeen: entry(4).time, lastTransaction: undefined },
        { code: 'A', count: 2, lastSeen: entry(2).time, lastTransaction: 'ITI-41' },
        { code: 'C', count: 1, lastSeen: entry(3).time, lastTransaction: 'ITI-18' },
        { code: 'D', count: 1, lastSeen: entry(5).time, lastTransaction: 'ITI-18' },
      ]);
    });

    it('refuses a capacity that is not a positive integer', () => {
      expect(() => open(0)).toThrow(RangeError);
      expect(() => open(2.5)).toThrow(/positive integer/);
    });

    it('backs createActivityLog: the logger feed, the audit caller, direct records', () => {
      const lines: string[] = [];
      const a = createActivityLog({ store: open(3) });
      const log = a.logger(createLogger('info', (l) => lines.push(l)));
      log.info('audit', { audit: { requestId: 'r1', user: 'Dr. Who', outcome: 'success' } });
      log.info('soap request', { requestId: 'r1', transaction: 'ITI-43', status: 200, path: '/xds/repository', ms: 5 });
      for (let i = 2; i <= 4; i++) log.info('soap request', { requestId: `r${i}`, transaction: 'ITI-18', status: 500, path: '/xds/registry', errorCodes: ['SOAP:s:Receiver'] });
      expect(lines).toHaveLength(5); // the inner logger still gets everything
      expect(a.recent().map((e) => e.requestId)).toEqual(['r4', 'r3', 'r2']);
      expect(a.recent()[2]).toMatchObject({ transaction: 'ITI-18', httpStatus: 500, outcome: 'Fault', path: '/xds/registry', errorCodes: ['SOAP:s:Receiver'] });
      a.record({ time: 't', outcome: 'Failure', errorCodes: ['XDSRegistryError', 'XDSRegistryError'] });
      expect(a.recent(1)).toEqual([{ time: 't', outcome: 'Failure', errorCodes: ['XDSRegistryError', 'XDSRegistryError'] }]);
      expect(a.errorsByCode().map((e) => [e.code, e.count])).toEqual([
        ['SOAP:s:Receiver', 3],
        ['XDSRegistryError', 2],
      ]);
      const b = createActivityLog({ store: open() });
      b.logger(createLogger('silent')).info('audit', { audit: { requestId: 'x', user: 'Dr. Who', outcome: 'partial' } });
      b.logger(createLogger('silent')).info('soap request', { requestId: 'x', transaction: 'ITI-43', status: 200 });
      expect(b.recent()[0]).toMatchObject({ caller: 'Dr. Who', outcome: 'partial' });
      expect(() => b.recent(-1)).toThrow(RangeError);
      expect(() => createActivityLog({ store: open(), capacity: 5 })).toThrow(/give it to the store/);
    });
  });
}
