/**
 * DocumentStore on the local filesystem (issue #2: "the filesystem for document bytes (temp file + fsync +
 * rename)").
 *
 * Layout under the root directory:
 *   objects/ab/cd/<sha256(key)>        the bytes
 *   objects/ab/cd/<sha256(key)>.key    the key (document uniqueId) as UTF-8, for list()
 *   tmp/                               uploads in progress (removed on failure and at open)
 * File names derive only from a hash of the key, so no key (`../../etc/passwd`, NUL, very long ids) can
 * name a path outside the root: path traversal is impossible by construction. Keys must still be
 * non-empty, at most 1 024 UTF-8 bytes and free of control characters (InvalidDocumentKeyError).
 *
 * put() streams into tmp/ computing SHA-1 (ITI TF-3 §4.2.3.2.15, lower-case hex) and size, fsyncs, and
 * renames into place, so a reader sees the old object or the whole new one, never a part.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { processAlive } from '../../util/process-alive.js';
import type { DocumentStore, StoredDocumentInfo } from '../ports.js';

export class InvalidDocumentKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDocumentKeyError';
  }
}

const MAX_KEY_BYTES = 1024;
const KEY_SUFFIX = '.key';

export function validateDocumentKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidDocumentKeyError('document key must be a non-empty string');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidDocumentKeyError(`document key longer than ${MAX_KEY_BYTES} bytes`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidDocumentKeyError('document key contains control characters');
}

export class FsDocumentStore implements DocumentStore {
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private closed = false;

  private constructor(readonly root: string) {
    this.objectsDir = path.join(root, 'objects');
    // Uploads are written under tmp/<pid>.<random>/ and renamed into objects/: the processes of a cluster
    // (src/cluster/) share the root, and each store instance owns only its own temporary folder.
    this.tmpDir = path.join(root, 'tmp', `${process.pid}.${randomUUID().slice(0, 8)}`);
  }

  /**
   * Opens (creating) the store under `root`. Leftovers of interrupted uploads are removed: the temporary
   * folders of processes that are gone (and files of the older flat tmp/ layout), never those of live
   * processes — the other processes of a cluster on this machine upload into the same root.
   */
  static async open(root: string): Promise<FsDocumentStore> {
    const store = new FsDocumentStore(path.resolve(root));
    await fsp.mkdir(store.objectsDir, { recursive: true });
    const tmpRoot = path.dirname(store.tmpDir);
    await fsp.mkdir(tmpRoot, { recursive: true });
    for (const name of await fsp.readdir(tmpRoot)) {
      const owner = /^(\d+)\.[0-9a-f]{8}$/.exec(name);
      if (owner && processAlive(Number(owner[1]))) continue;
      await fsp.rm(path.join(tmpRoot, name), { recursive: true, force: true });
    }
    await fsp.mkdir(store.tmpDir);
    return store;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('FsDocumentStore is closed');
  }

  /** The data file of `key`: objects/<h0h1>/<h2h3>/<sha256 hex>. */
  private pathOf(key: string): string {
    validateDocumentKey(key);
    const h = createHash('sha256').update(key, 'utf8').digest('hex');
    return path.join(this.objectsDir, h.slice(0, 2), h.slice(2, 4), h);
  }

  async put(key: string, content: Readable | Buffer): Promise<StoredDocumentInfo> {
    this.assertOpen();
    const target = this.pathOf(key);
    const tmp = path.join(this.tmpDir, randomUUID());
    const sha1 = createHash('sha1');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sha1.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
      // flush: fsync before the descriptor closes, so the bytes are on disk before the rename publishes them
      await pipeline(source, meter, fs.createWriteStream(tmp, { flags: 'wx', flush: true }));
      await fsp.mkdir(path.dirname(target), { recursive: true });
      // the key sidecar first: a data file is never without its key (list() relies on it)
      const keyTmp = `${tmp}${KEY_SUFFIX}`;
      await fsp.writeFile(keyTmp, key, 'utf8');
      await fsp.rename(keyTmp, `${target}${KEY_SUFFIX}`);
      await fsp.rename(tmp, target);
      await syncDirectory(path.dirname(target));
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      await fsp.rm(`${tmp}${KEY_SUFFIX}`, { force: true });
      throw err;
    }
    return { sha1: sha1.digest('hex'), size };
  }

  async get(key: string): Promise<{ stream: Readable; size: number } | undefined> {
    this.assertOpen();
    let handle: fsp.FileHandle;
    try {
      // open first, then stat the open file: a concurrent delete or overwrite cannot tear the read
      handle = await fsp.open(this.pathOf(key), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const { size } = await handle.stat();
    return { stream: handle.createReadStream(), size };
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    this.assertOpen();
    try {
      const st = await fsp.stat(this.pathOf(key));
      return { size: st.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    this.assertOpen();
    const target = this.pathOf(key);
    let removed = true;
    try {
      await fsp.unlink(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      removed = false;
    }
    await fsp.rm(`${target}${KEY_SUFFIX}`, { force: true });
    return removed;
  }

  /** Every stored key (order unspecified), read from the key sidecars of existing data files. */
  async *list(): AsyncIterable<string> {
    this.assertOpen();
    for (const a of await readdirOrEmpty(this.objectsDir)) {
      for (const b of await readdirOrEmpty(path.join(this.objectsDir, a))) {
        const dir = path.join(this.objectsDir, a, b);
        const names = new Set(await readdirOrEmpty(dir));
        for (const name of names) {
          if (name.endsWith(KEY_SUFFIX) || !names.has(`${name}${KEY_SUFFIX}`)) continue;
          try {
            yield await fsp.readFile(path.join(dir, `${name}${KEY_SUFFIX}`), 'utf8');
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // deleted meanwhile
          }
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await fsp.rm(this.tmpDir, { recursive: true, force: true });
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** fsync of the directory makes the rename itself durable (POSIX); ignored where unsupported. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // some filesystems (and Windows) cannot fsync a directory; the data file itself is synced
  } finally {
    await handle?.close();
  }
}
