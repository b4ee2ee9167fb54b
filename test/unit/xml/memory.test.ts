/**
 * Issue #2: "dispose every document and prove in a test that memory stays flat over many requests".
 * libxml2-wasm's WebAssembly memory grows and never shrinks (dependencies.md §11), so a leaked document
 * per request shows up as steady growth of the wasm heap. The test captures libxml2's WebAssembly.Memory
 * by wrapping WebAssembly.instantiate before the library is first imported (dynamic imports below).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The project's lib settings carry no WebAssembly typings: a minimal local view of the API.
interface WasmMemory { readonly buffer: ArrayBuffer }
interface WasmInstance { readonly exports: Record<string, unknown> }
interface WasmApi {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const memories: WasmMemory[] = [];
const originalInstantiate = wasm.instantiate;
wasm.instantiate = async (...args: unknown[]) => {
  const result = (await originalInstantiate(...args)) as { instance?: WasmInstance } & WasmInstance;
  const instance = result.instance ?? result;
  for (const e of Object.values(instance.exports)) if (e instanceof wasm.Memory) memories.push(e);
  return result;
};
const { createSchemaSet } = await import('../../../src/xml/schemas.js');
const { parseXml } = await import('../../../src/xml/parse.js');
wasm.instantiate = originalInstantiate;

/** libxml2's linear memory in bytes (the wasm heap). */
function wasmHeap(): number {
  if (memories.length !== 1) throw new Error(`expected to capture libxml2's wasm memory, captured ${memories.length}`);
  return memories[0].buffer.byteLength;
}

const conformanceDir = process.env.XDS_CONFORMANCE_DIR ?? '/work/shared/conformance';
const sample = path.join(conformanceDir, 'ihe-examples/XDS.b/ProvideAndRegisterDocumentSet-bRequest.xml');
const sampleSoap = path.join(conformanceDir, 'ihe-examples/XDS.b/ProvideAndRegisterDocumentSet-bRequest_SOAP.xml');
const MB = 1024 * 1024;

describe.skipIf(!fs.existsSync(sample))('memory over many parse + validate calls', () => {
  const set = createSchemaSet(path.resolve('schemas'));
  afterAll(() => set.dispose());

  it('stays flat over 20 000 parse+validate runs of the IHE P&R sample', () => {
    const pnr = fs.readFileSync(sample);
    const soap = fs.readFileSync(sampleSoap);
    const run = (n: number): void => {
      for (let i = 0; i < n; i++) {
        expect(set.validate('repository', pnr)).toHaveLength(0);
        // the SOAP pipeline path: one parse, tree + body validation (every 4th call, as a mix)
        if (i % 4 === 0) {
          const r = set.parseAndValidate(soap, { target: 'soap-body' }, () => 'repository');
          if (r.errors.length > 0) throw new Error(r.errors.join());
        }
      }
    };
    run(1000); // warm-up: lets the wasm heap reach its working size
    const heapBefore = wasmHeap();
    const rssBefore = process.memoryUsage().rss;
    run(20_000);
    const heapAfter = wasmHeap();
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `20 000 runs: wasm heap ${(heapBefore / MB).toFixed(1)} -> ${(heapAfter / MB).toFixed(1)} MB, ` +
        `rss ${(rssBefore / MB).toFixed(1)} -> ${(rssAfter / MB).toFixed(1)} MB`,
    );
    // The wasm heap never shrinks, so any leaked document would grow it: one 9 KB document per call
    // would be > 170 MB here. It must not grow at all once warmed up.
    expect(heapAfter).toBe(heapBefore);
    expect((rssAfter - rssBefore) / MB).toBeLessThan(96);
  }, 300_000);

  it('stays flat when parsing into the plain tree', () => {
    const soap = fs.readFileSync(sampleSoap);
    for (let i = 0; i < 500; i++) parseXml(soap);
    const before = wasmHeap();
    for (let i = 0; i < 5000; i++) parseXml(soap);
    expect(wasmHeap()).toBe(before);
  }, 60_000);
});
