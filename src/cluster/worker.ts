/**
 * One HTTP worker of a cluster (XDS_HTTP_PROCESSES > 1): serves every HTTP request on the shared port with
 * role 'http' — the background work (outbox dispatcher, MinLog/BRS workers, WAL checkpoints, MLLP) is the
 * primary's. Stops when the primary asks (SIGTERM) or disappears (IPC disconnect), so no orphan keeps the
 * port or the SQLite files open.
 */
import cluster from 'node:cluster';
import type { HubConfig } from '../config/config.js';
import { startHub, type RunningHub } from '../app.js';
import { throttledOutboxNotifier } from './messages.js';

export async function runClusterWorker(config: HubConfig): Promise<RunningHub> {
  const worker = cluster.worker;
  if (!worker) throw new Error('runClusterWorker runs in a cluster worker process');
  const running = await startHub(
    { ...config, mllpPort: -1 },
    {
      role: 'http',
      workerId: worker.id,
      notifyOutbox: throttledOutboxNotifier((message) => {
        if (process.connected) process.send?.(message);
      }),
    },
  );
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    running.hub.log.info('http worker stopping', { worker: worker.id, reason });
    running.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Ctrl-C reaches the whole process group: the primary then stops the workers in order.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => stop('primary gone'));
  return running;
}
