/**
 * Starts a hub on temporary storage for an integration test (embedded adapters, insecure development
 * mode unless the test passes a security configuration) and removes it afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHub, type Hub } from '../../src/app.js';
import { loadConfig, type HubConfig } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/util/logger.js';

export interface TestHub {
  hub: Hub;
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function createTestHub(
  overrides: Partial<HubConfig> = {},
  env: NodeJS.ProcessEnv = {},
  logger: Logger = createLogger('silent'),
): Promise<TestHub> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'xds-hub-test-'));
  const config = loadConfig({}, { httpPort: 0, httpHost: '127.0.0.1', mllpPort: -1, insecureDevelopment: true, ...overrides, dataDir });
  const hub = await createHub(config, { logger, env });
  return {
    hub,
    dataDir,
    async cleanup() {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
