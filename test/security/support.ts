/**
 * Shared fixtures for the attack tests: a fresh test CA per file (keys generated in memory, nothing
 * committed), ID cards and requests built with the dev STS functions, and an assertion on the exact
 * DGWS fault code.
 */
import { expect } from 'vitest';
import { createTestCa, type TestCa } from '../../src/services/sts/test-ca.js';
import { issueIdCard, type IdCardSpec } from '../../src/services/sts/id-card-issuer.js';
import { buildDgwsEnvelope, type DgwsEnvelopeInput } from '../../src/services/sts/dgws-envelope.js';
import { createSecurityStack, defaultPolicies, type SecurityStack, type SecurityStackOptions } from '../../src/security/index.js';
import { soapRequestFromXml } from '../../src/security/soap-request-from-xml.js';
import type { SoapRequest } from '../../src/soap/types.js';
import { SoapFault } from '../../src/soap/types.js';
import type { SecurityContext } from '../../src/security/context.js';

/** Real time (the test CA's certificates are valid from their creation), to the second. */
export const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

/** 1024-bit keys keep the per-file CA fast; the production STS uses 2048. */
export function makeCa(issuer?: string): TestCa {
  return createTestCa(issuer, 1024);
}

export function makeStack(ca: TestCa, overrides: Partial<SecurityStackOptions> = {}): SecurityStack {
  return createSecurityStack({
    trustedCertificatesPem: [ca.sts.certPem],
    clockSkewSeconds: 300,
    now: () => NOW,
    policies: defaultPolicies(),
    insecureDevelopment: false,
    ...overrides,
  });
}

export const USER: IdCardSpec = {
  type: 'user',
  cpr: '0101011234',
  givenName: 'Karen',
  surName: 'Jensen',
  role: 'Læge',
  authorizationCode: 'NS363',
  systemName: 'EPJ Test',
  careProvider: { type: 'cvrnumber', id: '12345678', name: 'Region Test' },
  now: NOW,
};

export const SYSTEM: IdCardSpec = {
  type: 'system',
  systemName: 'EPJ Test',
  careProvider: { type: 'cvrnumber', id: '12345678', name: 'Region Test' },
  now: NOW,
};

export function userCard(ca: TestCa, spec: Partial<IdCardSpec> = {}): string {
  return issueIdCard(ca, { ...USER, ...spec });
}

export function systemCard(ca: TestCa, spec: Partial<IdCardSpec> = {}): string {
  return issueIdCard(ca, { ...SYSTEM, ...spec });
}

export const BODY = '<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"><query:ResponseOption returnType="LeafClass"/></query:AdhocQueryRequest>';

export function dgwsXml(idCardXml: string, opts: Partial<DgwsEnvelopeInput> = {}): string {
  return buildDgwsEnvelope({
    idCardXml,
    medcom: { securityLevel: 4 },
    bodyXml: BODY,
    created: NOW,
    ...opts,
  });
}

export function request(xml: string): SoapRequest {
  return soapRequestFromXml(xml, '/registry');
}

/** Expects the promise to reject with a SoapFault whose medcom:FaultCode is `code`; returns the fault. */
export async function expectFault(p: Promise<unknown>, code: string): Promise<SoapFault> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a ${code} fault`).toBeInstanceOf(SoapFault);
  const fault = caught as SoapFault;
  const m = /<medcom:FaultCode[^>]*>([^<]+)<\/medcom:FaultCode>/.exec(fault.detailXml ?? '');
  expect(m?.[1], fault.message).toBe(code);
  return fault;
}

export async function expectAccepted(p: Promise<SecurityContext>): Promise<SecurityContext> {
  const ctx = await p;
  expect(ctx.tokenType).not.toBe('none');
  return ctx;
}
