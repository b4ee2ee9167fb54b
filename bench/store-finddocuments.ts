/**
 * Benchmark (issue #3 "Performance"): FindDocuments (patient + status + one classCode) issued straight to
 * the embedded SQLite MetadataStore, with N DocumentEntries over P patients loaded through the bulk path.
 *
 *   npx tsx bench/store-finddocuments.ts [--entries 1000000] [--patients 100000] [--queries 20000]
 *                                        [--file /tmp/x.db] [--keep]
 * Reuses an existing --file when it already holds the requested number of entries.
 * Prints the figures on stdout (one human line + one JSON line); the progress bar goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqliteStores } from '../src/storage/sqlite/index.js';
import { DocumentEntryType, Status, type DocumentEntry } from '../src/xds/model/types.js';

export interface StoreBenchOptions {
  entries: number;
  patients: number;
  queries: number;
  file?: string;
  keep?: boolean;
  progress?: boolean;
}

export interface StoreBenchResult {
  entries: number;
  patients: number;
  loadSeconds: number | null;
  loadRate: number | null;
  /** CPU seconds the load took (stays meaningful on a busy machine). */
  loadCpuSeconds: number | null;
  queries: number;
  queriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanHits: number;
  /** CPU time per query: the figure that stays meaningful on a busy machine. */
  cpuMsPerQuery: number;
  dbBytes: number;
}

const AA = '&1.2.208.176.1.2&ISO';
export const CLASS_SCHEME = '1.2.208.184.100.9';
export const CLASS_CODES = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010'];
const TYPE_CODES = Array.from({ length: 20 }, (_, i) => `type-${i}`);
export const benchPatientId = (i: number) => `${String(1_000_000_000 + i)}^^^${AA}`;

/** Deterministic xorshift so runs are comparable. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

function hex12(n: number): string {
  return n.toString(16).padStart(12, '0');
}

/** N synthetic DocumentEntries, spread evenly over the patients, generated lazily. */
export function* syntheticEntries(entries: number, patients: number): Generator<DocumentEntry> {
  const rand = rng(42);
  for (let n = 0; n < entries; n++) {
    const entryUuid = `urn:uuid:00000000-0000-4000-8000-${hex12(n)}`;
    const day = 1 + Math.floor(rand() * 28);
    const month = 1 + Math.floor(rand() * 12);
    const dtm = `20${String(10 + Math.floor(rand() * 15))}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}1015`;
    yield {
      kind: 'DocumentEntry',
      entryUuid,
      logicalId: entryUuid,
      version: 1,
      status: rand() < 0.1 ? Status.Deprecated : Status.Approved,
      extraSlots: [],
      objectType: DocumentEntryType.Stable,
      mimeType: 'text/xml',
      patientId: benchPatientId(n % patients),
      uniqueId: `1.2.208.184.100.1.${n}`,
      hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      size: 10_240,
      repositoryUniqueId: '1.3.6.1.4.1.21367.2010.1.2.1125',
      creationTime: dtm,
      serviceStartTime: dtm,
      serviceStopTime: dtm,
      languageCode: 'da-DK',
      sourcePatientId: benchPatientId(n % patients),
      sourcePatientInfo: [],
      title: { value: `Epikrise ${n}` },
      classCode: { code: CLASS_CODES[Math.floor(rand() * CLASS_CODES.length)], scheme: CLASS_SCHEME },
      typeCode: { code: TYPE_CODES[Math.floor(rand() * TYPE_CODES.length)], scheme: '2.16.840.1.113883.6.1' },
      formatCode: { code: 'urn:ad:dk:medcom:phmr:full', scheme: '1.2.208.184.100.10' },
      healthcareFacilityTypeCode: { code: '22232009', scheme: '2.16.840.1.113883.6.96' },
      practiceSettingCode: { code: '408443003', scheme: '2.16.840.1.113883.6.96' },
      confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25' }],
      eventCodes: [],
      authors: [{ person: `^Hansen${n % 997}^Hans^^^`, institutions: [], roles: [], specialties: [], telecoms: [] }],
      referenceIds: [],
    };
  }
}

/**
 * The benchmark's query mix: a random patient and one of the class codes (about one Approved hit each).
 * Exported so the end-to-end (SOAP) benchmark can send the very same FindDocuments queries.
 */
export function benchQueries(patients: number, seed = 7): () => { patientId: string; classCode: string } {
  const rand = rng(seed);
  return () => ({
    patientId: benchPatientId(Math.floor(rand() * patients)),
    classCode: CLASS_CODES[Math.floor(rand() * CLASS_CODES.length)],
  });
}

function progressBar(done: number, total: number, startedAt: number): string {
  const width = 40;
  const filled = Math.round((done / total) * width);
  const rate = done / Math.max(0.001, (performance.now() - startedAt) / 1000);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((done / total) * 100).toFixed(1)}% ${done}/${total} ${Math.round(rate)}/s`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runStoreFindDocumentsBench(options: StoreBenchOptions): Promise<StoreBenchResult> {
  const tmpDir = options.file ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'xds-bench-'));
  const file = options.file ?? path.join(tmpDir!, 'registry.db');
  const stores = openSqliteStores(file);
  const store = stores.metadata;
  const showProgress = options.progress ?? true;
  try {
    let loadSeconds: number | null = null;
    let loadCpuSeconds: number | null = null;
    const existing = (await store.countObjects()).DocumentEntry;
    if (existing !== options.entries) {
      if (existing !== 0) throw new Error(`${file} holds ${existing} entries, not ${options.entries}; use another --file`);
      const started = performance.now();
      const loadCpu0 = process.cpuUsage();
      store.bulkLoadDocumentEntries(syntheticEntries(options.entries, options.patients), {
        batchSize: 20_000,
        onProgress: (n) => {
          if (showProgress) process.stderr.write(progressBar(n, options.entries, started));
        },
      });
      if (showProgress) process.stderr.write('\n');
      store.analyze();
      loadSeconds = (performance.now() - started) / 1000;
      const c = process.cpuUsage(loadCpu0);
      loadCpuSeconds = (c.user + c.system) / 1e6;
    }

    const next = benchQueries(options.patients);
    const query = () => {
      const q = next();
      return store.findDocumentEntries(
        {
          patientIds: [q.patientId],
          statuses: [Status.Approved],
          classCode: [[{ code: q.classCode, scheme: CLASS_SCHEME }]],
        },
        { limit: 10_001 },
      );
    };
    for (let i = 0; i < Math.min(2000, options.queries); i++) await query();

    const times: number[] = [];
    let hits = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < options.queries; i++) {
      const s = performance.now();
      hits += (await query()).length;
      times.push(performance.now() - s);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    times.sort((a, b) => a - b);
    const dbBytes = ['', '-wal'].reduce((sum, ext) => sum + (fs.existsSync(file + ext) ? fs.statSync(file + ext).size : 0), 0);
    return {
      entries: options.entries,
      patients: options.patients,
      loadSeconds,
      loadRate: loadSeconds ? Math.round(options.entries / loadSeconds) : null,
      loadCpuSeconds: loadCpuSeconds === null ? null : Number(loadCpuSeconds.toFixed(1)),
      queries: options.queries,
      queriesPerSecond: Math.round(options.queries / elapsed),
      p50Ms: Number(percentile(times, 50).toFixed(3)),
      p99Ms: Number(percentile(times, 99).toFixed(3)),
      meanHits: Number((hits / options.queries).toFixed(2)),
      cpuMsPerQuery: Number(((cpu.user + cpu.system) / 1000 / options.queries).toFixed(3)),
      dbBytes,
    };
  } finally {
    await stores.close();
    if (tmpDir && !options.keep) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await runStoreFindDocumentsBench({
    entries: Number(arg('entries') ?? 1_000_000),
    patients: Number(arg('patients') ?? 100_000),
    queries: Number(arg('queries') ?? 20_000),
    file: arg('file'),
    keep: process.argv.includes('--keep'),
  });
  const load =
    result.loadSeconds === null
      ? 'reused'
      : `${result.loadSeconds.toFixed(1)} s (${result.loadRate}/s, ${result.loadCpuSeconds} s CPU)`;
  console.log(
    `store FindDocuments (patient+status+classCode), ${result.entries} entries / ${result.patients} patients: ` +
      `${result.queriesPerSecond} queries/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
      `${result.meanHits} hits/query, ${result.cpuMsPerQuery} ms CPU/query; load ${load}; db ${(result.dbBytes / 1e6).toFixed(0)} MB`,
  );
  console.log(JSON.stringify({ bench: 'store-finddocuments', ...result }));
}
