/**
 * Child process of the MinLog durability test: the outbox dispatcher and the MinLog worker over files
 * (registry outbox → embedded JobQueue → MinLog store), as the hub runs them. Every delivery attempt is
 * appended to a trace file before the store write. With CRASH_AFTER=n it SIGKILLs itself right after the
 * n-th registration was added — after the write, before the job is acknowledged (the worst moment).
 * DELAY_MS slows each delivery so an external SIGKILL lands mid-batch. SIGTERM shuts down gracefully.
 *   node --import tsx minlog-worker-process.ts <registry.db> <queue.db> <minlog.db> <trace.txt>
 */
import fs from 'node:fs';
import { OutboxDispatcher } from '../../../../src/storage/outbox-dispatcher.js';
import { openEmbeddedJobQueue } from '../../../../src/storage/queue-embedded/index.js';
import { openSqliteStores } from '../../../../src/storage/sqlite/index.js';
import { startMinLogWorker } from '../../../../src/services/minlog/minlog-worker.js';
import type { MinLogStore } from '../../../../src/services/minlog/ports.js';
import { SqliteMinLogStore } from '../../../../src/services/minlog/sqlite-minlog-store.js';

const [registryFile, queueFile, minlogFile, traceFile] = process.argv.slice(2) as [string, string, string, string];
const crashAfter = Number(process.env.CRASH_AFTER ?? 0);
const delayMs = Number(process.env.DELAY_MS ?? 0);

const stores = openSqliteStores(registryFile);
const queue = openEmbeddedJobQueue(queueFile, { pollIntervalMs: 10, leaseMs: 600, backoffBaseMs: 20, onError: () => undefined });
const minlog = new SqliteMinLogStore(minlogFile);
let added = 0;
const traced: MinLogStore = {
  async add(entries) {
    fs.appendFileSync(traceFile, entries.map((e) => `${e.key}\n`).join(''));
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const result = await minlog.add(entries);
    added += result.added;
    if (crashAfter && added >= crashAfter) process.kill(process.pid, 'SIGKILL');
    return result;
  },
  extract: (cpr, period) => minlog.extract(cpr, period),
  count: () => minlog.count(),
  close: () => minlog.close(),
};

const dispatcher = new OutboxDispatcher(stores.metadata, queue, { batchSize: 25, idleMs: 20 });
dispatcher.start();
startMinLogWorker(queue, traced, { concurrency: 4 });
process.on('SIGTERM', () => {
  void (async () => {
    await dispatcher.stop();
    await queue.close();
    await minlog.close();
    await stores.close();
    process.exit(0);
  })();
});
process.stdout.write('started\n');
