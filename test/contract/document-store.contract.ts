/**
 * Contract suite of the DocumentStore port (src/storage/ports.ts): every adapter runs it.
 * The large-object case streams `largeObjectBytes` (default 50 MB) through put() and get() and checks that
 * the adapter never holds more than `maxBufferedBytes` (default 24 MB) of it in memory at once.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../src/storage/ports.js';

export type DocumentStoreFactory = () => Promise<{ store: DocumentStore; cleanup(): Promise<void> }>;
export interface DocumentStoreContractOptions {
  largeObjectBytes?: number;
  maxBufferedBytes?: number;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** A deterministic byte stream of `total` bytes in 64 KiB chunks, reporting memory while it is read. */
function generated(total: number, onChunk: (produced: number) => void): { stream: Readable; sha1: () => string } {
  const hash = createHash('sha1');
  let produced = 0;
  let seed = 12345;
  const stream = new Readable({
    read() {
      if (produced >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(65_536, total - produced);
      const chunk = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        chunk.writeUInt32LE(seed, i);
      }
      hash.update(chunk);
      produced += n;
      onChunk(produced);
      this.push(chunk);
    },
  });
  return { stream, sha1: () => hash.digest('hex') };
}

export function describeDocumentStoreContract(
  name: string,
  factory: DocumentStoreFactory,
  options: DocumentStoreContractOptions = {},
): void {
  const largeBytes = options.largeObjectBytes ?? 50 * 1024 * 1024;
  const maxBuffered = options.maxBufferedBytes ?? 24 * 1024 * 1024;

  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('put returns SHA-1 (lower-case hex) and size; get and stat return the bytes and size', async () => {
      const bytes = Buffer.from('<ClinicalDocument>hello XDS</ClinicalDocument>');
      const info = await store.put('1.2.3.4', bytes);
      expect(info).toEqual({ sha1: sha1(bytes), size: bytes.length });
      expect(info.sha1).toMatch(/^[0-9a-f]{40}$/);
      const got = await store.get('1.2.3.4');
      expect(got?.size).toBe(bytes.length);
      expect(await readAll(got!.stream)).toEqual(bytes);
      expect(await store.stat('1.2.3.4')).toEqual({ size: bytes.length });
    });

    it('accepts a stream and an empty document', async () => {
      const parts = ['a', 'bc', 'def'].map((s) => Buffer.from(s));
      expect(await store.put('1.2.3.5', Readable.from(parts))).toEqual({ sha1: sha1(Buffer.from('abcdef')), size: 6 });
      expect(await readAll((await store.get('1.2.3.5'))!.stream)).toEqual(Buffer.from('abcdef'));
      expect(await store.put('empty', Buffer.alloc(0))).toEqual({ sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', size: 0 });
      expect((await store.get('empty'))?.size).toBe(0);
    });

    it('absent keys: get and stat are undefined, delete is false', async () => {
      expect(await store.get('1.2.404')).toBeUndefined();
      expect(await store.stat('1.2.404')).toBeUndefined();
      expect(await store.delete('1.2.404')).toBe(false);
    });

    it('put over an existing key replaces it; delete removes it', async () => {
      await store.put('k', Buffer.from('old'));
      await store.put('k', Buffer.from('newer'));
      expect(await readAll((await store.get('k'))!.stream)).toEqual(Buffer.from('newer'));
      expect(await store.delete('k')).toBe(true);
      expect(await store.get('k')).toBeUndefined();
      expect(await store.delete('k')).toBe(false);
    });

    it('a failing source stream stores nothing and rejects', async () => {
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put('1.2.3.broken', failing)).rejects.toThrow(/client went away/);
      expect(await store.stat('1.2.3.broken')).toBeUndefined();
      const keys: string[] = [];
      for await (const k of store.list()) keys.push(k);
      expect(keys).not.toContain('1.2.3.broken');
    });

    it('list yields every stored key exactly once, including unusual ones', async () => {
      const keys = ['1.2.3.1', '1.2.3.2^ext', '../../etc/passwd', 'ÆØÅ/æøå', 'x'.repeat(300)];
      for (const k of keys) await store.put(k, Buffer.from(k));
      await store.delete('1.2.3.1');
      const listed: string[] = [];
      for await (const k of store.list()) listed.push(k);
      expect(listed.sort()).toEqual(keys.slice(1).sort());
      for (const k of keys.slice(1)) expect(await readAll((await store.get(k))!.stream)).toEqual(Buffer.from(k));
    });

    it(`streams a ${Math.round(largeBytes / 1048576)} MB document through put and get without buffering it`, async () => {
      const gc = gcFunction();
      gc();
      const base = process.memoryUsage();
      let peak = 0;
      const source = generated(largeBytes, (produced) => {
        if (produced % (8 * 1024 * 1024) === 0) {
          gc();
          const m = process.memoryUsage();
          peak = Math.max(peak, m.arrayBuffers - base.arrayBuffers + (m.heapUsed - base.heapUsed));
        }
      });
      const info = await store.put('1.2.3.large', source.stream);
      expect(info).toEqual({ sha1: source.sha1(), size: largeBytes });
      expect(peak).toBeLessThan(maxBuffered);

      const got = await store.get('1.2.3.large');
      expect(got?.size).toBe(largeBytes);
      const hash = createHash('sha1');
      let read = 0;
      let readPeak = 0;
      for await (const chunk of got!.stream) {
        hash.update(chunk as Buffer);
        read += (chunk as Buffer).length;
        if (read % (8 * 1024 * 1024) < (chunk as Buffer).length) {
          gc();
          const m = process.memoryUsage();
          readPeak = Math.max(readPeak, m.arrayBuffers - base.arrayBuffers + (m.heapUsed - base.heapUsed));
        }
      }
      expect(read).toBe(largeBytes);
      expect(hash.digest('hex')).toBe(info.sha1);
      expect(readPeak).toBeLessThan(maxBuffered);
    }, 120_000);
  });
}
