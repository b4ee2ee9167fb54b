/**
 * Unit tests of the conformance runner's own machinery (the replay itself runs in `npm run conformance`).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkAsserts, checkContents, checkReturnedMetadata, checkStatus, outcomeOf, sectionLogXml } from './lib/checks.js';
import { parseXml, serialize } from './lib/dom.js';
import { assignPatientIds, assignUids, assignUuids, SCHEME } from './lib/metadata.js';
import { buildMtom } from './lib/mime.js';
import { adtA01, parseAck, sendMllp } from './lib/mllp.js';
import type { Step } from './lib/plan.js';
import { resolveTestdir } from './lib/refs.js';
import { checkRetrieve } from './lib/retrieve-checks.js';
import { envelope, parseSoapResponse } from './lib/soap.js';
import { emptyStepLog, RunState } from './lib/state.js';
import { substitute } from './lib/substitute.js';
import { envelopeChecks, rawBodyPatientIds, submitObjectsOf, type HubEndpoints } from './lib/transactions.js';
import { planHubs } from './lib/isolation.js';
import { orderWithDependencies } from './lib/refs.js';
import { bindUseIds, standardTokens } from './lib/substitute.js';
import type { TestPlanSet, Transaction } from './lib/plan.js';

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';
const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';

const submission = `<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="${RIM}"><rim:RegistryObjectList>
<rim:ExtrinsicObject id="Document01" mimeType="text/plain" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
 <rim:Classification id="c1" classifiedObject="Document01" classificationScheme="urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a" nodeRepresentation="x"/>
 <rim:ExternalIdentifier id="e1" registryObject="Document01" identificationScheme="${SCHEME.dePatientId}" value="$PatientId01"/>
 <rim:ExternalIdentifier id="e2" registryObject="Document01" identificationScheme="${SCHEME.deUniqueId}" value="Document01"/>
</rim:ExtrinsicObject>
<rim:RegistryPackage id="SubmissionSet01">
 <rim:ExternalIdentifier id="e3" registryObject="SubmissionSet01" identificationScheme="${SCHEME.ssUniqueId}" value="SubmissionSet01"/>
 <rim:ExternalIdentifier id="e4" registryObject="SubmissionSet01" identificationScheme="${SCHEME.ssPatientId}" value="x"/>
</rim:RegistryPackage>
<rim:Association id="a1" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="SubmissionSet01" targetObject="Document01"/>
</rim:RegistryObjectList></lcm:SubmitObjectsRequest>`;

function step(over: Partial<Step> = {}): Step {
  return { id: 's', expectedStatus: ['Success'], expectedErrorCode: [], expectedErrorMessage: [], altPatientId: false, newPatientId: false, ...over };
}

describe('metadata rewriting (ANALYSIS.md §3)', () => {
  it('assigns patient ids, uniqueIds and uuids and rewrites every reference', () => {
    const state = new RunState();
    const log = emptyStepLog();
    const doc = parseXml(submission, 'm');
    assignPatientIds(doc, 'P1^^^&1.2.3&ISO', log);
    assignUids(doc, state, false, [], log);
    assignUuids(doc, state, log);
    const out = serialize(doc);
    expect(log.assignedPatientId).toEqual({ Document01: 'P1^^^&1.2.3&ISO', SubmissionSet01: 'P1^^^&1.2.3&ISO' });
    expect(log.assignedUids.Document01).toMatch(/^1\.2\.42\.\d+\.\d+$/);
    expect(log.reports.Document01_uid).toBe(log.assignedUids.Document01);
    const uuid = log.assignedUuids.Document01;
    expect(uuid).toMatch(/^urn:uuid:/);
    expect(out).toContain(`sourceObject="${log.assignedUuids.SubmissionSet01}" targetObject="${uuid}"`);
    expect(out).toContain(`classifiedObject="${uuid}"`);
    expect(out).not.toMatch(/"Document01"/);
    expect(out).toContain('P1^^^&amp;1.2.3&amp;ISO');
  });

  it('keeps uniqueIds with NoAssignUids id=', () => {
    const log = emptyStepLog();
    const doc = parseXml(submission, 'm');
    assignUids(doc, new RunState(), false, ['Document01'], log);
    expect(log.assignedUids.Document01).toBe('Document01');
    expect(log.assignedUids.SubmissionSet01).not.toBe('SubmissionSet01');
  });
});

describe('substitution', () => {
  it('replaces only bound tokens, XML-escaped, and leaves stored-query parameter names alone', () => {
    const t = '<Slot name="$XDSDocumentEntryPatientId"><Value>\'$patient_id$\'</Value></Slot>';
    const out = substitute(t, new Map([['$patient_id$', 'P1^^^&1.2&ISO']]));
    expect(out).toBe('<Slot name="$XDSDocumentEntryPatientId"><Value>\'P1^^^&amp;1.2&amp;ISO\'</Value></Slot>');
    expect(substitute('@lid = $lid$', new Map([['$lid$', "'x'"]]), true)).toBe("@lid = 'x'");
  });
});

describe('references', () => {
  it('resolves testdir forms', () => {
    expect(resolveTestdir('11966', 'eval', '../submit')).toBe('11966/submit');
    expect(resolveTestdir('11897', 'leafclass', '../../12346/single_doc')).toBe('12346/single_doc');
    expect(resolveTestdir('12021', 'retrieve', 'submit')).toBe('12021/submit');
    expect(() => resolveTestdir('a', 'b', '../../../x')).toThrow();
  });
});

describe('status checks (§6.1)', () => {
  const failure = `<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="${FAILURE}"><rs:RegistryErrorList>
    <rs:RegistryError errorCode="XDSPatientIdDoesNotMatch" codeContext="ss vs de" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/></rs:RegistryErrorList></rs:RegistryResponse>`;
  it('passes a matching Failure and error message, fails a wrong one', () => {
    const o = outcomeOf(failure);
    expect(o.status).toBe('Failure');
    expect(checkStatus(step({ expectedStatus: ['Failure'], expectedErrorMessage: ['XDSPatientIdDoesNotMatch'] }), o)).toEqual([]);
    expect(checkStatus(step({ expectedStatus: ['Failure'], expectedErrorCode: ['XDSUnknownPatientId'] }), o)).toHaveLength(1);
    expect(checkStatus(step(), o)[0]).toMatch(/status Failure, expected Success/);
  });
  it('rejects a status outside the standard namespace and errors on a Success', () => {
    const bad = outcomeOf('<RegistryResponse status="Success"/>');
    expect(checkStatus(step(), bad)[0]).toMatch(/not a standard URN/);
    const withErr = outcomeOf(failure.replace(FAILURE, SUCCESS));
    expect(checkStatus(step(), withErr)[0]).toMatch(/carries errors/);
  });
  it('treats a SOAP Fault as status Fault', () => {
    expect(checkStatus(step({ expectedStatus: ['Fault'] }), undefined, { code: 'env:Sender', reason: 'x' })).toEqual([]);
    expect(checkStatus(step(), undefined, { code: 'env:Sender', reason: 'x' })).toHaveLength(1);
  });
});

describe('ExpectedContents (§6.2)', () => {
  const resp = (objs: string): string => `<query:AdhocQueryResponse xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="${RIM}" status="${SUCCESS}"><rim:RegistryObjectList>${objs}</rim:RegistryObjectList></query:AdhocQueryResponse>`;
  const ss = `<rim:RegistryPackage id="urn:uuid:s" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"><rim:Classification id="urn:uuid:c" classifiedObject="urn:uuid:s" classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"/></rim:RegistryPackage>`;
  const de = `<rim:ExtrinsicObject id="urn:uuid:d" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"/>`;
  const hm = `<rim:Association id="urn:uuid:a" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="urn:uuid:s" targetObject="urn:uuid:d"/>`;
  it('recognises SSwithOneDoc and DocApp', () => {
    expect(checkContents([{ check: 'SSwithOneDoc' }, { check: 'DocApp' }], resp(ss + de + hm))).toEqual([]);
  });
  it('fails SSwithOneDoc without the association and DocApp on a deprecated entry', () => {
    expect(checkContents([{ check: 'SSwithOneDoc' }], resp(ss + de))[0]).toMatch(/Associations=1/);
    expect(checkContents([{ check: 'DocApp' }], resp(de.replace('Approved', 'Deprecated')))[0]).toMatch(/Deprecated/);
  });
  it('DocApp holds for zero entries (as the toolkit), OneDocDep needs exactly one', () => {
    expect(checkContents([{ check: 'Documents', count: 0 }, { check: 'DocApp' }], resp(''))).toEqual([]);
    const dep = de.replace('Approved', 'Deprecated');
    expect(checkContents([{ check: 'OneDocDep' }], resp(dep + de.replace('urn:uuid:d', 'urn:uuid:e')))).toEqual([]);
    expect(checkContents([{ check: 'OneDocDep' }], resp(dep + dep.replace('urn:uuid:d', 'urn:uuid:e')))[0]).toMatch(/2 DocumentEntries/);
    expect(checkContents([{ check: 'SSApproved' }], resp(de))[0]).toMatch(/no SubmissionSet/);
  });
  it('counts and reports unknown checks', () => {
    expect(checkContents([{ check: 'Documents', count: 1 }], resp(de))).toEqual([]);
    expect(checkContents([{ check: 'Documents', count: 2 }], resp(de))).toHaveLength(1);
    expect(checkContents([{ check: 'ObjectRefs', count: 1 }], resp('<rim:ObjectRef id="urn:uuid:x"/>'))).toEqual([]);
    expect(checkContents([{ check: 'None' }], resp(de))).toHaveLength(1);
    expect(checkContents([{ check: 'Bogus' }], resp(''))[0]).toMatch(/not implemented/);
  });
});

describe('asserts over the section log (§6.3)', () => {
  it('evaluates boolean XPath over request and response copies', () => {
    const log = new Map([['q', { ...emptyStepLog(), request: '<A/>', response: '<R><ExtrinsicObject status="ok"/></R>' }]]);
    const xml = sectionLogXml(log);
    expect(checkAsserts([{ id: 'a', xpath: "//*[local-name()='ExtrinsicObject']/@status = 'ok'" }], xml)).toEqual([]);
    expect(checkAsserts([{ id: 'b', xpath: "count(//*[local-name()='ExtrinsicObject']) = 2" }], xml)).toHaveLength(1);
  });
  it('shapes the log like the toolkit (TestStep/<transaction>/Result), as 12323 addresses it by path', () => {
    const log = new Map([['q', { ...emptyStepLog(), transaction: 'StoredQueryTransaction', response: '<AdhocQueryResponse><V>20260101</V></AdhocQueryResponse>' }]]);
    const xpath = `substring(//TestStep[@id="q"]/StoredQueryTransaction/Result/*[local-name()='AdhocQueryResponse']/V,1,8) = "$DATE$"`;
    const date = standardTokens(new Date(Date.UTC(2026, 0, 1))).get('$DATE$')!;
    expect(date).toBe('20260101');
    expect(checkAsserts([{ id: 'd', xpath: substitute(xpath, new Map([['$DATE$', date]]), true) }], sectionLogXml(log))).toEqual([]);
  });
});

describe('DocumentEntries/MustOnlyInclude', () => {
  it('passes exactly the named entries and fails extra ones', () => {
    const body = (ids: string[]): string => `<AdhocQueryResponse><RegistryObjectList>${ids.map((i) => `<ExtrinsicObject id="${i}" objectType="t"/>`).join('')}</RegistryObjectList></AdhocQueryResponse>`;
    const check = [{ check: 'DocumentEntries', mustOnlyInclude: [{ useId: { testdir: '../s', step: 's', section: 'AssignedUuids', id: 'Document01', symbol: '$uuid$' }, objectType: 't' }] }];
    expect(checkContents(check, body(['urn:uuid:1']), () => 'urn:uuid:1')).toEqual([]);
    expect(checkContents(check, body(['urn:uuid:1', 'urn:uuid:2']), () => 'urn:uuid:1')[0]).toMatch(/unexpected \[urn:uuid:2\]/);
  });
});

describe('UseId resolution', () => {
  const tx = (useIds: Transaction['useIds']): Transaction => ({
    element: 'StoredQueryTransaction', documents: [], flags: new Set(), noAssignUidsAll: false, noAssignUidsIds: [], useIds, useReports: [],
    reports: [], expectedContents: [], asserts: [], referenceDocuments: [], parseMetadata: true, unknown: [],
  });
  it('reads another section, and without testdir any section of the same test (12345/rplc)', () => {
    const state = new RunState();
    state.startSection('T/submit').set('submit', { ...emptyStepLog(), assignedUids: { SubmissionSet01: '1.2.3' } });
    state.startSection('T/doc_for_rplc').set('doc_for_rplc', { ...emptyStepLog(), assignedUuids: { Document01: 'urn:uuid:x' } });
    const b = bindUseIds(state, 'T', 'eval', 'q', tx([
      { testdir: '../submit', step: 'submit', section: 'AssignedUids', id: 'SubmissionSet01', symbol: '$ssuid$' },
      { testdir: '', step: 'doc_for_rplc', section: 'AssignedUuids', id: 'Document01', symbol: '$rplc$' },
    ]), undefined);
    expect(Object.fromEntries(b.bindings)).toEqual({ $ssuid$: '1.2.3', $rplc$: 'urn:uuid:x' });
    expect(() => bindUseIds(state, 'T', 'eval', 'q', tx([{ testdir: '../submit', step: 'submit', section: 'AssignedUids', id: 'Nope', symbol: '$x$' }]), undefined)).toThrow(/not recorded/);
  });
});

describe('ordering and hub isolation', () => {
  const plan = (test: string, refs: string[], http = false): TestPlanSet => ({
    test, dir: '', sections: [{ name: 's', dir: '', steps: [{ ...step(), tx: {
      element: http ? 'HttpTransaction' : 'StoredQueryTransaction', documents: [], flags: new Set(), noAssignUidsAll: false, noAssignUidsIds: [],
      useIds: refs.map((r) => ({ testdir: `../../${r}/s`, step: 's', section: 'AssignedUids', id: 'x', symbol: '$x$' })), useReports: [],
      reports: [], expectedContents: [], asserts: [], referenceDocuments: [], parseMetadata: true, unknown: [] } }] }],
  });
  const plans: Record<string, TestPlanSet> = { A: plan('A', []), B: plan('B', ['A']), C: plan('C', ['B']), R: plan('R', ['A'], true) };
  it('runs dependencies first, once', () => {
    expect(orderWithDependencies(['C', 'B'], (t) => plans[t])).toEqual(['A', 'B', 'C']);
  });
  it('gives raw-body tests their own hub with their dependencies', () => {
    const order = orderWithDependencies(['C', 'R'], (t) => plans[t]);
    expect(planHubs(order, (t) => plans[t])).toEqual([['A', 'B', 'C'], ['A', 'R']]);
  });
});

describe('SOAP/MTOM', () => {
  it('parses an MTOM response and resolves xop:Include (URL-encoded cid) to base64', async () => {
    const body = `<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="urn:ihe:iti:xds-b:2007"><rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="${SUCCESS}"/>`
      + `<xdsb:DocumentResponse><xdsb:RepositoryUniqueId>1.2</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>1.3</xdsb:DocumentUniqueId><xdsb:mimeType>text/plain</xdsb:mimeType>`
      + `<xdsb:Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:1.doc%40urn%3Aihe"/></xdsb:Document></xdsb:DocumentResponse></xdsb:RetrieveDocumentSetResponse>`;
    const env = envelope('urn:ihe:iti:2007:RetrieveDocumentSetResponse', 'x', 'urn:uuid:1', body).replace('<a:MessageID>', '<a:RelatesTo>urn:uuid:1</a:RelatesTo><a:MessageID>');
    const mtom = buildMtom(env, [{ contentId: '1.doc@urn:ihe', contentType: 'text/plain', body: Buffer.from('hello\r\n--not a boundary') }], 'a');
    const res = await parseSoapResponse(200, mtom.contentType, mtom.body);
    expect(res.multipart).toBe(true);
    expect(res.action).toBe('urn:ihe:iti:2007:RetrieveDocumentSetResponse');
    expect(res.relatesTo).toBe('urn:uuid:1');
    expect(res.bodyXml).toContain(Buffer.from('hello\r\n--not a boundary').toString('base64'));
    const req = '<RetrieveDocumentSetRequest><DocumentRequest><RepositoryUniqueId>1.2</RepositoryUniqueId><DocumentUniqueId>1.3</DocumentUniqueId></DocumentRequest></RetrieveDocumentSetRequest>';
    expect(checkRetrieve({ requestXml: req, responseXml: res.bodyXml!, refDocs: new Map([['1.3', Buffer.from('hello\r\n--not a boundary')]]),
      refMeta: new Map([['1.3', { mimeType: 'text/plain', hash: 'bad', size: '23' }]]) })).toEqual([
      expect.stringMatching(/SHA-1 of returned bytes/),
    ]);
  });
  it('reports a Fault', async () => {
    const fault = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">bad</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>';
    const res = await parseSoapResponse(500, 'application/soap+xml', Buffer.from(fault));
    expect(res.fault).toEqual({ code: 's:Sender', reason: 'bad' });
  });
  it('extracts metadata and patient ids from raw bodies', () => {
    const raw = `--b\r\n\r\n<x>${submission.replace('value="x"', 'value="SR7^^^&amp;1.2.260&amp;ISO"')}</x>`;
    expect(submitObjectsOf(raw)).toMatch(/^<lcm:SubmitObjectsRequest[\s\S]*<\/lcm:SubmitObjectsRequest>$/);
    expect(rawBodyPatientIds(raw)).toEqual(['$PatientId01', 'SR7^^^&1.2.260&ISO']);
  });
});

describe('MLLP feed', () => {
  it('frames ADT^A01 with the CX in PID-3 and reads MSA-1', async () => {
    let received = '';
    const server = net.createServer((sock) => {
      sock.on('data', (d) => {
        received += d.toString('utf8');
        if (received.includes('\x1c\r')) sock.write('\x0bMSH|^~\\&|HUB|X|||20260101||ACK^A01|1|P|2.3.1\rMSA|AA|ctl\x1c\r');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const ack = await sendMllp('127.0.0.1', port, adtA01('P9^^^&1.2.3&ISO', 'ctl'));
    server.close();
    expect(ack.ackCode).toBe('AA');
    expect(received.startsWith('\x0bMSH|^~\\&|')).toBe(true);
    expect(received).toContain('\rPID|||P9^^^&1.2.3&ISO||');
    expect(parseAck('MSH|x\rMSA|AE|c|unknown\rERR|bad').ackCode).toBe('AE');
  });
});

describe('envelope checks', () => {
  const hub = (errors: string[]): HubEndpoints => ({ registryUrl: '', repositoryUrl: '', mllpHost: '', mllpPort: 0, validate: () => errors });
  const ok = { httpStatus: 200, contentType: 'application/soap+xml', multipart: false, raw: '', action: 'urn:a:xResponse', relatesTo: 'urn:uuid:1', bodyXml: '<x/>' };
  it('passes a well-formed answer and fails wrong action, RelatesTo, HTTP status and schema errors', () => {
    expect(envelopeChecks(hub([]), ok, 'urn:a:x', 'urn:uuid:1')).toEqual([]);
    expect(envelopeChecks(hub([]), { ...ok, action: 'urn:a:y' }, 'urn:a:x', 'urn:uuid:1')[0]).toMatch(/wsa:Action/);
    expect(envelopeChecks(hub([]), { ...ok, relatesTo: undefined }, 'urn:a:x', 'urn:uuid:1')[0]).toMatch(/RelatesTo/);
    expect(envelopeChecks(hub([]), { ...ok, httpStatus: 202 }, 'urn:a:x', 'urn:uuid:1')[0]).toMatch(/HTTP 202/);
    expect(envelopeChecks(hub(['line 1: bad']), ok, 'urn:a:x', 'urn:uuid:1')[0]).toMatch(/not schema-valid: line 1: bad/);
  });
});

describe('returned metadata', () => {
  it('requires UUID URN ids and a status on returned objects', () => {
    const u = 'urn:uuid:0b1e8f4e-3b3a-4c1d-9c9e-1f2a3b4c5d6e';
    expect(checkReturnedMetadata(`<R><RegistryObjectList><ExtrinsicObject id="${u}" status="s"/><ObjectRef id="${u}"/></RegistryObjectList></R>`)).toEqual([]);
    expect(checkReturnedMetadata('<R><RegistryObjectList><ExtrinsicObject id="Document01"/></RegistryObjectList></R>')).toEqual([
      'returned ExtrinsicObject id "Document01" is not a UUID URN', 'returned ExtrinsicObject Document01 has no status']);
  });
});
