/**
 * Entry point: `npm start`. Reads the configuration from the environment, starts the hub on it and
 * stops it cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from './config/config.js';
import { startHub } from './app.js';

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
  const running = await startHub(config);
  console.log(`xds-hub listening on ${running.baseUrl} (registry /xds/registry, repository /xds/repository), MLLP ${running.mllpPort}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.hub.log.info('shutting down', { signal });
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
