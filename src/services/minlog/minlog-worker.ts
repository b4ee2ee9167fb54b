/**
 * The JobQueue worker shipping MinLog registrations from the transactional outbox to the MinLog store
 * (dk-nsp.md §2.5). The job key is the outbox key, and the store adds by key, so a job that ran but whose
 * completion was lost (worker killed mid-batch) registers nothing the second time. An invalid registration
 * is a permanent failure: it goes to the dead letters with the XSD fault, never silently dropped.
 */
import type { Job, JobQueue } from '../../storage/ports.js';
import type { MinLogStore } from './ports.js';
import { validateRegistration, type MinLogRegistration } from './registration.js';

/** The queue the read recorder's outbox messages go to. */
export const MINLOG_QUEUE = 'minlog.registration';

export function minLogJobHandler(store: Pick<MinLogStore, 'add'>): (job: Job<MinLogRegistration>) => Promise<void> {
  return async (job) => {
    const errors = validateRegistration(job.payload);
    if (errors.length > 0) throw new Error(`invalid MinLog registration ${job.key}: ${errors.join('; ')}`);
    await store.add([{ key: job.key, registration: job.payload }]);
  };
}

/** Starts consuming the MinLog queue (call once at start-up; JobQueue.close() stops it). */
export function startMinLogWorker(queue: JobQueue, store: Pick<MinLogStore, 'add'>, options: { concurrency?: number; maxAttempts?: number } = {}): void {
  queue.process<MinLogRegistration>(MINLOG_QUEUE, minLogJobHandler(store), { concurrency: options.concurrency ?? 4, maxAttempts: options.maxAttempts ?? 10 });
}
