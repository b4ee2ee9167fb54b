/**
 * Entry point: `npm start`. Reads the configuration from the environment, starts the hub on it and
 * stops it cleanly on SIGINT/SIGTERM. With XDS_HTTP_PROCESSES > 1 this process becomes the cluster
 * primary and forks the HTTP workers, which run this same file (src/cluster/).
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type HubConfig } from './config/config.js';
import { startHub } from './app.js';
import { runClusterPrimary } from './cluster/primary.js';
import { runClusterWorker } from './cluster/worker.js';

interface Started {
  baseUrl: string;
  mllpPort: number;
  log: { info(msg: string, fields?: Record<string, unknown>): void };
  stop(): Promise<void>;
}

async function start(config: HubConfig): Promise<Started> {
  if (config.httpProcesses > 1) {
    const primary = await runClusterPrimary(config);
    return { baseUrl: primary.baseUrl, mllpPort: primary.mllpPort, log: primary.hub.log, stop: () => primary.stop() };
  }
  const running = await startHub(config);
  return { baseUrl: running.baseUrl, mllpPort: running.mllpPort, log: running.hub.log, stop: () => running.stop() };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  if (cluster.isWorker) {
    await runClusterWorker(config);
    return;
  }
  const running = await start(config);
  const workers = config.httpProcesses > 1 ? `, ${config.httpProcesses} HTTP worker processes` : '';
  console.log(
    `xds-hub listening on ${running.baseUrl} (registry /xds/registry, repository /xds/repository${workers}), MLLP ${running.mllpPort}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.log.info('shutting down', { signal });
    running.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`xds-hub failed to start: ${(err as Error).message}`);
  process.exit(1);
});
