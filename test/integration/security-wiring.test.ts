/**
 * Issue #4 wiring: the XDS endpoints are behind the one security stack. Without the explicit insecure
 * development mode a request without an ID card is refused with the DGWS fault code; a card issued by the
 * (trusted) development STS is accepted and the reply carries the medcom:Header.
 */
import request from 'supertest';
import { findDocumentsRequestXml } from '../../src/client/find-documents-request.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope12 } from '../../src/client/soap-client.js';
import { dgwsHeaderBlocks } from '../../src/services/sts/sts-client.js';
import { issueIdCard } from '../../src/services/sts/id-card-issuer.js';
import { createTestHub, type TestHub } from '../support/hub.js';

const SQ = 'urn:ihe:iti:2007:RegistryStoredQuery';
const query = findDocumentsRequestXml('1^^^&1.2.3&ISO');

let t: TestHub;
beforeAll(async () => {
  t = await createTestHub({ insecureDevelopment: false }, { XDS_DEV_STS: '1' });
});
afterAll(async () => t?.cleanup());

function send(headers: string[]) {
  return request(t.hub.app)
    .post('/xds/registry')
    .set('content-type', `application/soap+xml; charset=UTF-8; action="${SQ}"`)
    .send(envelope12(SQ, 'http://localhost/xds/registry', query, headers));
}

describe('security stack on the XDS endpoints', () => {
  it('refuses a request without an ID card with missing_required_header', async () => {
    const res = await send([]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).toContain('Fault');
    expect(res.text).toMatch(/FaultCode[^>]*>missing_required_header</);
    expect(res.text).not.toContain('RegistryObjectList');
  });

  it('accepts a user ID card from the trusted development STS and answers with a medcom:Header', async () => {
    const ca = t.hub.security.devSts!;
    const card = issueIdCard(ca, {
      type: 'user',
      level: 4,
      cpr: '0101801234',
      role: 'Læge',
      authorizationCode: 'ABC12',
      systemName: 'test',
      careProvider: { type: 'cvrnumber', id: '20921897', name: 'Test Hospital' },
    });
    const res = await send(dgwsHeaderBlocks(card, { securityLevel: 4 }));
    expect(res.status).toBe(200);
    expect(res.text).toContain('ResponseStatusType:Success');
    expect(res.text).toMatch(/medcom:Header|dgws-1\.0\.xsd/);
  });
});
