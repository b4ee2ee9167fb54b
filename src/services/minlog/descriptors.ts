/**
 * The MinLog SOAP operations as TransactionDescriptors (dk-nsp.md §3.2), mounted e.g. on `/minlog`:
 *
 * - AddRegistrations (MinLog2 registration, minlog2-registration_20250312.xsd; soapAction "AddRegistrations"):
 *   other systems register accesses. The body is validated against the official XSD (vendored in
 *   schemas/nsp/minlog2, schema set 'minlog2') before the handler runs: a body the XSD refuses — a value past
 *   a facet, an element out of the DestinationForEntryForRegistrationType sequence, an unknown element, a
 *   DateTime that is no xs:dateTime — is refused as a whole (RegistrationResponse with one
 *   FailedLogDataEntries, FaultCode invalid_request and the libxml2 message; nothing is added). Entries of a
 *   schema-valid body are then checked on their own (validateRegistration: the XSD's rules, plus content
 *   that is only whitespace); failures are answered per entry (FailedLogDataEntries with the SequenceNumber),
 *   the rest are added. Idempotent: the key is the sending system + correlation id + sequence number when
 *   given, else a digest of the entry, so a retried request registers nothing twice.
 * - ListLogStatements (MinLog1 citizen extract, namespace http://nsi.dk/minlog/2012/05/24/): a CPR and an
 *   optional period. The WSDL's soapAction is "", so the hub dispatches it by the action "ListLogStatements".
 *   A citizen may only extract their own log.
 */
import { createHash } from 'node:crypto';
import { citizenSelfCpr } from '../../hooks/consent/requester.js';
import type { SecurityPolicy } from '../../security/policies.js';
import { SoapFault, type SoapRequest } from '../../soap/types.js';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { child, childrenNamed, type XmlElement } from '../../xml/tree.js';
import type { RegistryErrorEntry } from '../../xds/errors.js';
import type { RequestContext, TransactionDescriptor } from '../../xds/transactions/descriptor.js';
import type { MinLogStore } from './ports.js';
import { validateRegistration, type IdWithSource, type MinLogRegistration, type StoredRegistration } from './registration.js';

export const MINLOG2_NS = 'http://www.sundhedsdatastyrelsen.dk/minlog/xml.schema/2025/03/12/minlog2-registration.xsd';
export const MINLOG1_NS = 'http://nsi.dk/minlog/2012/05/24/';
export const MINLOG_REGISTRATION_POLICY = 'minlog-registration';
export const MINLOG_EXTRACT_POLICY = 'minlog-extract';

/** AddRegistrations: other NSP systems with a DGWS system card (level 3). */
export function minLogRegistrationPolicy(): SecurityPolicy {
  return { id: MINLOG_REGISTRATION_POLICY, description: 'MinLog2 AddRegistrations (systems)', accept: ['dgws-system', 'idws'], minLevel: { system: 3, idws: 3 }, requireHsuid: 'never' };
}

/** The citizen extract: the citizen (IDWS / user card) or a portal system acting for them with HSUID. */
export function minLogExtractPolicy(): SecurityPolicy {
  return { id: MINLOG_EXTRACT_POLICY, description: 'MinLog citizen extract (ListLogStatements)', accept: ['dgws-user', 'dgws-system', 'idws'], minLevel: { user: 3, system: 3, idws: 3 }, requireHsuid: 'system' };
}

// elementFormDefault="unqualified": the children of the root carry no namespace.
const kid = (e: XmlElement, name: string): XmlElement | undefined => child(e, '', name);
const val = (e: XmlElement, name: string): string | undefined => {
  const t = kid(e, name)?.text.trim();
  return t === undefined || t === '' ? undefined : t;
};
const withSource = (e: XmlElement, name: string, extra: Partial<IdWithSource & { role?: string }> = {}): (IdWithSource & { role?: string }) | undefined => {
  const c = kid(e, name);
  if (!c) return undefined;
  return JSON.parse(JSON.stringify({ id: c.text.trim(), source: c.attrs.source ?? '', ...extra })) as IdWithSource;
};

/** One LogDataEntry/Destination into a registration. */
export function readLogDataEntry(entry: XmlElement): MinLogRegistration {
  const d = kid(entry, 'Destination') ?? entry;
  const s = kid(entry, 'Source');
  const r: MinLogRegistration = {
    systemName: val(d, 'SystemName') ?? '',
    activity: val(d, 'Activity') ?? '',
    reason: val(d, 'Reason'),
    addition: val(d, 'Addition'),
    criticality: val(d, 'Criticality'),
    dateTime: val(d, 'DateTime'),
    fromDateTime: val(d, 'FromDateTime'),
    toDateTime: val(d, 'ToDateTime'),
    organisation: withSource(d, 'OrganisationId', { name: val(d, 'OrganisationName') }),
    citizen: withSource(d, 'PersonIdentifier', { name: val(d, 'PersonName') }) ?? { id: '', source: '' },
    user: withSource(d, 'UserPersonIdentifier', { name: val(d, 'UserPersonName'), role: val(d, 'UserRole') }) ?? { id: '', source: '' },
    onBehalfOf: withSource(d, 'OnBehalfOfPersonIdentifier', { name: val(d, 'OnBehalfOfPersonName'), role: val(d, 'OnBehalfOfUserRole') }),
    correlationId: val(d, 'CorrelationId'),
    sequenceNumber: val(d, 'SequenceNumber'),
    filters: childrenNamed(d, '', 'Filter').map((f) => f.text.trim()),
    source: s ? { correlationId: val(s, 'CorrelationId'), systemName: val(s, 'SystemName') } : undefined,
  };
  return JSON.parse(JSON.stringify(r)) as MinLogRegistration;
}

/** The idempotency key of an externally submitted registration. */
export function externalKey(r: MinLogRegistration): string {
  if (r.correlationId && r.sequenceNumber) return `ext:${r.systemName}:${r.correlationId}:${r.sequenceNumber}`;
  return `ext:${createHash('sha256').update(JSON.stringify(r)).digest('hex')}`;
}

/**
 * A request refused as a whole (schema-invalid, or an error before its entries were read): nothing was
 * added, so every LogDataEntry it carried failed — NumberFailed counts them, not the errors.
 */
function failureResponse(errors: RegistryErrorEntry[], request?: SoapRequest): string {
  const failed = errors.map((e) => `<FailedLogDataEntries><FaultCode>${escapeText(String(e.errorCode))}</FaultCode><FaultText>${escapeText(e.codeContext)}</FaultText></FailedLogDataEntries>`).join('');
  const entries = request ? childrenNamed(request.body, '', 'LogDataEntry').length : 0;
  return `<minlog:RegistrationResponse xmlns:minlog="${MINLOG2_NS}">${failed}<NumberAdded>0</NumberAdded><NumberFailed>${Math.max(entries, errors.length)}</NumberFailed></minlog:RegistrationResponse>`;
}

export function createMinLogDescriptors(store: MinLogStore): TransactionDescriptor[] {
  const addRegistrations: TransactionDescriptor = {
    id: 'MinLog-AddRegistrations',
    name: 'MinLog2 AddRegistrations',
    action: 'AddRegistrations',
    responseAction: 'AddRegistrationsResponse',
    endpoints: [],
    requestElement: { ns: MINLOG2_NS, name: 'RegistrationRequest' },
    // The body is checked against minlog2-registration_20250312.xsd before the handler runs: a request the
    // XSD refuses is answered as a whole by failureResponse (FaultCode invalid_request, the libxml2 message).
    schema: 'minlog2',
    metadataErrorCode: 'invalid_request',
    securityPolicy: MINLOG_REGISTRATION_POLICY,
    readPath: false,
    auditEvent: 'MinLog-AddRegistrations',
    async handle(request: SoapRequest) {
      const entries = childrenNamed(request.body, '', 'LogDataEntry');
      if (entries.length === 0) throw new SoapFault('Sender', 'RegistrationRequest needs at least one LogDataEntry');
      const failed: string[] = [];
      const good: { key: string; registration: MinLogRegistration }[] = [];
      for (const e of entries) {
        const r = readLogDataEntry(e);
        const errors = validateRegistration(r);
        if (errors.length > 0) {
          failed.push(`<FailedLogDataEntries><FaultCode>validation_error</FaultCode><FaultText>${escapeText(errors.join('; '))}</FaultText>${r.sequenceNumber ? `<SequenceNumber>${escapeText(r.sequenceNumber)}</SequenceNumber>` : ''}</FailedLogDataEntries>`);
        } else good.push({ key: externalKey(r), registration: r });
      }
      // A repeated entry counts as added: the sender's retry succeeded, it just changed nothing.
      if (good.length > 0) await store.add(good);
      return {
        bodyXml: `<minlog:RegistrationResponse xmlns:minlog="${MINLOG2_NS}">${failed.join('')}<NumberAdded>${good.length}</NumberAdded><NumberFailed>${failed.length}</NumberFailed></minlog:RegistrationResponse>`,
      };
    },
    errorResponse: failureResponse,
  };

  const listLogStatements: TransactionDescriptor = {
    id: 'MinLog-ListLogStatements',
    name: 'MinLog citizen extract (ListLogStatements)',
    action: 'ListLogStatements',
    responseAction: 'ListLogStatementsResponse',
    endpoints: [],
    requestElement: { ns: MINLOG1_NS, name: 'ListLogStatementsRequest' },
    schema: 'none',
    metadataErrorCode: 'invalid_request',
    securityPolicy: MINLOG_EXTRACT_POLICY,
    readPath: false,
    auditEvent: 'MinLog-ListLogStatements',
    async handle(request: SoapRequest, context: RequestContext) {
      const b = request.body;
      const cpr = val(b, 'cprNR') ?? child(b, MINLOG1_NS, 'cprNR')?.text.trim();
      if (!cpr || !/^\d{10}$/.test(cpr)) throw new SoapFault('Sender', 'ListLogStatementsRequest needs cprNR: a 10-digit CPR number');
      const self = citizenSelfCpr(context.security);
      if (self !== undefined && self !== cpr) throw new SoapFault('Sender', 'a citizen may only extract their own MinLog');
      const from = val(b, 'fraDato') ?? child(b, MINLOG1_NS, 'fraDato')?.text.trim();
      const to = val(b, 'tilDato') ?? child(b, MINLOG1_NS, 'tilDato')?.text.trim();
      for (const [n, v] of [['fraDato', from], ['tilDato', to]] as const) {
        if (v !== undefined && Number.isNaN(Date.parse(v))) throw new SoapFault('Sender', `${n} "${v}" is not an xs:dateTime`);
      }
      const entries = await store.extract(cpr, { from, to });
      return { bodyXml: `<ml:ListLogStatementsResponse xmlns:ml="${MINLOG1_NS}" cprNrBorger="${escapeAttr(cpr)}">${entries.map(logEntryXml).join('')}</ml:ListLogStatementsResponse>` };
    },
    errorResponse(errors: RegistryErrorEntry[]) {
      // Only reached for errors raised outside the handler; MinLog1 has no error element, so the hub names one.
      return `<ml:ListLogStatementsError xmlns:ml="${MINLOG1_NS}">${errors.map((e) => `<Error code="${escapeAttr(String(e.errorCode))}">${escapeText(e.codeContext)}</Error>`).join('')}</ml:ListLogStatementsError>`;
    },
  };
  return [addRegistrations, listLogStatements];
}

const NAME_FORMATS: Record<string, string> = { SOR: 'medcom:sor', YDER: 'medcom:ynumber', CVR: 'medcom:cvrnumber' };

/** A MinLog1 LogEntry (minlogudtraekservice.xsd; regKode(20) is a digest of the key); MinLog2's Addition is shown in `handling`, which has no own field there. */
function logEntryXml(r: StoredRegistration): string {
  const t = (name: string, v: string | undefined) => (v === undefined ? '' : `<${name}>${escapeText(v)}</${name}>`);
  const org = r.organisation ? `<brugerOrganisation NameFormat="${escapeAttr(NAME_FORMATS[r.organisation.source] ?? 'medcom:sor')}">${escapeText(r.organisation.id)}</brugerOrganisation>` : '';
  const handling = r.addition ? `${r.activity} (${r.addition})` : r.activity;
  return `<LogEntry>${t('regKode', createHash('sha1').update(r.key).digest('hex').slice(0, 20))}${t('bruger', r.user.id)}${t('ansvarlig', r.onBehalfOf?.id ?? r.user.id)}${org}${t('system', r.systemName)}${t('handling', handling)}${t('sessionsId', r.correlationId)}${t('tidspunkt', r.dateTime ?? r.fromDateTime)}</LogEntry>`;
}
