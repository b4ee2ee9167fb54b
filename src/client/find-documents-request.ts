/**
 * The ITI-18 FindDocuments request the demo, the benchmarks and the tests send (ITI TF-2a §3.18.4.1.2.3.7.1):
 * one patient, Approved entries, optionally one classCode (code^^scheme, ITI TF-2a §3.18.4.1.2.3.7.1 code
 * parameters). The patient id is XML-escaped (its `&` separators).
 */
import { escapeText } from '../xml/escape.js';
import { NS } from '../xds/ebrim/namespaces.js';
import { FIND_DOCUMENTS_ID } from '../xds/queries/find-documents.js';

export interface FindDocumentsRequestOptions {
  returnType?: 'LeafClass' | 'ObjectRef';
  classCode?: { code: string; scheme: string };
}

export function findDocumentsRequestXml(patientId: string, options: FindDocumentsRequestOptions = {}): string {
  const slot = (name: string, value: string) => `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${escapeText(value)}</rim:Value></rim:ValueList></rim:Slot>`;
  return (
    `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}">` +
    `<query:ResponseOption returnComposedObjects="true" returnType="${options.returnType ?? 'LeafClass'}"/>` +
    `<rim:AdhocQuery id="${FIND_DOCUMENTS_ID}">` +
    slot('$XDSDocumentEntryPatientId', `'${patientId}'`) +
    slot('$XDSDocumentEntryStatus', "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')") +
    (options.classCode ? slot('$XDSDocumentEntryClassCode', `('${options.classCode.code}^^${options.classCode.scheme}')`) : '') +
    `</rim:AdhocQuery></query:AdhocQueryRequest>`
  );
}
