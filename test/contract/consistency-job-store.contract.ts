/**
 * Contract suite of the ConsistencyJobStore port (src/admin/api/consistency-job-store.ts): every adapter
 * runs it. The factory builds a fresh, empty store keeping at most `maxJobs` jobs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsistencyJob } from '../../src/admin/api/consistency-check.js';
import type { ConsistencyJobStore } from '../../src/admin/api/consistency-job-store.js';

export type ConsistencyJobStoreFactory = (maxJobs: number) => { store: ConsistencyJobStore; cleanup(): void };

export function job(id: string, state: ConsistencyJob['state'] = 'running'): ConsistencyJob {
  return {
    id,
    state,
    startedAt: '2026-11-28T10:00:00.000Z',
    startedBy: 'admin',
    phase: state === 'running' ? 'checking entries' : 'done',
    progress: { done: 1, total: 3 },
    summary: { entries: 2, storedObjects: 2, missingBytes: 1, sizeMismatch: 0, hashMismatch: 0, orphanBytes: 0 },
    findings: [{ kind: 'missingBytes', uniqueId: '1.2.3', entryUuid: 'urn:uuid:x', patientId: 'p^^^&1.2&ISO' }],
  };
}

export function describeConsistencyJobStoreContract(name: string, factory: ConsistencyJobStoreFactory): void {
  describe(`ConsistencyJobStore contract: ${name}`, () => {
    const cleanups: (() => void)[] = [];
    const open = (maxJobs = 20) => {
      const made = factory(maxJobs);
      cleanups.push(made.cleanup);
      return made.store;
    };
    afterEach(() => {
      for (const c of cleanups.splice(0)) c();
    });

    it('returns a saved job as saved, with the process running it; unknown ids are undefined', () => {
      const store = open();
      store.save(job('a'), 4242);
      expect(store.get('a')).toEqual({ job: job('a'), pid: 4242 });
      expect(store.get('nope')).toBeUndefined();
    });

    it('a later save replaces the job (progress, state) and keeps its place in the list', () => {
      const store = open();
      store.save(job('a'), 1);
      store.save(job('b'), 1);
      const done = { ...job('a', 'done'), progress: { done: 3, total: 3 }, finishedAt: '2026-11-28T10:01:00.000Z' };
      store.save(done, 1);
      expect(store.get('a')!.job).toEqual(done);
      expect(store.list().map((s) => s.job.id)).toEqual(['b', 'a']);
    });

    it('what a caller does to a returned job does not change the stored one', () => {
      const store = open();
      store.save(job('a'), 1);
      store.get('a')!.job.findings.length = 0;
      expect(store.get('a')!.job.findings).toHaveLength(1);
    });

    it('lists newest first', () => {
      const store = open();
      for (const id of ['a', 'b', 'c']) store.save(job(id), 1);
      expect(store.list().map((s) => s.job.id)).toEqual(['c', 'b', 'a']);
    });

    it('keeps at most maxJobs by dropping the oldest finished jobs, never a running one', () => {
      const store = open(3);
      store.save(job('run1'), 1);
      store.save(job('done1', 'done'), 1);
      store.save(job('failed1', 'failed'), 1);
      store.save(job('run2'), 1);
      expect(store.list().map((s) => s.job.id)).toEqual(['run2', 'failed1', 'run1']);
      store.save(job('run3'), 1);
      expect(store.list().map((s) => s.job.id)).toEqual(['run3', 'run2', 'run1']);
      // all running: the bound gives way rather than lose a job someone is polling
      store.save(job('run4'), 1);
      expect(store.list()).toHaveLength(4);
    });
  });
}
