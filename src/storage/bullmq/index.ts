/** BullMQ / Redis JobQueue: opened from a `redis://` URL by src/storage/select-backends.ts. */
import { BullmqJobQueue, type BullmqJobQueueOptions } from './bullmq-job-queue.js';
import { parseRedisUrl } from './redis-url.js';

export { BullmqJobQueue, encodeName, jobIdForKey, type BullmqJobQueueOptions } from './bullmq-job-queue.js';
export { parseRedisUrl, type RedisLocation } from './redis-url.js';

/** Opens a BullMQ JobQueue on `redis://[user:pass@]host:port[/db][?prefix=xds]` (rediss:// for TLS). */
export function openBullmqJobQueue(
  url: string,
  options: Omit<BullmqJobQueueOptions, 'connection' | 'prefix'> = {},
): BullmqJobQueue {
  const loc = parseRedisUrl(url);
  return new BullmqJobQueue({
    ...options,
    prefix: loc.prefix,
    connection: {
      host: loc.host,
      port: loc.port,
      db: loc.db,
      username: loc.username,
      password: loc.password,
      tls: loc.tls ? {} : undefined,
    },
  });
}
