/**
 * Cluster mode's small parts (src/cluster/): XDS_HTTP_PROCESSES as the configuration reads it, the worker's
 * throttled "outbox committed" message to the primary, and the hub roles — an HTTP worker runs none of the
 * background work, which is the primary's.
 */
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHub, startHub } from '../../../src/app.js';
import { isWorkerMessage, throttledOutboxNotifier, type WorkerMessage } from '../../../src/cluster/messages.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { emptyWrite } from '../../../src/storage/ports.js';
import { createLogger } from '../../../src/util/logger.js';

describe('XDS_HTTP_PROCESSES', () => {
  it('is 1 by default, a count, or auto = the cores Node may use', () => {
    expect(loadConfig({}).httpProcesses).toBe(1);
    expect(loadConfig({ XDS_HTTP_PROCESSES: ' ' }).httpProcesses).toBe(1);
    expect(loadConfig({ XDS_HTTP_PROCESSES: '4' }).httpProcesses).toBe(4);
    expect(loadConfig({ XDS_HTTP_PROCESSES: 'auto' }).httpProcesses).toBe(os.availableParallelism());
  });

  it.each(['0', '-2', '1.5', 'two', '257', 'auto2'])('refuses %j with a ConfigError naming the variable', (value) => {
    expect(() => loadConfig({ XDS_HTTP_PROCESSES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ XDS_HTTP_PROCESSES: value })).toThrow(`XDS_HTTP_PROCESSES must be auto or a whole number from 1 to 256, got "${value}"`);
  });
});

describe('the worker → primary outbox message', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is sent at most once per interval however many reads commit', () => {
    vi.useFakeTimers();
    const sent: WorkerMessage[] = [];
    const notify = throttledOutboxNotifier((m) => sent.push(m), 10);
    for (let i = 0; i < 50; i++) notify();
    expect(sent).toEqual([{ type: 'xds-hub:outbox' }]);
    vi.advanceTimersByTime(9);
    notify();
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    notify();
    expect(sent).toHaveLength(2);
  });

  it('is recognised by the primary; other messages are not', () => {
    expect(isWorkerMessage({ type: 'xds-hub:outbox' })).toBe(true);
    for (const other of [undefined, null, 'xds-hub:outbox', {}, { type: 'other' }, { cmd: 'NODE_CLUSTER' }]) expect(isWorkerMessage(other)).toBe(false);
  });
});

describe('hub roles', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it.each([
    ['http', 1],
    ['all', 0],
  ] as const)("a %s hub leaves %i access rows in the outbox: only the background process dispatches", async (role, left) => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'xds-role-'));
    const config = loadConfig({}, { httpPort: 0, httpHost: '127.0.0.1', mllpPort: -1, insecureDevelopment: true, dataDir });
    const hub = await createHub(config, { logger: createLogger('silent'), env: {}, role });
    try {
      expect(hub.role).toBe(role);
      await hub.backends.metadata.commit({ ...emptyWrite(), outbox: [{ queue: 'minlog.registration', key: 'role-test-1', payload: { n: 1 } }] });
      hub.outbox.notify();
      // the dispatcher lingers 20 ms after a notify and polls every 500 ms
      await new Promise((r) => setTimeout(r, 700));
      expect(await hub.backends.metadata.readOutbox(10)).toHaveLength(left);
    } finally {
      await hub.close();
    }
  });

  it("a 'background' hub is not started as an HTTP server", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'xds-role-'));
    const config = loadConfig({}, { httpPort: 0, httpHost: '127.0.0.1', mllpPort: -1, insecureDevelopment: true, dataDir });
    await expect(startHub(config, { logger: createLogger('silent'), env: {}, role: 'background' })).rejects.toThrow(/'background' hub is started by src\/cluster\/primary.ts/);
  });
});
