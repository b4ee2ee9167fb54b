import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedJobQueue } from '../../src/storage/queue-embedded/index.js';
import { describeJobQueueContract } from './job-queue.contract.js';

describeJobQueueContract('embedded (SQLite)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-queue-'));
  const file = path.join(dir, 'queue.db');
  return {
    open: async () => openEmbeddedJobQueue(file, { pollIntervalMs: 20, backoffBaseMs: 100, leaseMs: 2_000 }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
