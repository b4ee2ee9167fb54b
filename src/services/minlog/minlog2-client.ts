/**
 * A MinLog2 registration client (dk-nsp.md §3.2; minlog.wsdl 2025/03/12: SOAP 1.1, soapAction
 * "AddRegistrations", body minlog:RegistrationRequest): ships registrations to a MinLog service — the NSP's,
 * or another hub's /minlog — as the worker's sink instead of the local store. The elements follow the XSD
 * sequence of DestinationForEntryForRegistrationType; test/unit/services/minlog/minlog2-xsd.test.ts validates
 * the request sent for minLogRegistrationsOf output against the vendored XSD (schemas/nsp/minlog2), and the
 * hub's own /minlog validates every body it receives against it. Each entry carries CorrelationId + a SequenceNumber
 * derived from the outbox key, so a service that deduplicates on them (the hub's does) registers a retried
 * batch once. Any failed entry or a non-200 answer throws: the job is retried and, in the end, dead-lettered.
 */
import { createHash } from 'node:crypto';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { parseXml } from '../../xml/parse.js';
import { childrenNamed, deepText, descendants } from '../../xml/tree.js';
import { MINLOG2_NS } from './descriptors.js';
import type { MinLogStore } from './ports.js';
import type { IdWithSource, MinLogRegistration } from './registration.js';

export interface MinLog2ClientOptions {
  url: string;
  /** SOAP header blocks per call (DGWS wsse:Security with a system ID card + medcom:Header). */
  securityHeaders: () => string[] | Promise<string[]>;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

const el = (name: string, v: string | undefined) => (v === undefined ? '' : `<${name}>${escapeText(v)}</${name}>`);
const idEl = (name: string, v: IdWithSource | undefined) => (v ? `<${name} source="${escapeAttr(v.source)}">${escapeText(v.id)}</${name}>` : '');

/** The sequence number of an outbox key: stable, <= 36 characters (SequenceNumberType). */
export function sequenceNumberOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 36);
}

export function logDataEntryXml(r: MinLogRegistration, key: string): string {
  const source = r.source && (r.source.correlationId || r.source.systemName) ? `<Source>${el('CorrelationId', r.source.correlationId)}${el('SystemName', r.source.systemName)}</Source>` : '';
  const time = r.dateTime !== undefined ? el('DateTime', r.dateTime) : el('FromDateTime', r.fromDateTime) + el('ToDateTime', r.toDateTime);
  return (
    `<LogDataEntry>${source}<Destination>` +
    el('SystemName', r.systemName) +
    el('Activity', r.activity) +
    el('Reason', r.reason) +
    el('Addition', r.addition) +
    el('Criticality', r.criticality) +
    time +
    idEl('OrganisationId', r.organisation) +
    el('OrganisationName', r.organisation?.name) +
    idEl('PersonIdentifier', r.citizen) +
    el('PersonName', r.citizen.name) +
    el('CorrelationId', r.correlationId) +
    el('SequenceNumber', r.sequenceNumber ?? sequenceNumberOf(key)) +
    idEl('UserPersonIdentifier', r.user) +
    el('UserPersonName', r.user.name) +
    el('UserRole', r.user.role) +
    idEl('OnBehalfOfPersonIdentifier', r.onBehalfOf) +
    el('OnBehalfOfPersonName', r.onBehalfOf?.name) +
    el('OnBehalfOfUserRole', r.onBehalfOf?.role) +
    (r.filters ?? []).map((f) => el('Filter', f)).join('') +
    '</Destination></LogDataEntry>'
  );
}

/** A MinLogStore sink that only adds (the extract lives at the remote MinLog). */
export function createMinLog2Client(opts: MinLog2ClientOptions): Pick<MinLogStore, 'add'> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  return {
    async add(entries) {
      if (entries.length === 0) return { added: 0, duplicates: 0 };
      const headers = await opts.securityHeaders();
      const body = `<minlog:RegistrationRequest xmlns:minlog="${MINLOG2_NS}">${entries.map((e) => logDataEntryXml(e.registration, e.key)).join('')}</minlog:RegistrationRequest>`;
      const envelope = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Header>${headers.join('')}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
      const res = await fetchImpl(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=UTF-8', SOAPAction: '"AddRegistrations"' },
        body: envelope,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`MinLog AddRegistrations answered HTTP ${res.status}: ${text.slice(0, 500)}`);
      const root = parseXml(text);
      const response = descendants(root, MINLOG2_NS, 'RegistrationResponse')[0];
      if (!response) throw new Error(`MinLog AddRegistrations answered without a RegistrationResponse: ${text.slice(0, 500)}`);
      const failed = childrenNamed(response, '', 'FailedLogDataEntries');
      if (failed.length > 0) throw new Error(`MinLog refused ${failed.length} of ${entries.length} registrations: ${failed.map(deepText).join('; ').slice(0, 500)}`);
      const added = Number(childrenNamed(response, '', 'NumberAdded')[0]?.text ?? '0');
      return { added, duplicates: entries.length - added };
    },
  };
}
