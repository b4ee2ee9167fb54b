import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SoapRequest } from '../../../src/soap/types.js';
import { ErrorCode, Severity, XdsError } from '../../../src/xds/errors.js';
import { createIti42Descriptor, ITI42_ACTION } from '../../../src/xds/transactions/iti42-register.js';
import { parseXml } from '../../../src/xml/parse.js';
import { createSchemaSet } from '../../../src/xml/schemas.js';
import { submissionXml } from '../ebrim/builders.js';
import { context, createHarness, type Harness } from './harness.js';

const schemas = createSchemaSet(path.resolve('schemas'));
afterAll(() => schemas.dispose());

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

function soap(body: string): SoapRequest {
  return { body: parseXml(body) } as unknown as SoapRequest;
}

describe('ITI-42 descriptor', () => {
  it('declares the transaction', () => {
    const d = createIti42Descriptor(h.registry);
    expect(d).toMatchObject({
      id: 'ITI-42',
      action: ITI42_ACTION,
      responseAction: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse',
      endpoints: ['registry'],
      requestElement: { ns: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0', name: 'SubmitObjectsRequest' },
      schema: 'registry',
      metadataErrorCode: ErrorCode.RegistryMetadataError,
      securityPolicy: 'xds-write',
      readPath: false,
      auditEvent: 'ITI-42',
    });
  });

  it('answers a schema-valid Success RegistryResponse and stores the submission', async () => {
    const d = createIti42Descriptor(h.registry);
    const res = await d.handle(soap(submissionXml()), context());
    expect(schemas.validate('registry', res.bodyXml)).toEqual([]);
    expect(parseXml(res.bodyXml).attrs.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    expect((await h.stores.metadata.countObjects()).DocumentEntry).toBe(1);
  });

  it('lets XdsError through for the pipeline and renders it with errorResponse', async () => {
    const d = createIti42Descriptor(h.registry);
    const err = await d.handle(soap(submissionXml({ patientId: 'X^^^&1.2.3&ISO' })), context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XdsError);
    const body = d.errorResponse((err as XdsError).errors);
    expect(schemas.validate('registry', body)).toEqual([]);
    const el = parseXml(body);
    expect(el.attrs.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(el.children[0]!.children[0]!.attrs).toMatchObject({ errorCode: ErrorCode.UnknownPatientId, severity: Severity.Error });
  });
});
