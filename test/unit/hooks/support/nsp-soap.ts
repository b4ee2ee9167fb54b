/**
 * Serves the NSP service descriptors (Min Spærring, MinLog, BRS) through the real SOAP endpoint and the real
 * DGWS/HSUID security stack, with ID cards from the dev STS functions (a fresh in-memory test CA).
 */
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { PROJECT_ROOT } from '../../../../src/app.js';
import { readHooksPolicies } from '../../../../src/hooks/audit/read-hooks.js';
import { createSoapEndpoint } from '../../../../src/http/soap-endpoint.js';
import { createSecurityStack, defaultPolicies } from '../../../../src/security/index.js';
import { buildDgwsEnvelope, type HsuidInput } from '../../../../src/services/sts/dgws-envelope.js';
import { issueIdCard, type IdCardSpec } from '../../../../src/services/sts/id-card-issuer.js';
import { createTestCa, type TestCa } from '../../../../src/services/sts/test-ca.js';
import { createLogger } from '../../../../src/util/logger.js';
import { parseXml } from '../../../../src/xml/parse.js';
import { createSchemaSet, type SchemaSet } from '../../../../src/xml/schemas.js';
import type { XmlElement } from '../../../../src/xml/tree.js';
import type { TransactionDescriptor } from '../../../../src/xds/transactions/descriptor.js';

export const PROFESSIONAL_HSUID: HsuidInput = {
  userType: 'nsi:HealthcareProfessional',
  actingUserCpr: '1111111118',
  responsibleUserCpr: '1111111118',
  responsibleUserAuthorizationCode: 'ABC12',
  orgUsingId: { id: '100002', format: 'nsi:sor' },
  systemName: 'EPJ Test',
};

export interface NspSoapHarness {
  ca: TestCa;
  app: express.Express;
  schemas: SchemaSet;
  call(path: string, action: string, bodyXml: string, who?: { card?: Partial<IdCardSpec> & { type: 'user' | 'system' }; hsuid?: HsuidInput }): Promise<{ status: number; body: XmlElement; text: string }>;
  dispose(): void;
}

export function nspSoapHarness(endpoints: { path: string; descriptors: TransactionDescriptor[] }[]): NspSoapHarness {
  const ca = createTestCa(undefined, 1024);
  const schemas = createSchemaSet(path.join(PROJECT_ROOT, 'schemas'));
  const stack = createSecurityStack({
    trustedCertificatesPem: [ca.sts.certPem],
    clockSkewSeconds: 300,
    policies: { ...defaultPolicies(), ...readHooksPolicies() },
    insecureDevelopment: false,
  });
  const app = express();
  const log = createLogger('silent');
  for (const e of endpoints) {
    app.use(
      createSoapEndpoint({
        name: e.path,
        paths: [e.path],
        descriptors: e.descriptors,
        schemas,
        limits: { maxRequestBytes: 1e7, maxXmlBytes: 1e7, spoolThresholdBytes: 1e7, spoolDir: '/tmp' },
        authenticate: (req, d) => stack.authenticate(req, d.securityPolicy),
        log,
      }),
    );
  }
  return {
    ca,
    app,
    schemas,
    async call(p, action, bodyXml, who = {}) {
      const now = new Date();
      const card = issueIdCard(ca, {
        type: 'system',
        systemName: 'EPJ Test',
        careProvider: { type: 'cvrnumber', id: '30808460', name: 'Region Test' },
        now,
        ...(who.card ?? {}),
      } as IdCardSpec);
      const env = buildDgwsEnvelope({ idCardXml: card, medcom: { securityLevel: (who.card?.type ?? 'system') === 'user' ? 4 : 3 }, hsuid: who.hsuid, bodyXml, created: now });
      const res = await request(app).post(p).set('content-type', 'text/xml; charset=UTF-8').set('SOAPAction', `"${action}"`).send(env);
      const envelope = parseXml(res.text);
      const body = envelope.children.find((c) => c.name === 'Body')!.children[0]!;
      return { status: res.status, body, text: res.text };
    },
    dispose() {
      schemas.dispose();
    },
  };
}

/** Text of the first descendant with this local name (any namespace). */
export function textOf(el: XmlElement, name: string): string | undefined {
  if (el.name === name) return el.text;
  for (const c of el.children) {
    const t = textOf(c, name);
    if (t !== undefined) return t;
  }
  return undefined;
}

export function allNamed(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    allNamed(c, name, out);
  }
  return out;
}
