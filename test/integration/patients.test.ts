/**
 * Patient identity end to end on the embedded SQLite PatientStore: ITI-8 messages over a real MLLP
 * socket, the admin REST endpoint, and the registry's isKnown view, surviving a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHl7 } from '../../src/patients/hl7-message.js';
import { createPatientAdminRouter, PatientIdentityService, startIdentityFeedListener, type MllpServer } from '../../src/patients/index.js';
import { encodeMllpFrame } from '../../src/patients/mllp-framing.js';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/index.js';
import { MllpTestClient } from '../unit/patients/mllp-client.js';

const DOMAIN = '1.3.6.1.4.1.21367.2005.13.20.1000';

/** The message shape of the NIST XDS Toolkit's Patient Identity Feed (tests 15817, 15817b, 15818). */
function nistA01(pid: string, control: string): string {
  return [
    `MSH|^~\\&|NIST_SENDER|NIST|NIST_RECEIVER|NIST|201301011226||ADT^A01|${control}|P|2.3|`,
    'EVN||20090224104145-0600',
    `PID|||${pid}||APPLESEED^JOHN^A^III||19710101|M||C|1^CATALYZE STREET^^MADISON^WI^53005-1020|GL|(414)379-1212|(414)271-3434||S||MRN12345001^2^M10|123456789|987654^NC|`,
    'PV1||I',
  ]
    .map((s) => `${s}\r`)
    .join('');
}

interface Hub {
  stores: SqliteStores;
  identity: PatientIdentityService;
  mllp: MllpServer;
  http: express.Express;
  close(): Promise<void>;
}

async function startHub(file: string): Promise<Hub> {
  const stores = openSqliteStores(file);
  const identity = new PatientIdentityService({ patients: stores.patients, autoAcceptAssigningAuthorities: [] });
  const mllp = await startIdentityFeedListener({ host: '127.0.0.1', port: 0, identity, affinityDomainAuthorities: [DOMAIN] });
  const http = express();
  http.use('/api/patients', createPatientAdminRouter({ identity }));
  return {
    stores,
    identity,
    mllp,
    http,
    close: async () => {
      await mllp.close();
      await stores.close();
    },
  };
}

let dir: string;
let hub: Hub | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'xds-patients-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('patient identity on SQLite', () => {
  it('NIST 15817/15817b/15818 feeds over MLLP are accepted and the patients become known', async () => {
    hub = await startHub(path.join(dir, 'registry.db'));
    const ids = ['P0614133506.2', 'P0614133506.3', 'P0614133507.1'].map((p) => `${p}^^^&${DOMAIN}&ISO`);
    const client = await MllpTestClient.connect(hub.mllp.port);
    // all three in one write, the way a fast sender may batch them
    await client.write(Buffer.concat(ids.map((id, i) => encodeMllpFrame(nistA01(id, `HL7MSG0000${i + 1}`)))));
    const replies = await client.waitForReplies(3);
    client.end();
    expect(replies.map((r) => [parseHl7(r).value('MSA', 1), parseHl7(r).value('MSA', 2)])).toEqual([
      ['AA', 'HL7MSG00001'],
      ['AA', 'HL7MSG00002'],
      ['AA', 'HL7MSG00003'],
    ]);
    for (const id of ids) expect(await hub.identity.isKnown(id)).toBe(true);
    expect(await hub.identity.isKnown(`UNKNOWN^^^&${DOMAIN}&ISO`)).toBe(false);
    const stored = await hub.stores.patients.get(ids[0]!);
    expect(stored).toMatchObject({ source: 'iti8', demographics: { familyName: 'APPLESEED', birthDate: '19710101', sex: 'M' } });
  });

  it('a bad message gets its NAK over MLLP and stores nothing', async () => {
    hub = await startHub(path.join(dir, 'registry.db'));
    const client = await MllpTestClient.connect(hub.mllp.port);
    await client.write(Buffer.concat([encodeMllpFrame('garbage'), encodeMllpFrame(nistA01('', 'NOPID1'))]));
    const [garbage, noPid] = await client.waitForReplies(2);
    client.end();
    expect(parseHl7(garbage!).value('MSA', 1)).toBe('AR');
    expect([parseHl7(noPid!).value('MSA', 1), parseHl7(noPid!).value('MSA', 2)]).toEqual(['AE', 'NOPID1']);
    expect(await hub.stores.patients.list()).toEqual([]);
  });

  it('admin REST and the feed share the store; A40 merge deactivates the prior id; all survive a restart', async () => {
    const file = path.join(dir, 'registry.db');
    hub = await startHub(file);
    const adminId = `ADM1^^^&${DOMAIN}&ISO`;
    const created = await request(hub.http).post('/api/patients').send({ patientId: adminId, demographics: { familyName: 'Admin' } });
    expect(created.status).toBe(201);

    const survivor = `SURV1^^^&${DOMAIN}&ISO`;
    const a40 = [
      `MSH|^~\\&|PIX|HOSP|XDS|HUB|20250101||ADT^A40^ADT_A39|MRG-1|P|2.5`,
      'EVN|A40|20250101',
      `PID|||${survivor}||Survivor^Sue`,
      `MRG|${adminId}`,
    ].join('\r');
    const client = await MllpTestClient.connect(hub.mllp.port);
    await client.write(encodeMllpFrame(a40));
    const [ack] = await client.waitForReplies(1);
    client.end();
    expect(parseHl7(ack!).value('MSA', 1)).toBe('AA');
    expect(await hub.identity.isKnown(adminId)).toBe(false);
    expect(await hub.identity.isKnown(survivor)).toBe(true);

    await hub.close();
    hub = await startHub(file);
    expect(await hub.identity.isKnown(adminId)).toBe(false);
    expect(await hub.identity.isKnown(survivor)).toBe(true);
    const merged = await request(hub.http).get(`/api/patients/${encodeURIComponent(adminId)}`);
    expect(merged.body).toMatchObject({ mergedInto: survivor, active: false, demographics: { familyName: 'Admin' } });
    const list = await request(hub.http).get('/api/patients').query({ prefix: 'SURV' });
    expect(list.body.patients.map((p: { patientId: string }) => p.patientId)).toEqual([survivor]);
  });
});
