/**
 * The WAL checkpoint worker (src/storage/sqlite/wal-checkpointer.ts): it copies committed WAL pages into the
 * database file without the main connection checkpointing at all, and stops cleanly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer, type WalCheckpointer } from '../../../src/storage/sqlite/wal-checkpointer.js';

let dir: string;
let checkpointer: WalCheckpointer | undefined;
afterEach(async () => {
  await checkpointer?.close();
  checkpointer = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

describe('startWalCheckpointer', () => {
  it('checkpoints the WAL of a file written on the main thread, which never checkpoints itself', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-wal-'));
    const file = path.join(dir, 'a.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // only the worker may copy pages into the file
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const before = fs.statSync(file).size;
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 500; i++) ins.run('x'.repeat(3000));
    })();
    expect(fs.statSync(file).size).toBe(before); // all 500 rows are in the -wal only
    const errors: string[] = [];
    checkpointer = startWalCheckpointer([file, ':memory:', path.join(dir, 'missing.db')], { intervalMs: 20, onError: (m) => errors.push(m) });
    expect(await until(() => fs.statSync(file).size > 500 * 3000, 5000)).toBe(true);
    // the main connection still reads and writes; its next commit restarts the fully checkpointed WAL
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(500);
    ins.run('after');
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(501);
    await checkpointer.close();
    await checkpointer.close(); // idempotent
    checkpointer = undefined;
    db.close();
    expect(errors).toEqual([]);
  });
});
