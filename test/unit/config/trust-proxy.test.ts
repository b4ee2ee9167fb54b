/**
 * XDS_TRUST_PROXY: read as express reads 'trust proxy' (boolean, hop count, addresses); a value express
 * refuses stops the hub at start-up with a ConfigError naming the variable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHub } from '../../../src/app.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/util/logger.js';

describe('XDS_TRUST_PROXY', () => {
  it('reads booleans, hop counts and address lists', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ XDS_TRUST_PROXY: ' ' }).trustProxy).toBeUndefined();
    expect(loadConfig({ XDS_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ XDS_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ XDS_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ XDS_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('refuses a value express cannot use, at start-up', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'xds-trust-proxy-'));
    try {
      const config = loadConfig({ XDS_TRUST_PROXY: 'not-an-address' }, { mllpPort: -1, insecureDevelopment: true, dataDir });
      const err = await createHub(config, { logger: createLogger('silent'), env: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/^XDS_TRUST_PROXY "not-an-address" is not a valid express 'trust proxy' value/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
