/**
 * The messages HTTP workers and the primary exchange over the cluster IPC channel. Kept tiny: all shared
 * state lives in the data directory (SQLite files, cluster-state.db), not in messages, so a lost message
 * costs at most a delay — the primary's outbox dispatcher also polls.
 */

/** a worker committed access rows to the transactional outbox: wake the dispatcher. */
export interface OutboxCommitted {
  type: 'xds-hub:outbox';
}

export type WorkerMessage = OutboxCommitted;

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'xds-hub:outbox';
}

/**
 * Sends at most one OutboxCommitted per `intervalMs`: the dispatcher lingers after a notify anyway, and one
 * IPC message per read would cost both processes CPU for nothing.
 */
export function throttledOutboxNotifier(send: (message: WorkerMessage) => void, intervalMs = 10): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    send({ type: 'xds-hub:outbox' });
    setTimeout(() => {
      pending = false;
    }, intervalMs).unref();
  };
}
