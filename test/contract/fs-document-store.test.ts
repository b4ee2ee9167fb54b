import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
      expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
      await second.close();
      await expect(second.get('1.2.3')).rejects.toThrow(/closed/);
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
