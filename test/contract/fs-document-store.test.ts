import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvalidDocumentKeyError, openFsDocumentStore } from '../../src/storage/fs/index.js';
import { describeDocumentStoreContract, readAll } from './document-store.contract.js';

describeDocumentStoreContract('filesystem', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-docs-'));
  const store = await openFsDocumentStore(path.join(dir, 'documents'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

describe('FsDocumentStore specifics', () => {
  it('never writes outside its root, whatever the key; rejects invalid keys', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-docs-'));
    const root = path.join(dir, 'root');
    const store = await openFsDocumentStore(root);
    try {
      for (const key of ['../outside', '../../../../tmp/evil', '/etc/passwd', '..', 'a/../../b']) {
        await store.put(key, Buffer.from(key));
      }
      expect(fs.readdirSync(dir)).toEqual(['root']);
      for (const file of walk(root)) {
        expect(path.relative(path.join(root, 'objects'), file).startsWith('..')).toBe(false);
        expect(path.basename(file)).toMatch(/^[0-9a-f]{64}(\.key)?$/);
      }
      for (const bad of ['', 'a\u0000b', 'line\nbreak', 'x'.repeat(1025)]) {
        await expect(store.put(bad, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidDocumentKeyError);
        await expect(store.get(bad)).rejects.toBeInstanceOf(InvalidDocumentKeyError);
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps documents across reopen and clears interrupted uploads', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-docs-'));
    try {
      const first = await openFsDocumentStore(dir);
      await first.put('1.2.3', Buffer.from('persisted'));
      await first.close();
      fs.writeFileSync(path.join(dir, 'tmp', 'half-written'), 'partial');
      const second = await openFsDocumentStore(dir);
      expect(await readAll((await second.get('1.2.3'))!.stream)).toEqual(Buffer.from('persisted'));
      // only the new store's own (empty) temporary folder is left
      const left = fs.readdirSync(path.join(dir, 'tmp'));
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(new RegExp(`^${process.pid}\\.[0-9a-f]{8}$`));
      expect(fs.readdirSync(path.join(dir, 'tmp', left[0]!))).toEqual([]);
      await second.close();
      await expect(second.get('1.2.3')).rejects.toThrow(/closed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opening removes what processes that are gone left in tmp/, never a live process's uploads", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-docs-'));
    try {
      const tmp = path.join(dir, 'tmp');
      // pid 4 194 305 is above Linux's pid_max limit: that process cannot exist
      for (const owner of [`${process.ppid}.abcdef01`, '4194305.abcdef01']) {
        fs.mkdirSync(path.join(tmp, owner), { recursive: true });
        fs.writeFileSync(path.join(tmp, owner, 'upload'), 'partial');
      }
      fs.writeFileSync(path.join(tmp, 'flat-layout-leftover'), 'partial');
      const store = await openFsDocumentStore(dir);
      const left = fs.readdirSync(tmp).sort();
      expect(left.filter((n) => !n.startsWith(`${process.pid}.`))).toEqual([`${process.ppid}.abcdef01`]);
      expect(fs.readFileSync(path.join(tmp, `${process.ppid}.abcdef01`, 'upload'), 'utf8')).toBe('partial');
      await store.close();
      expect(fs.readdirSync(tmp)).toEqual([`${process.ppid}.abcdef01`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an upload in flight survives another store (another cluster process) opening the same root', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-docs-'));
    try {
      const first = await openFsDocumentStore(dir);
      const source = new PassThrough();
      const upload = first.put('1.2.3.4', source);
      source.write(Buffer.alloc(64 * 1024, 1));
      await new Promise((r) => setTimeout(r, 50)); // the temporary file exists and is being written
      const second = await openFsDocumentStore(dir);
      source.end(Buffer.alloc(64 * 1024, 2));
      expect((await upload).size).toBe(128 * 1024);
      expect((await readAll((await second.get('1.2.3.4'))!.stream)).length).toBe(128 * 1024);
      await first.close();
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader that opened the document keeps its bytes when it is deleted meanwhile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-docs-'));
    const store = await openFsDocumentStore(dir);
    try {
      await store.put('k', Buffer.from('stable bytes'));
      const got = await store.get('k');
      await store.delete('k');
      expect(await readAll(got!.stream)).toEqual(Buffer.from('stable bytes'));
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
