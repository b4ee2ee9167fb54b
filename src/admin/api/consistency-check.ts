/**
 * Repository bytes vs. registry metadata (issue #8): for every DocumentEntry of this repository, are the
 * bytes there, with the registered size and SHA-1 (ITI TF-3 §4.2.3.2.15/§4.2.3.2.21)? And which stored
 * objects has no entry (orphans, e.g. a PnR whose registration failed after the bytes were written)?
 * Runs as a background job with progress; the jobs kept are bounded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DocumentEntryType } from '../../xds/model/types.js';
import type { DocumentStore, MetadataStore } from '../../storage/ports.js';
import { processAlive } from '../../util/process-alive.js';
import { createMemoryConsistencyJobStore, type ConsistencyJobStore, type StoredConsistencyJob } from './consistency-job-store.js';

export type FindingKind = 'missingBytes' | 'sizeMismatch' | 'hashMismatch' | 'orphanBytes';

export interface Finding {
  kind: FindingKind;
  uniqueId: string;
  entryUuid?: string;
  patientId?: string;
  expected?: string;
  actual?: string;
}

export interface ConsistencyJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  startedBy: string;
  phase: 'listing' | 'checking entries' | 'finding orphans' | 'done';
  progress: { done: number; total: number };
  summary: Record<FindingKind, number> & { entries: number; storedObjects: number };
  /** the first `maxFindings` findings. */
  findings: Finding[];
  error?: string;
}

export interface ConsistencyRunner {
  start(user: string): ConsistencyJob;
  get(id: string): ConsistencyJob | undefined;
  list(): ConsistencyJob[];
  /** resolves when the job is finished (tests). */
  wait(id: string): Promise<ConsistencyJob | undefined>;
}

export interface ConsistencyOptions {
  metadata: MetadataStore;
  documents: DocumentStore;
  repositoryUniqueId: string;
  /** re-hash the bytes (reads every document); default true. */
  verifyHashes?: boolean;
  maxJobs?: number;
  maxFindings?: number;
  /** where jobs are kept for polling (default: in this process, maxJobs of them); a cluster shares one. */
  jobs?: ConsistencyJobStore;
  log?: { error(msg: string, fields?: Record<string, unknown>): void };
}

async function sha1Of(documents: DocumentStore, key: string): Promise<string | undefined> {
  const got = await documents.get(key);
  if (!got) return undefined;
  const h = createHash('sha1');
  for await (const chunk of got.stream) h.update(chunk as Buffer);
  return h.digest('hex');
}

export function createConsistencyRunner(o: ConsistencyOptions): ConsistencyRunner {
  const maxFindings = o.maxFindings ?? 1000;
  const jobs = o.jobs ?? createMemoryConsistencyJobStore(o.maxJobs ?? 20);
  // the jobs this process runs, live; the store gets a copy at each phase and at most every 250 ms.
  const active = new Map<string, ConsistencyJob>();
  const running = new Map<string, Promise<void>>();
  const lastSaved = new Map<string, number>();
  const save = (job: ConsistencyJob, force = false) => {
    const now = Date.now();
    if (!force && now - (lastSaved.get(job.id) ?? 0) < 250) return;
    lastSaved.set(job.id, now);
    jobs.save(job, process.pid);
  };
  /** a job another process was running when that process died has failed. */
  const current = (s: StoredConsistencyJob): ConsistencyJob => {
    const live = active.get(s.job.id);
    if (live) return structuredClone(live);
    if (s.job.state === 'running' && !processAlive(s.pid)) {
      return { ...s.job, state: 'failed', error: `the hub process that ran this check (pid ${s.pid}) stopped before it finished` };
    }
    return s.job;
  };

  async function run(job: ConsistencyJob): Promise<void> {
    const add = (f: Finding) => {
      job.summary[f.kind]++;
      if (job.findings.length < maxFindings) job.findings.push(f);
    };
    const stored = new Set<string>();
    for await (const key of o.documents.list()) stored.add(key);
    job.summary.storedObjects = stored.size;
    // every version and status: a deprecated entry's bytes are still retrievable (ITI-43 allows it).
    const entries = (await o.metadata.findDocumentEntries({ allVersions: true })).filter(
      (e) => e.objectType !== DocumentEntryType.OnDemand && (e.repositoryUniqueId === undefined || e.repositoryUniqueId === o.repositoryUniqueId),
    );
    job.summary.entries = entries.length;
    job.phase = 'checking entries';
    job.progress = { done: 0, total: entries.length + 1 };
    save(job, true);
    const registered = new Set<string>();
    for (const e of entries) {
      registered.add(e.uniqueId);
      const base = { uniqueId: e.uniqueId, entryUuid: e.entryUuid, patientId: e.patientId };
      if (!stored.has(e.uniqueId)) add({ kind: 'missingBytes', ...base });
      else {
        const stat = await o.documents.stat(e.uniqueId);
        if (!stat) add({ kind: 'missingBytes', ...base });
        else if (e.size !== undefined && stat.size !== e.size) add({ kind: 'sizeMismatch', ...base, expected: String(e.size), actual: String(stat.size) });
        else if (e.hash && o.verifyHashes !== false) {
          const actual = await sha1Of(o.documents, e.uniqueId);
          if (actual === undefined) add({ kind: 'missingBytes', ...base });
          else if (actual !== e.hash.toLowerCase()) add({ kind: 'hashMismatch', ...base, expected: e.hash.toLowerCase(), actual });
        }
      }
      job.progress.done++;
      save(job);
    }
    job.phase = 'finding orphans';
    save(job, true);
    for (const key of stored) if (!registered.has(key)) add({ kind: 'orphanBytes', uniqueId: key });
    job.progress.done++;
  }

  return {
    start(user) {
      const job: ConsistencyJob = {
        id: randomUUID(),
        state: 'running',
        startedAt: new Date().toISOString(),
        startedBy: user,
        phase: 'listing',
        progress: { done: 0, total: 0 },
        summary: { entries: 0, storedObjects: 0, missingBytes: 0, sizeMismatch: 0, hashMismatch: 0, orphanBytes: 0 },
        findings: [],
      };
      active.set(job.id, job);
      save(job, true);
      const p = run(job).then(
        () => {
          job.state = 'done';
          job.phase = 'done';
        },
        (err: unknown) => {
          job.state = 'failed';
          job.error = err instanceof Error ? err.message : String(err);
          o.log?.error('consistency check failed', { jobId: job.id, error: err instanceof Error ? err.stack : String(err) });
        },
      ).finally(() => {
        job.finishedAt = new Date().toISOString();
        try {
          save(job, true);
        } catch (err) {
          o.log?.error('consistency check result could not be stored', { jobId: job.id, error: String(err) });
        }
        active.delete(job.id);
        lastSaved.delete(job.id);
        running.delete(job.id);
      });
      running.set(job.id, p);
      return job;
    },
    get(id) {
      const s = jobs.get(id);
      return s && current(s);
    },
    list: () => jobs.list().map(current),
    async wait(id) {
      await running.get(id);
      return this.get(id);
    },
  };
}

