export { SqliteJobQueue, type EmbeddedJobQueueOptions } from './sqlite-job-queue.js';
import { SqliteJobQueue, type EmbeddedJobQueueOptions } from './sqlite-job-queue.js';

/** The config URL `queue:embedded` maps to `openEmbeddedJobQueue(path.join(dataDir, 'queue.db'))`. */
export function openEmbeddedJobQueue(file: string, options?: EmbeddedJobQueueOptions): SqliteJobQueue {
  return new SqliteJobQueue(file, options);
}
