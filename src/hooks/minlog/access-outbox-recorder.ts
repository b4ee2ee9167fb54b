/**
 * The ReadRecorder that makes every professional access durable (dk-nsp.md §2.5-2.6, architecture.md
 * "Hooks"): the MinLog2 registrations and the BRS follow-up orders of one read are written together, in ONE
 * MetadataStore.commit, as transactional-outbox messages — the access record of the read. The outbox
 * dispatcher (src/storage/outbox-dispatcher.ts) moves them into the JobQueue with their keys as idempotency
 * keys; the MinLog and BRS workers consume them. Nothing remote is called here, so BRS or MinLog being down
 * never blocks or fails a read; a failing commit fails the read (no unrecorded access).
 */
import { emptyWrite, type MetadataStore, type OutboxMessage } from '../../storage/ports.js';
import { MINLOG_QUEUE } from '../../services/minlog/minlog-worker.js';
import { BRS_QUEUE } from '../../services/brs/brs-worker.js';
import type { ReadRecorder } from '../runner.js';
import type { ReadRecord } from '../types.js';
import { followUpOrdersOf, type BrsOrderOptions } from '../brs/followup-order.js';
import { minLogRegistrationsOf, type MinLogBuilderOptions } from './minlog-registration.js';

export interface AccessOutboxRecorderDeps {
  store: Pick<MetadataStore, 'commit'>;
  minlog: MinLogBuilderOptions;
  /** BRS follow-up orders; omit to order none. */
  brs?: BrsOrderOptions;
  /** told after each commit (e.g. OutboxDispatcher.notify, so delivery starts at once). */
  onCommitted?: () => void;
}

export async function accessOutboxMessages(r: ReadRecord, deps: Omit<AccessOutboxRecorderDeps, 'store' | 'onCommitted'>): Promise<OutboxMessage[]> {
  const messages: OutboxMessage[] = (await minLogRegistrationsOf(r, deps.minlog)).map((m) => ({ queue: MINLOG_QUEUE, key: `minlog:${m.key}`, payload: m.registration }));
  if (deps.brs) {
    for (const o of followUpOrdersOf(r, deps.brs)) messages.push({ queue: BRS_QUEUE, key: `brs:${o.key}`, payload: o.order });
  }
  return messages;
}

export function createAccessOutboxRecorder(deps: AccessOutboxRecorderDeps): ReadRecorder {
  return {
    name: 'access-outbox',
    async record(r: ReadRecord): Promise<void> {
      const outbox = await accessOutboxMessages(r, deps);
      if (outbox.length === 0) return;
      await deps.store.commit({ ...emptyWrite(), outbox });
      deps.onCommitted?.();
    },
  };
}
