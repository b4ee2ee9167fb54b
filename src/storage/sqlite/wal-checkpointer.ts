/**
 * Runs the WAL checkpoints of the embedded SQLite files on a worker thread, off the event loop.
 *
 * Why: SQLite's automatic checkpoint (every 1 000 WAL pages, run by whichever commit crosses the mark) copies
 * the pages back into the database file and fsyncs both files; measured on the bench machine, 40–50 ms with
 * the event loop blocked (10–13 ms of it CPU, the rest fsync). The read path writes WAL frames on every read
 * (outbox, queue, MinLog, BRS), so one request in a few dozen waited for a checkpoint (issue #3, p99).
 *
 * How: the worker keeps its own connection per file and, every `intervalMs`, runs
 * `PRAGMA wal_checkpoint(PASSIVE)` on each file whose `-wal` changed since its last look. PASSIVE never
 * waits for readers or writers (SQLite §"Checkpointing"), and once it has copied every frame the next
 * writer starts the WAL from its beginning, so the commits on the main thread rarely reach the 1 000-page
 * automatic checkpoint, which stays on as the backstop (if the worker stops, nothing grows unbounded).
 *
 * The worker is inline CommonJS (no separate file), so it runs the same under tsx, the compiled build and
 * the tests; better-sqlite3 is resolved from here and handed to it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointer {
  /** closes the worker's connections and stops it (idempotent). */
  close(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /** how often the worker looks at the `-wal` files (default 200 ms). */
  intervalMs?: number;
  /** told when a checkpoint fails (the worker keeps going; SQLite's own checkpoint is still there). */
  onError?: (message: string) => void;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.betterSqlite3);
const files = workerData.files.map((file) => ({ file, db: undefined, seen: '' }));
function look() {
  for (const f of files) {
    let stat;
    try { stat = fs.statSync(f.file + '-wal'); } catch { continue; }
    const mark = stat.size + ':' + stat.mtimeMs;
    if (mark === f.seen) continue;
    try {
      f.db ??= new Database(f.file, { fileMustExist: true });
      f.db.pragma('wal_checkpoint(PASSIVE)');
      f.seen = mark;
    } catch (err) {
      parentPort.postMessage({ error: f.file + ': ' + (err && err.message ? err.message : String(err)) });
    }
  }
}
const timer = setInterval(look, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  for (const f of files) { try { f.db?.close(); } catch {} }
  parentPort.close();
});
`;

/** Starts checkpointing `files` (SQLite databases in WAL mode; ':memory:' and missing files are skipped). */
export function startWalCheckpointer(files: readonly string[], options: WalCheckpointerOptions = {}): WalCheckpointer {
  const onDisk = [...new Set(files.filter((f) => f !== ':memory:'))];
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      files: onDisk,
      intervalMs: options.intervalMs ?? 200,
      betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error) options.onError?.(m.error);
  });
  worker.on('error', (err) => options.onError?.(`WAL checkpoint worker failed: ${err.message}`));
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => {
    exited = true;
    resolve();
  }));
  let closed: Promise<void> | undefined;
  return {
    close() {
      if (exited) return Promise.resolve();
      closed ??= new Promise<void>((resolve) => {
        void exit.then(resolve);
        worker.postMessage('close');
        // a worker stuck in a checkpoint is ended after a grace period rather than holding shutdown
        setTimeout(() => void worker.terminate(), 5000).unref();
      });
      return closed;
    },
  };
}
