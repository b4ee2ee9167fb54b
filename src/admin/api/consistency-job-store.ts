/**
 * Where consistency-check jobs (consistency-check.ts) are kept between the POST that starts one and the GETs
 * that poll it. In one process a bounded map; in a cluster (src/cluster/) the poll may reach another HTTP
 * worker than the one running the job, so the jobs live in cluster-state.db
 * (src/storage/sqlite/consistency-job-store.ts). Only the process that started a job writes it.
 */
import type { ConsistencyJob } from './consistency-check.js';

export interface StoredConsistencyJob {
  job: ConsistencyJob;
  /** process id of the process running it (a 'running' job whose process is gone has failed). */
  pid: number;
}

export interface ConsistencyJobStore {
  /** inserts or replaces the job; when more than the store's bound are kept, drops the oldest finished ones. */
  save(job: ConsistencyJob, pid: number): void;
  get(id: string): StoredConsistencyJob | undefined;
  /** newest first. */
  list(): StoredConsistencyJob[];
}

export function createMemoryConsistencyJobStore(maxJobs = 20): ConsistencyJobStore {
  const jobs = new Map<string, StoredConsistencyJob>();
  const copy = (s: StoredConsistencyJob): StoredConsistencyJob => ({ job: structuredClone(s.job), pid: s.pid });
  return {
    save(job, pid) {
      jobs.set(job.id, { job: structuredClone(job), pid });
      while (jobs.size > maxJobs) {
        const oldestDone = [...jobs.values()].find((s) => s.job.state !== 'running');
        if (!oldestDone) break;
        jobs.delete(oldestDone.job.id);
      }
    },
    get: (id) => {
      const s = jobs.get(id);
      return s && copy(s);
    },
    list: () => [...jobs.values()].reverse().map(copy),
  };
}
