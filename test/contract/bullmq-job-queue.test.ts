/**
 * The JobQueue contract suite on the BullMQ adapter, against a private redis-server started by this file
 * (free port, temp directory, no persistence). Backoff starts at 150 ms so the suite's backoff-growth check
 * holds on a loaded machine. Each test uses its own key prefix, so tests never see each
 * other's jobs. Without a redis-server binary the suite is skipped LOUDLY, except under CI=true, where
 * that is an error (scripts/services/redis.sh installs Debian's redis-server).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BullmqJobQueue } from '../../src/storage/bullmq/index.js';
import { redisUnavailable, startRedisServer, type RunningRedis } from '../support/redis-server.js';
import { describeJobQueueContract } from './job-queue.contract.js';

const unavailable = redisUnavailable();

if (unavailable) {
  console.warn(`\n*** SKIPPED: JobQueue contract on BullMQ: ${unavailable} ***\n`);
  describe.skip(`JobQueue contract: bullmq — SKIPPED, ${unavailable}`, () => {
    it.todo('install redis-server (scripts/services/redis.sh start) to run it');
  });
} else {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  describeJobQueueContract('bullmq (redis-server)', async () => {
    const prefix = `c${randomUUID().slice(0, 8)}`;
    return {
      open: async () => new BullmqJobQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix, backoffMs: 150 }),
      cleanup: async () => undefined,
    };
  });
}
