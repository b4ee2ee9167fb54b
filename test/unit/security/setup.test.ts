import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSecurityFromEnv } from '../../../src/security/setup.js';
import { requestIdCard, dgwsHeaderBlocks } from '../../../src/services/sts/sts-client.js';
import { soapRequestFromXml } from '../../../src/security/soap-request-from-xml.js';
import { NS } from '../../../src/security/namespaces.js';

describe('createSecurityFromEnv', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sec-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('with XDS_DEV_STS mounts the STS and NTS, trusts the STS, and a card fetched over HTTP is accepted', async () => {
    const setup = createSecurityFromEnv({ dataDir, insecureDevelopment: false }, { XDS_DEV_STS: '1', XDS_CLOCK_SKEW_SECONDS: '60' });
    expect(setup.routers).toHaveLength(2);
    expect(setup.warnings.join()).toMatch(/DEVELOPMENT STS/);
    const app = express();
    for (const r of setup.routers) app.use(r);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const card = await requestIdCard(base, { type: 'user', cpr: '0101011234', role: 'Læge', systemName: 'demo', careProvider: { type: 'cvrnumber', id: '12345678', name: 'Demo' } });
      const headers = dgwsHeaderBlocks(card, { securityLevel: 4 });
      const xml = `<soap:Envelope xmlns:soap="${NS.soap12}"><soap:Header>${headers.join('')}</soap:Header><soap:Body><x xmlns="urn:x"/></soap:Body></soap:Envelope>`;
      const ctx = await setup.stack.authenticate(soapRequestFromXml(xml), 'xds-write');
      expect(ctx).toMatchObject({ tokenType: 'dgws-user', subjectCpr: '0101011234' });
      const nts = await fetch(`${base}/nts?policy=xds-write`, { method: 'POST', headers: { 'Content-Type': 'text/xml', Accept: 'application/json' }, body: xml });
      expect(((await nts.json()) as { verdict: string }).verdict).toBe('accepted');
    } finally {
      server.close();
    }
  });

  it('reads trusted certificates from files, policies from JSON, and rejects a bad skew', () => {
    const certFile = path.join(dataDir, 'sts', 'sts-cert.pem');
    const policyFile = path.join(dataDir, 'policies.json');
    fs.writeFileSync(policyFile, JSON.stringify({ brs: { accept: ['dgws-system'], whitelistedCvrs: ['12345678'] } }));
    const setup = createSecurityFromEnv({ dataDir, insecureDevelopment: false }, { XDS_TRUSTED_STS_CERTS: certFile, XDS_SECURITY_POLICIES: policyFile });
    expect(setup.routers).toHaveLength(0);
    expect(setup.stack.trust.certificates).toHaveLength(1);
    expect(Object.keys(setup.policies).sort()).toEqual(['brs', 'xds-read', 'xds-write']);
    expect(() => createSecurityFromEnv({ dataDir, insecureDevelopment: false }, { XDS_CLOCK_SKEW_SECONDS: '-1' })).toThrow(/XDS_CLOCK_SKEW_SECONDS/);
    expect(createSecurityFromEnv({ dataDir, insecureDevelopment: false }, {}).warnings.join()).toMatch(/no trusted STS certificate/);
  });
});
