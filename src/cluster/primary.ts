/**
 * The primary of a cluster (XDS_HTTP_PROCESSES > 1). One Node process uses one core for JavaScript; the
 * SOAP work of a query (parse, XSD, SQLite, encoding, consent) is CPU-bound, so the hub scales over cores
 * with several HTTP workers sharing the port (node:cluster hands out connections round-robin).
 *
 * The primary first builds the hub with role 'background' — it opens and migrates the stores, creates the
 * development STS keys, and runs what must run once: the outbox dispatcher, the MinLog/BRS workers, the WAL
 * checkpointer and the MLLP listener — then forks the workers. State the workers must share lives in the
 * data directory (the stores, and cluster-state.db for replay detection and the admin's sessions, login
 * guard and activity), never in one process's memory. A worker that dies is replaced.
 */
import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { HubConfig } from '../config/config.js';
import { createHub, startMllpListener, type Hub, type HubOptions } from '../app.js';
import type { MllpServer } from '../patients/index.js';
import { isWorkerMessage } from './messages.js';

export interface ClusterPrimary {
  hub: Hub;
  baseUrl: string;
  httpPort: number;
  mllpPort: number;
  /** live worker processes by cluster worker id. */
  workers(): Worker[];
  stop(): Promise<void>;
}

export interface ClusterPrimaryOptions extends Pick<HubOptions, 'logger' | 'env'> {
  /** how long a worker may take to start listening (default 60 s). */
  startTimeoutMs?: number;
  /** pause before a dead worker is replaced; doubles while workers keep dying early (default 1 s, max 30 s). */
  restartDelayMs?: number;
  /** how long stop() waits for workers to finish before killing them (default 10 s). */
  stopTimeoutMs?: number;
}

export async function runClusterPrimary(config: HubConfig, options: ClusterPrimaryOptions = {}): Promise<ClusterPrimary> {
  if (!cluster.isPrimary) throw new Error('runClusterPrimary runs in the primary process');
  const processes = config.httpProcesses;
  const hub = await createHub(config, { logger: options.logger, env: options.env, role: 'background' });
  const log = hub.log;
  let mllp: MllpServer | undefined;
  let stopping = false;
  // until every worker listened, a worker that exits fails the start instead of being replaced
  let started = false;
  let httpPort = -1;
  const restartBase = options.restartDelayMs ?? 1000;
  let restartDelay = restartBase;
  const live = new Map<number, Worker>();

  const onMessage = (message: unknown) => {
    if (isWorkerMessage(message)) hub.outbox.notify();
  };

  /** Forks one worker and resolves when it listens (rejects when it exits or times out first). */
  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      const startedAt = Date.now();
      live.set(worker.id, worker);
      worker.on('message', onMessage);
      const timer = setTimeout(() => {
        worker.kill('SIGKILL');
        reject(new Error(`http worker ${worker.id} did not listen within ${options.startTimeoutMs ?? 60_000} ms`));
      }, options.startTimeoutMs ?? 60_000);
      worker.once('listening', (address: AddressInfo | { port: number }) => {
        clearTimeout(timer);
        httpPort = address.port;
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        clearTimeout(timer);
        live.delete(worker.id);
        reject(new Error(`http worker ${worker.id} exited during start-up (${signal ?? `code ${code}`})`));
        if (stopping || !started) return;
        // A worker that lived a while restarts after the base delay; one that keeps dying early backs off.
        restartDelay = Date.now() - startedAt > 60_000 ? restartBase : Math.min(restartDelay * 2, 30_000);
        log.error('http worker exited; starting a new one', { worker: worker.id, code, signal, inMs: restartDelay });
        setTimeout(() => {
          if (!stopping) fork().catch((err) => log.error('http worker restart failed', { error: String(err) }));
        }, restartDelay).unref();
      });
    });

  const stopWorkers = async (): Promise<void> => {
    const exits = [...live.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const kill = setTimeout(() => worker.kill('SIGKILL'), options.stopTimeoutMs ?? 10_000);
          worker.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  };

  try {
    mllp = await startMllpListener(hub);
    // Workers start one after the other: each opens the stores and compiles the XSDs (CPU-heavy for a
    // moment), and the first one's listen() makes the primary create the shared socket.
    for (let i = 0; i < processes; i++) await fork();
    started = true;
  } catch (err) {
    stopping = true;
    await stopWorkers();
    await mllp?.close();
    await hub.close();
    throw err;
  }
  const host = config.httpHost === '0.0.0.0' || config.httpHost === '::' ? '127.0.0.1' : config.httpHost;
  const baseUrl = `http://${host}:${httpPort}`;
  log.info('xds-hub cluster started', { http: baseUrl, workers: processes, mllpPort: mllp?.port ?? -1, dataDir: config.dataDir });
  return {
    hub,
    baseUrl,
    httpPort,
    mllpPort: mllp?.port ?? -1,
    workers: () => [...live.values()],
    async stop() {
      stopping = true;
      await stopWorkers();
      await mllp?.close();
      await hub.close();
    },
  };
}
