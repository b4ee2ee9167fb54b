/**
 * Cluster mode (XDS_HTTP_PROCESSES=2, src/cluster/): the hub started as `npm start` starts it, with its
 * development STS, security on, and every request on a new TCP connection so that node:cluster's
 * round-robin spreads them over both HTTP workers. What one worker writes the other reads; reads in the
 * workers reach MinLog through the primary's outbox dispatcher and MinLog worker; a worker killed from
 * outside is replaced; SIGTERM stops the primary and every worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/admin/auth/password.js';
import { findDocumentsRequestXml } from '../../src/client/find-documents-request.js';
import { SoapClient } from '../../src/client/soap-client.js';
import { hl7Now, sampleSubmission } from '../../src/client/sample-submission.js';
import { dgwsHeaderBlocks, requestIdCard } from '../../src/services/sts/sts-client.js';
import { SqliteMinLogStore } from '../../src/services/minlog/sqlite-minlog-store.js';
import { child, childrenNamed, descendants } from '../../src/xml/tree.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CPR_OID = '1.2.208.176.1.2';

/** fetch on a fresh connection each time (no keep-alive), so the cluster hands each request to the next worker. */
const freshConnectionFetch: typeof fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(String(input));
    const body = init?.body === undefined || init.body === null ? undefined : Buffer.from(init.body as Uint8Array | string);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const req = http.request(url, { method: init?.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const one of [v ?? []].flat()) h.append(k, one);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: h }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    // a connection handed to a worker just as it was killed is never answered
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.end(body);
  });

async function health(baseUrl: string): Promise<{ status: string; worker?: number }> {
  return (await freshConnectionFetch(`${baseUrl}/health`)).json() as Promise<{ status: string; worker?: number }>;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statusOf = (el: { attrs: Readonly<Record<string, string>> }) => (el.attrs.status ?? '').split(':').pop();
/** the primary's HTTP workers: its child processes running src/main.ts (tsx also starts an esbuild child). */
const workerPids = (primaryPid: number) =>
  spawnSync('pgrep', ['-P', String(primaryPid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('src/main.ts');
      } catch {
        return false;
      }
    });

/** live processes whose environment holds this NAME=value entry. */
function processesWithEnv(entry: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function userIdCard(): Promise<string> {
  return requestIdCard(baseUrl, {
    type: 'user',
    level: 4,
    cpr: '0101801234',
    givenName: 'Cluster',
    surName: 'Doctor',
    role: 'Læge',
    authorizationCode: 'ABC12',
    systemName: 'xds-hub cluster test',
    careProvider: { type: 'cvrnumber', id: '20921897', name: 'Test Hospital' },
  });
}

const ADMIN_USER = 'operator';
const ADMIN_PASSWORD = 'correct horse battery staple';

let dataDir: string;
let hub: ChildProcess;
let baseUrl: string;
let stderr = '';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'xds-cluster-'));
  hub = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      XDS_DATA_DIR: dataDir,
      XDS_HTTP_PORT: '0',
      XDS_HTTP_HOST: '127.0.0.1',
      XDS_MLLP_PORT: '-1',
      XDS_HTTP_PROCESSES: '2',
      XDS_DEV_STS: '1',
      XDS_INSECURE_DEV: '0',
      XDS_AUTO_ACCEPT_AUTHORITIES: CPR_OID,
      XDS_LOG_LEVEL: 'warn',
      XDS_ADMIN_USERS: `${ADMIN_USER}:${await hashPassword(ADMIN_PASSWORD, { N: 1024, r: 8, p: 1 })}`,
      XDS_ADMIN_SECURE_COOKIE: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    hub.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    hub.once('exit', (code) => reject(new Error(`hub exited with ${code} during start-up: ${stderr}`)));
  });
}, 120_000);

afterAll(async () => {
  if (hub && hub.exitCode === null && hub.signalCode === null) {
    const exited = new Promise((r) => hub.once('exit', r));
    hub.kill('SIGKILL');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('cluster mode: two HTTP workers behind one port', () => {
  it('answers on both workers, round-robin over new connections', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) seen.add((await health(baseUrl)).worker!);
    expect([...seen].sort()).toEqual([1, 2]);
    expect(workerPids(hub.pid!)).toHaveLength(2);
  });

  it('a document registered through one worker is found through both; their reads reach MinLog via the primary', async () => {
    const card = await userIdCard();
    const client = new SoapClient({ headers: async () => dgwsHeaderBlocks(card, { securityLevel: 4 }), fetchImpl: freshConnectionFetch });
    const cpr = '2512489996';
    const patientId = `${cpr}^^^&${CPR_OID}&ISO`;
    const uniqueId = `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;
    const sample = sampleSubmission({
      patientId,
      documentUniqueId: uniqueId,
      submissionSetUniqueId: `${uniqueId}.1`,
      sourceId: '1.3.6.1.4.1.21367.2010.1.2.1',
      mimeType: 'text/plain',
      title: 'Cluster note',
      now: hl7Now(),
    });
    const cid = `doc1.${randomUUID()}@cluster-test`;
    const pnr =
      `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sample.submitObjectsRequestXml}` +
      `<xdsb:Document id="${sample.documentEntryUuid}"><xop:Include xmlns:xop="${NS.xop}" href="cid:${cid}"/></xdsb:Document>` +
      `</xdsb:ProvideAndRegisterDocumentSetRequest>`;
    const r41 = await client.call(`${baseUrl}/xds/repository`, 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', pnr, [
      { contentId: cid, contentType: 'text/plain', bytes: Buffer.from('cluster') },
    ]);
    expect(statusOf(r41.body), r41.rawEnvelope).toBe('Success');

    const QUERIES = 6;
    for (let i = 0; i < QUERIES; i++) {
      const r18 = await client.call(`${baseUrl}/xds/registry`, 'urn:ihe:iti:2007:RegistryStoredQuery', findDocumentsRequestXml(patientId));
      expect(statusOf(r18.body), r18.rawEnvelope).toBe('Success');
      const list = child(r18.body, NS.rim, 'RegistryObjectList')!;
      const entries = childrenNamed(list, NS.rim, 'ExtrinsicObject');
      expect(entries.map((e) => e.attrs.id)).toEqual([sample.documentEntryUuid]);
      expect(descendants(entries[0]!, NS.rim, 'ExternalIdentifier').map((x) => x.attrs.value)).toContain(uniqueId);
    }

    // Each read is one MinLog registration for the citizen, made by the primary's MinLog worker.
    const minlog = new SqliteMinLogStore(path.join(dataDir, 'minlog.db'));
    try {
      const entries = await until(async () => {
        const got = await minlog.extract(cpr);
        return got.length >= QUERIES ? got : undefined;
      }, `${QUERIES} MinLog registrations`);
      expect(entries).toHaveLength(QUERIES);
    } finally {
      await minlog.close();
    }
  }, 90_000);

  it('a message replayed to the other worker is refused (shared MessageID store)', async () => {
    const blocks = dgwsHeaderBlocks(await userIdCard(), { securityLevel: 4 });
    const client = new SoapClient({ headers: async () => blocks, fetchImpl: freshConnectionFetch });
    const query = findDocumentsRequestXml('2512489996^^^&1.2.208.176.1.2&ISO');
    const first = await client.call(`${baseUrl}/xds/registry`, 'urn:ihe:iti:2007:RegistryStoredQuery', query);
    expect(statusOf(first.body), first.rawEnvelope).toBe('Success');
    // round-robin: the next two connections go to the other worker and back to the first
    for (let i = 0; i < 2; i++) {
      const again = await client.call(`${baseUrl}/xds/registry`, 'urn:ihe:iti:2007:RegistryStoredQuery', query);
      expect(again.body.name).toBe('Fault');
      expect(again.rawEnvelope).toContain('not_authorized');
      expect(again.rawEnvelope).toContain('replay');
    }
  });

  it('the admin UI is one across the workers: session, CSRF, activity of both, consistency check polled anywhere', async () => {
    const admin = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
      freshConnectionFetch(`${baseUrl}/admin/api${p}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const login = await admin('POST', '/login', { username: ADMIN_USER, password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    // the next connections alternate between the workers: the session is valid on both
    for (let i = 0; i < 3; i++) {
      const session = await admin('GET', '/session', undefined, { cookie });
      expect(session.status).toBe(200);
      expect(await session.json()).toEqual({ user: ADMIN_USER, csrfToken });
    }
    // the ITI-18s of the tests above, answered by both workers, are in the one activity view
    const activity = (await (await admin('GET', '/activity/transactions?limit=1000', undefined, { cookie })).json()) as {
      transactions: { transaction?: string; outcome: string }[];
    };
    const queries = activity.transactions.filter((t) => t.transaction === 'ITI-18');
    expect(queries.filter((t) => t.outcome === 'Success').length).toBeGreaterThanOrEqual(7);
    expect(queries.filter((t) => t.outcome === 'Fault').length).toBeGreaterThanOrEqual(2);
    // a consistency check started on one worker is polled to its end through both
    const started = await admin('POST', '/consistency-checks', {}, { cookie, 'x-csrf-token': csrfToken });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const done = await until(async () => {
      const polled = await admin('GET', `/consistency-checks/${id}`, undefined, { cookie });
      expect(polled.status).toBe(200);
      const job = (await polled.json()) as { state: string; summary: { entries: number } };
      return job.state === 'running' ? undefined : job;
    }, 'the consistency check');
    expect(done.state).toBe('done');
    expect(done.summary.entries).toBe(1);
  }, 90_000);

  it('replaces a worker killed from outside', async () => {
    const [victim] = workerPids(hub.pid!);
    process.kill(victim!, 'SIGKILL');
    await until(async () => ((await health(baseUrl)).worker === 3 ? true : undefined), 'worker 3 answering', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; hub log: ${stderr}`);
    });
    const pids = workerPids(hub.pid!);
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(victim);
  }, 90_000);

  it('SIGTERM stops the primary and every worker', async () => {
    const pids = workerPids(hub.pid!);
    const exited = new Promise<number | null>((r) => hub.once('exit', (code) => r(code)));
    hub.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('cluster mode without its primary', () => {
  it('the workers of a primary killed with SIGKILL stop by themselves (no orphan keeps the port or the files)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'xds-cluster-orphan-'));
    try {
      const primary = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, XDS_DATA_DIR: dir, XDS_HTTP_PORT: '0', XDS_HTTP_HOST: '127.0.0.1', XDS_MLLP_PORT: '-1', XDS_HTTP_PROCESSES: '2', XDS_INSECURE_DEV: '1', XDS_LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        primary.stdout!.on('data', (b: Buffer) => {
          out += b.toString();
          if (out.includes('listening on')) resolve();
        });
        primary.once('exit', (code) => reject(new Error(`hub exited with ${code} during start-up`)));
      });
      const workers = workerPids(primary.pid!);
      expect(workers).toHaveLength(2);
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGKILL');
      await exited;
      await until(async () => (processesWithEnv(`XDS_DATA_DIR=${dir}`).length === 0 ? true : undefined), 'the orphaned workers to stop', 30_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('cluster mode start-up failure', () => {
  it('a port already in use stops the start with the reason, and no process is left behind', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const dir = await mkdtemp(path.join(tmpdir(), 'xds-cluster-busy-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, XDS_DATA_DIR: dir, XDS_HTTP_PORT: String(port), XDS_HTTP_HOST: '127.0.0.1', XDS_MLLP_PORT: '-1', XDS_HTTP_PROCESSES: '2', XDS_INSECURE_DEV: '1', XDS_LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(1);
      expect(err).toContain('EADDRINUSE');
      expect(err).toContain('xds-hub failed to start: http worker 1 exited during start-up (code 1)');
      expect(err).not.toContain('starting a new one');
      // the workers were forked with this data directory in their environment: none may be left running
      expect(processesWithEnv(`XDS_DATA_DIR=${dir}`)).toEqual([]);
    } finally {
      blocker.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
