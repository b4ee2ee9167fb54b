/**
 * The JobQueue worker for BRS follow-up orders (dk-nsp.md §2.6): judges the relation after the access and
 * files a notification, numbered in sequence per queryable CVR. It runs after the read has been answered,
 * so BRS never blocks access; the order key makes a re-run (worker killed mid-job) file nothing twice.
 */
import type { Job, JobQueue } from '../../storage/ports.js';
import type { TreatmentRelationRequest } from './model.js';
import type { BrsNotificationStore } from './ports.js';
import type { TreatmentRelationService } from './treatment-relation-service.js';

/** The queue the read recorder's follow-up orders go to. */
export const BRS_QUEUE = 'brs.followup';

export function brsFollowUpHandler(relations: Pick<TreatmentRelationService, 'lookup'>, notifications: BrsNotificationStore): (job: Job<TreatmentRelationRequest>) => Promise<void> {
  return async (job) => {
    const relation = await relations.lookup(job.payload);
    await notifications.add({ orderKey: job.key, queryableCvr: job.payload.queryableCvr ?? '', request: job.payload, relation });
  };
}

export function startBrsWorker(queue: JobQueue, relations: Pick<TreatmentRelationService, 'lookup'>, notifications: BrsNotificationStore, options: { concurrency?: number; maxAttempts?: number } = {}): void {
  queue.process<TreatmentRelationRequest>(BRS_QUEUE, brsFollowUpHandler(relations, notifications), { concurrency: options.concurrency ?? 2, maxAttempts: options.maxAttempts ?? 10 });
}
