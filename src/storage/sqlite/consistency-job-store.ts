/**
 * Consistency-check jobs in cluster-state.db (src/admin/api/consistency-job-store.ts), so that any HTTP
 * worker of a cluster answers the poll of a job another worker runs. One row per job, the job as JSON;
 * bounded like the in-process store (the oldest finished jobs are dropped).
 */
import type Database from 'better-sqlite3';
import type { ConsistencyJob } from '../../admin/api/consistency-check.js';
import type { ConsistencyJobStore, StoredConsistencyJob } from '../../admin/api/consistency-job-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admin_consistency_jobs (
  id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  seq INTEGER NOT NULL,
  state TEXT NOT NULL,
  pid INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_consistency_jobs_seq ON admin_consistency_jobs(seq);
`;

interface Row {
  json: string;
  pid: number;
}

export function createSqliteConsistencyJobStore(db: Database.Database, maxJobs = 20): ConsistencyJobStore {
  db.exec(SCHEMA);
  // seq orders jobs by their first save (started_at has millisecond ties); an update keeps it.
  const upsert = db.prepare(
    `INSERT INTO admin_consistency_jobs (id, started_at, seq, state, pid, json)
     VALUES (@id, @startedAt, (SELECT COALESCE(MAX(seq), 0) + 1 FROM admin_consistency_jobs), @state, @pid, @json)
     ON CONFLICT(id) DO UPDATE SET state = excluded.state, pid = excluded.pid, json = excluded.json`,
  );
  const count = db.prepare('SELECT COUNT(*) AS n FROM admin_consistency_jobs').pluck();
  const dropOldestDone = db.prepare(
    `DELETE FROM admin_consistency_jobs WHERE id = (SELECT id FROM admin_consistency_jobs WHERE state <> 'running' ORDER BY seq LIMIT 1)`,
  );
  const byId = db.prepare('SELECT json, pid FROM admin_consistency_jobs WHERE id = ?');
  const all = db.prepare('SELECT json, pid FROM admin_consistency_jobs ORDER BY seq DESC');
  const read = (r: Row): StoredConsistencyJob => ({ job: JSON.parse(r.json) as ConsistencyJob, pid: r.pid });
  const save = db.transaction((job: ConsistencyJob, pid: number) => {
    upsert.run({ id: job.id, startedAt: job.startedAt, state: job.state, pid, json: JSON.stringify(job) });
    while ((count.get() as number) > maxJobs) {
      if (dropOldestDone.run().changes === 0) break;
    }
  });
  return {
    save: (job, pid) => save.immediate(job, pid),
    get: (id) => {
      const r = byId.get(id) as Row | undefined;
      return r && read(r);
    },
    list: () => (all.all() as Row[]).map(read),
  };
}
