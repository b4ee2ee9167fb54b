/**
 * Issue #5: every registered read path of a real hub passes consent and logging. The hub comes from
 * createHub (test/support/hub.ts) with its security stack on (no insecure mode) and the development STS;
 * its read paths are enumerated from hub.descriptors (readPath: true) and each must have a driver here, so
 * a new read path without one fails this test. Each is driven over HTTP as a DGWS 1.0.1 request (system ID
 * card from the dev STS + HSUID header) under the consent rules: no consent (full result, MinLog + audit +
 * BRS order), a general block for the requester (nothing returned, nothing logged), a data-specific block
 * (filtered + `urn:dk:nsi:Consent Filter Applied`), ConsentOverride (full result, MinLog Addition=Værdispring)
 * and the citizen's own data.
 *
 * The hub's runner is the object every read service holds; the test wraps it (Object.assign on hub.hooks)
 * to watch which transactions reach it.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hl7Now, sampleSubmission } from '../../src/client/sample-submission.js';
import type { ReadHooks } from '../../src/hooks/audit/read-hooks.js';
import { CONSENT_FILTER_APPLIED } from '../../src/hooks/consent/consent-hook.js';
import type { HookRunner } from '../../src/hooks/types.js';
import { buildDgwsEnvelope, type HsuidInput } from '../../src/services/sts/dgws-envelope.js';
import { issueIdCard } from '../../src/services/sts/id-card-issuer.js';
import { OutboxDispatcher } from '../../src/storage/outbox-dispatcher.js';
import { createLogger } from '../../src/util/logger.js';
import { hashPassword } from '../../src/admin/auth/password.js';
import { ADMIN_READ_TRANSACTION } from '../../src/admin/api/read-path.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';
import { escapeText } from '../../src/xml/escape.js';
import { parseXml } from '../../src/xml/parse.js';
import { descendants, type XmlElement } from '../../src/xml/tree.js';
import { createTestHub, type TestHub } from '../support/hub.js';

const PNR = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';
const CPR_OID = '1.2.208.176.1.2';
const DOCTOR = '1111111118';

let t: TestHub;
let read: ReadHooks;
let dispatcher: OutboxDispatcher;
let hsuid: HsuidInput;
const auditLines: Record<string, unknown>[] = [];
const seen: { authorize: string[]; record: string[] } = { authorize: [], record: [] };

function professional(extra: Partial<HsuidInput> = {}): HsuidInput {
  return { userType: 'nsi:HealthcareProfessional', actingUserCpr: DOCTOR, responsibleUserCpr: DOCTOR, responsibleUserAuthorizationCode: 'ABC12', orgUsingId: { id: '100002', format: 'nsi:sor' }, systemName: 'EPJ Test', ...extra };
}

/** The issue #5 runner, watched: which transactions reached authorizeRead and recordRead. */
function watched(inner: HookRunner): HookRunner {
  return {
    async authorizeRead(access) {
      seen.authorize.push(access.context.transaction);
      return inner.authorizeRead(access);
    },
    async recordRead(r) {
      seen.record.push(r.context.transaction);
      return inner.recordRead(r);
    },
  };
}

beforeAll(async () => {
  const log = createLogger('info', (line) => auditLines.push(JSON.parse(line) as Record<string, unknown>));
  const adminHash = await hashPassword(ADMIN_PASSWORD, { N: 1024, r: 8, p: 1 });
  t = await createTestHub(
    { insecureDevelopment: false, brs: { externalReferenceId: 'dds', queryableCvr: '30808460' } },
    { XDS_DEV_STS: '1', XDS_ADMIN_USERS: `operator:${adminHash}:${ADMIN_CPR}` },
    log,
  );
  read = t.hub.read;
  // A second dispatcher, not started: settle() drains the outbox now instead of waiting for the hub's poll.
  dispatcher = new OutboxDispatcher(t.hub.backends.metadata, t.hub.backends.queue);
  await read.consentStore.upsertSorUnits([{ sorId: '100001' }, { sorId: '100002', parentSorId: '100001' }]);
  // Watch the hub's own runner: the object every read service holds.
  const inner = { authorizeRead: t.hub.hooks.authorizeRead, recordRead: t.hub.hooks.recordRead };
  Object.assign(t.hub.hooks, watched(inner));
});
afterAll(async () => {
  await t?.cleanup();
});

/** A DGWS request: a system ID card from the hub's development STS and the current HSUID header. */
async function soap12(p: string, action: string, bodyXml: string): Promise<XmlElement> {
  const now = new Date();
  const card = issueIdCard(t.hub.security.devSts!, { type: 'system', systemName: 'EPJ Test', careProvider: { type: 'cvrnumber', id: '30808460', name: 'Region Test' }, now });
  const env = buildDgwsEnvelope({ soapVersion: '1.2', action, idCardXml: card, medcom: { securityLevel: 3 }, hsuid, bodyXml, created: now });
  const res = await request(t.hub.app)
    .post(p)
    .set('content-type', `application/soap+xml; charset=UTF-8; action="${action}"`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .send(Buffer.from(env));
  let raw = res.body as Buffer;
  const ct = String(res.headers['content-type']);
  if (ct.startsWith('multipart/related')) {
    // the root part is the first part; the envelope ends before the next boundary
    const boundary = /boundary="?([^";]+)"?/.exec(ct)![1]!;
    const text = raw.toString('latin1');
    const first = text.split(`--${boundary}`)[1]!;
    raw = Buffer.from(first.slice(first.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, ''), 'latin1');
  }
  const envelope = parseXml(raw);
  const body = envelope.children.find((c) => c.name === 'Body')!.children[0]!;
  if (body.name === 'Fault') throw new Error(`SOAP fault from ${p}: ${raw.toString()}`);
  return body;
}

interface Seeded {
  cpr: string;
  pid: string;
  uids: string[];
}

let cprCounter = 0;
async function seed(): Promise<Seeded> {
  const cpr = String(3000000000 + Math.floor(Math.random() * 1e6) * 100 + cprCounter++);
  const pid = `${cpr}^^^&${CPR_OID}&ISO`;
  await t.hub.identity.register(pid, 'test');
  const uids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const uid = `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;
    const sub = sampleSubmission({ patientId: pid, documentUniqueId: uid, submissionSetUniqueId: `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`, sourceId: '1.3.6.1.4.1.21367.2010.1.2.1', mimeType: 'text/plain', title: 'read path', now: hl7Now() });
    const xml = `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sub.submitObjectsRequestXml}<xdsb:Document id="${sub.documentEntryUuid}">${Buffer.from(`doc ${i}`).toString('base64')}</xdsb:Document></xdsb:ProvideAndRegisterDocumentSetRequest>`;
    const r = await soap12('/xds/repository', PNR, xml);
    expect(r.attrs.status).toMatch(/Success$/);
    uids.push(uid);
  }
  return { cpr, pid, uids };
}

interface ReadResult {
  uids: string[];
  codeContexts: string[];
}

const slotQuery = (id: string, pidSlot: string, pidValue: string, extraSlots = '') =>
  `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}"><query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/>` +
  `<rim:AdhocQuery id="${id}"><rim:Slot name="${pidSlot}"><rim:ValueList><rim:Value>${escapeText(pidValue)}</rim:Value></rim:ValueList></rim:Slot>${extraSlots}` +
  `<rim:Slot name="$XDSDocumentEntryStatus"><rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')</rim:Value></rim:ValueList></rim:Slot></rim:AdhocQuery></query:AdhocQueryRequest>`;

function queryResult(body: XmlElement, s: Seeded): ReadResult {
  const ids = descendants(body, NS.rim, 'ExternalIdentifier').map((x) => x.attrs.value ?? '');
  return { uids: s.uids.filter((u) => ids.includes(u)), codeContexts: descendants(body, NS.rs, 'RegistryError').map((e) => e.attrs.codeContext ?? '') };
}

// ITI-51 FindDocumentsForMultiplePatients needs a class, event or facility code (ITI TF-2b §3.51.4.1.2).
const CLASS_SLOT = `<rim:Slot name="$XDSDocumentEntryClassCode"><rim:ValueList><rim:Value>('DEMO-CLASS^^1.3.6.1.4.1.21367.100.1')</rim:Value></rim:ValueList></rim:Slot>`;

/** One driver per read path; the enumeration below fails for a read path without one. */
const DRIVERS: Record<string, (s: Seeded) => Promise<ReadResult>> = {
  'ITI-18': async (s) => queryResult(await soap12('/xds/registry', 'urn:ihe:iti:2007:RegistryStoredQuery', slotQuery('urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d', '$XDSDocumentEntryPatientId', `'${s.pid}'`)), s),
  'ITI-51': async (s) => queryResult(await soap12('/xds/registry', 'urn:ihe:iti:2009:MultiPatientStoredQuery', slotQuery('urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f', '$XDSDocumentEntryPatientId', `('${s.pid}')`, CLASS_SLOT)), s),
  'ITI-43': async (s) => {
    const xml =
      `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${NS.xdsb}">` +
      s.uids.map((u) => `<xdsb:DocumentRequest><xdsb:RepositoryUniqueId>${t.hub.config.repositoryUniqueId}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${u}</xdsb:DocumentUniqueId></xdsb:DocumentRequest>`).join('') +
      '</xdsb:RetrieveDocumentSetRequest>';
    const body = await soap12('/xds/repository', 'urn:ihe:iti:2007:RetrieveDocumentSet', xml);
    return { uids: descendants(body, NS.xdsb, 'DocumentUniqueId').map((e) => e.text).filter((u) => s.uids.includes(u)), codeContexts: descendants(body, NS.rs, 'RegistryError').map((e) => e.attrs.codeContext ?? '') };
  },
};

/** Dispatches the outbox and waits until the MinLog and BRS workers have drained the queue. */
async function settle(): Promise<void> {
  while ((await dispatcher.dispatchOnce()) > 0);
  for (let i = 0; i < 400; i++) {
    const m = await t.hub.backends.queue.counts('minlog.registration');
    const b = await t.hub.backends.queue.counts('brs.followup');
    if (m.waiting + m.active + b.waiting + b.active === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the MinLog/BRS queues did not drain');
}

const auditFor = (cpr: string) => auditLines.filter((l) => l.category === 'dk.sds.nsp.audit.log' && JSON.stringify(l).includes(cpr));

const readPaths = () => t.hub.readPaths;
const ADMIN_PASSWORD = 'correct horse battery staple';
const ADMIN_CPR = '0101701234';

/** The admin document view (issue #8): log in, then read the document's bytes through the admin API. */
async function adminRead(uid: string): Promise<{ status: number; text: string }> {
  const agent = request.agent(t.hub.app);
  await agent.post('/admin/api/login').send({ username: 'operator', password: ADMIN_PASSWORD }).expect(200);
  const [entry] = await t.hub.backends.metadata.findDocumentEntries({ uniqueIds: [uid] });
  const res = await agent.get(`/admin/api/documents/${encodeURIComponent(entry!.entryUuid)}/content?download=1`);
  return { status: res.status, text: res.text ?? String(res.body) };
}

describe('every registered read path passes consent and logging', () => {
  it('the hub registers read paths, and each has a driver here', () => {
    // Both ways: a new read path needs a driver here, and every driver drives a registered read path.
    expect(readPaths()).toEqual(expect.arrayContaining(['ITI-18', 'ITI-43', ADMIN_READ_TRANSACTION]));
    expect([...readPaths()].sort()).toEqual([...Object.keys(DRIVERS), ADMIN_READ_TRANSACTION].sort());
  });

  describe(ADMIN_READ_TRANSACTION, () => {
    it('an admin reading a document passes the consent hook and is recorded (audit names the admin user)', async () => {
      hsuid = professional();
      const s = await seed();
      const authorized = seen.authorize.filter((x) => x === ADMIN_READ_TRANSACTION).length;
      const recorded = seen.record.filter((x) => x === ADMIN_READ_TRANSACTION).length;
      const r = await adminRead(s.uids[0]!);
      expect(r.status).toBe(200);
      expect(seen.authorize.filter((x) => x === ADMIN_READ_TRANSACTION)).toHaveLength(authorized + 1);
      expect(seen.record.filter((x) => x === ADMIN_READ_TRANSACTION)).toHaveLength(recorded + 1);
      const audit = auditFor(s.cpr).filter((l) => JSON.stringify(l).includes(ADMIN_READ_TRANSACTION));
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).toContain('operator');
      // The citizen sees the operator's read in MinLog, under the CPR configured for the admin user.
      await settle();
      const log = await read.minlogStore.extract(s.cpr);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ citizen: { id: s.cpr, source: 'CPR' }, user: { id: ADMIN_CPR, source: 'CPR' }, activity: 'Visning af dokument i administrationsværktøj' });
    });
  });

  for (const id of Object.keys(DRIVERS)) {
    describe(id, () => {

      it('no consent registration: full result, one MinLog registration, one audit record, one BRS follow-up', async () => {
        hsuid = professional();
        const s = await seed();
        const before = seen.authorize.length;
        const r = await DRIVERS[id]!(s);
        expect(seen.authorize.length).toBe(before + 1);
        expect(r.uids.sort()).toEqual([...s.uids].sort());
        expect(r.codeContexts).toEqual([]);
        await settle();
        const log = await read.minlogStore.extract(s.cpr);
        expect(log).toHaveLength(1);
        expect(log[0]).toMatchObject({ systemName: 'DDS', citizen: { id: s.cpr, source: 'CPR' }, user: { id: DOCTOR, source: 'CPR' }, organisation: { id: '100002', source: 'SOR' } });
        expect(log[0]!.addition).toBeUndefined();
        expect(auditFor(s.cpr)).toHaveLength(1);
        const notes = (await read.brsNotifications.after('30808460', 0, 10000)).filter((n) => n.request.patientCpr === s.cpr);
        expect(notes).toHaveLength(1);
        expect(notes[0]!.request.healthcareProfessionalCpr).toBe(DOCTOR);
      });

      it('a general block for the requester: nothing returned, nothing logged', async () => {
        hsuid = professional();
        const s = await seed();
        await read.consentService.addConstraint({ citizenCpr: s.cpr, who: { kind: 'professional', cpr: DOCTOR }, validFrom: new Date().toISOString() }, {});
        const records = seen.record.length;
        const r = await DRIVERS[id]!(s);
        expect(r.uids).toEqual([]);
        expect(r.codeContexts).not.toContain(CONSENT_FILTER_APPLIED);
        expect(seen.record.length).toBe(records);
        await settle();
        expect(await read.minlogStore.extract(s.cpr)).toEqual([]);
        expect(auditFor(s.cpr)).toEqual([]);
      });

      it('a data-specific block: the blocked document is filtered and the answer warns Consent Filter Applied', async () => {
        hsuid = professional();
        const s = await seed();
        await read.consentService.addConstraint({ citizenCpr: s.cpr, what: { documentUniqueIds: [s.uids[0]!] }, validFrom: new Date().toISOString() }, {});
        const r = await DRIVERS[id]!(s);
        expect(r.uids).toEqual([s.uids[1]]);
        expect(r.codeContexts).toContain(CONSENT_FILTER_APPLIED);
        await settle();
        expect(await read.minlogStore.extract(s.cpr)).toHaveLength(1);
      });

      it('ConsentOverride (værdispring): the full result, logged with Addition Værdispring', async () => {
        hsuid = professional({ consentOverride: true });
        const s = await seed();
        await read.consentService.addConstraint({ citizenCpr: s.cpr, validFrom: new Date().toISOString() }, {});
        const r = await DRIVERS[id]!(s);
        expect(r.uids.sort()).toEqual([...s.uids].sort());
        await settle();
        const log = await read.minlogStore.extract(s.cpr);
        expect(log.map((e) => e.addition)).toEqual(['Værdispring']);
      });

      it('the citizen reading their own data sees it all, even under a block on everyone, and is not MinLogged', async () => {
        const s = await seed();
        hsuid = { userType: 'nsi:Citizen', actingUserCpr: s.cpr, citizenCpr: s.cpr, systemName: 'sundhed.dk' };
        await read.consentService.addConstraint({ citizenCpr: s.cpr, validFrom: new Date().toISOString() }, {});
        const r = await DRIVERS[id]!(s);
        expect(r.uids.sort()).toEqual([...s.uids].sort());
        await settle();
        expect(await read.minlogStore.extract(s.cpr)).toEqual([]);
        expect(auditFor(s.cpr)).toHaveLength(1);
      });
    });
  }
});
