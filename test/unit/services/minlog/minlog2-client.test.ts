import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMinLog2Client } from '../../../../src/services/minlog/minlog2-client.js';
import { createMinLogDescriptors } from '../../../../src/services/minlog/descriptors.js';
import { minLogJobHandler } from '../../../../src/services/minlog/minlog-worker.js';
import type { MinLogRegistration } from '../../../../src/services/minlog/registration.js';
import { SqliteMinLogStore } from '../../../../src/services/minlog/sqlite-minlog-store.js';
import { dgwsHeaderBlocks } from '../../../../src/services/sts/sts-client.js';
import { issueIdCard } from '../../../../src/services/sts/id-card-issuer.js';
import { nspSoapHarness, type NspSoapHarness } from '../../hooks/support/nsp-soap.js';

const registration: MinLogRegistration = {
  systemName: 'DDS',
  activity: 'Hentning af dokument (Dokumentdelingsservice)',
  addition: 'Værdispring',
  dateTime: '2026-11-28T09:00:00.000Z',
  organisation: { id: '100002', source: 'SOR', name: 'Afd. & Co <x>' },
  citizen: { id: '0101801234', source: 'CPR' },
  user: { id: '1111111118', source: 'CPR', role: 'Læge' },
  onBehalfOf: { id: '2222222226', source: 'CPR' },
  correlationId: 'req-1',
  source: { systemName: 'EPJ', correlationId: 'msg-1' },
};

describe('MinLog2 AddRegistrations client (worker sink) against the hub MinLog service', () => {
  let remote: SqliteMinLogStore;
  let h: NspSoapHarness;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    remote = new SqliteMinLogStore(':memory:');
    h = nspSoapHarness([{ path: '/minlog', descriptors: createMinLogDescriptors(remote) }]);
    server = http.createServer(h.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/minlog`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    h.dispose();
    await remote.close();
  });

  const client = () =>
    createMinLog2Client({
      url,
      securityHeaders: () => dgwsHeaderBlocks(issueIdCard(h.ca, { type: 'system', systemName: 'xds-hub', careProvider: { type: 'cvrnumber', id: '30808460', name: 'Hub' }, now: new Date() }), { securityLevel: 3 }),
    });

  it('ships a registration with DGWS, field for field, and a repeated job registers nothing twice', async () => {
    const handle = minLogJobHandler(client());
    const job = { id: '1', queue: 'minlog.registration', key: 'minlog:req-1:0101801234', attempts: 1, payload: registration };
    await handle(job);
    await handle({ ...job, attempts: 2 });
    const [stored, ...rest] = await remote.extract('0101801234');
    expect(rest).toEqual([]);
    const { key, registeredAt, sequenceNumber, filters, ...fields } = stored!;
    expect(key).toMatch(/^ext:DDS:req-1:[0-9a-f]{36}$/);
    expect(sequenceNumber).toHaveLength(36);
    expect(filters).toEqual([]);
    expect(registeredAt).toBeDefined();
    expect(fields).toEqual(registration);
  });

  it('throws (retry, then dead letter) when MinLog refuses an entry or the call is refused', async () => {
    await expect(client().add([{ key: 'k', registration: { ...registration, dateTime: '2014-01-01T00:00:00Z' } }])).rejects.toThrow(/MinLog refused 1 of 1 registrations: invalid_request.*'DateTime'.*minInclusive/);
    const unsigned = createMinLog2Client({ url, securityHeaders: () => [] });
    await expect(unsigned.add([{ key: 'k', registration }])).rejects.toThrow(/HTTP 500/);
  });
});
