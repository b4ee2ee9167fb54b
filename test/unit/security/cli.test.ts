import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/services/sts/cli.js';
import { loadOrCreateTestCa } from '../../../src/services/sts/test-ca.js';
import { createSecurityStack, defaultPolicies } from '../../../src/security/index.js';
import { soapRequestFromXml } from '../../../src/security/soap-request-from-xml.js';
import { NS } from '../../../src/security/namespaces.js';

describe('STS CLI and key material under <dataDir>/sts', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sts-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('generates the test CA once, with private keys readable only by the owner, and reuses it', () => {
    const first = loadOrCreateTestCa(path.join(dataDir, 'sts'));
    const second = loadOrCreateTestCa(path.join(dataDir, 'sts'));
    expect(second.sts.certPem).toBe(first.sts.certPem);
    expect(fs.statSync(path.join(dataDir, 'sts', 'sts-key.pem')).mode & 0o077).toBe(0);
  });

  it('prints wsse:Security + medcom:Header + HSUID header that the hub accepts', async () => {
    const out = runCli(['--cpr', '0101011234', '--role', 'Læge', '--level', '4', '--citizen', '2512489996', '--data-dir', dataDir]);
    expect(out).toContain('<wsse:Security');
    expect(out).toContain('<medcom:Header');
    expect(out).toContain('<hsuid:HsuidHeader');
    const xml = `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Header>${out}</soap:Header><soap:Body><x xmlns="urn:x"/></soap:Body></soap:Envelope>`;
    const trust = fs.readFileSync(path.join(dataDir, 'sts', 'sts-cert.pem'), 'utf8');
    const stack = createSecurityStack({ trustedCertificatesPem: [trust], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false });
    const ctx = await stack.authenticate(soapRequestFromXml(xml), 'xds-read');
    expect(ctx).toMatchObject({ tokenType: 'dgws-user', authLevel: 4, subjectCpr: '0101011234', role: 'Læge', hsuid: { citizenCivilRegistrationNumber: '2512489996' } });
  });

  it('prints a system card header and the trust hint', () => {
    expect(runCli(['--type', 'system', '--system', 'My EPJ', '--data-dir', dataDir])).toContain('medcom:itsystemname');
    expect(runCli(['--trust', '--data-dir', dataDir])).toMatch(/XDS_TRUSTED_STS_CERTS=.*sts-cert\.pem/);
    expect(() => runCli(['--type', 'user', '--data-dir', dataDir])).toThrow(/--cpr/);
  });
});
