/**
 * ITI-43 Retrieve Document Set messages (ITI TF-2b §3.43.4.1 request, §3.43.4.2 response; schema
 * XDS.b_DocumentRepository.xsd). The response carries each document as <xop:Include href="cid:..."/>, the
 * bytes travelling as an MTOM part (ITI TF-2x §V.3.4).
 */
import type { RegistryErrorEntry } from '../errors.js';
import { ErrorCode, XdsError } from '../errors.js';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import type { XmlElement } from '../../xml/tree.js';
import { child } from '../../xml/tree.js';
import { NS, type ResponseStatusValue } from './namespaces.js';
import { registryResponseXml, statusFor } from './registry-response.js';

export interface DocumentRequest {
  homeCommunityId?: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
}

export function decodeRetrieveRequest(request: XmlElement): DocumentRequest[] {
  const err = (message: string): never => {
    throw new XdsError(ErrorCode.RepositoryError, message);
  };
  if (request.ns !== NS.xdsb || request.name !== 'RetrieveDocumentSetRequest') {
    err(`expected xdsb:RetrieveDocumentSetRequest, got {${request.ns}}${request.name}`);
  }
  const requests = request.children.filter((c) => c.ns === NS.xdsb && c.name === 'DocumentRequest');
  if (requests.length === 0) err('RetrieveDocumentSetRequest has no DocumentRequest');
  return requests.map((r, i) => {
    const text = (name: string): string | undefined => {
      const el = child(r, NS.xdsb, name);
      return el === undefined ? undefined : el.text.trim();
    };
    const repositoryUniqueId = text('RepositoryUniqueId');
    const documentUniqueId = text('DocumentUniqueId');
    if (!repositoryUniqueId) err(`DocumentRequest ${i + 1} has no RepositoryUniqueId`);
    if (!documentUniqueId) err(`DocumentRequest ${i + 1} has no DocumentUniqueId`);
    const out: DocumentRequest = { repositoryUniqueId: repositoryUniqueId!, documentUniqueId: documentUniqueId! };
    const home = text('HomeCommunityId');
    if (home) out.homeCommunityId = home;
    return out;
  });
}

export interface DocumentResponseInfo {
  homeCommunityId?: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
  mimeType: string;
  /** Content-ID of the MTOM part holding the bytes (without angle brackets). */
  contentId: string;
}

/**
 * The xdsb:RetrieveDocumentSetResponse body. Status: Success when every request was served, Failure when
 * none was, PartialSuccess otherwise (ITI TF-2b §3.43.4.2.3) — pass it explicitly or let it be derived.
 */
export function retrieveResponseXml(
  documents: readonly DocumentResponseInfo[],
  errors: readonly RegistryErrorEntry[] = [],
  status?: ResponseStatusValue,
): string {
  const derived: ResponseStatusValue =
    status ??
    (statusFor(errors) === 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure'
      ? documents.length > 0
        ? 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess'
        : 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure'
      : 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
  const el = (name: string, value: string | undefined): string =>
    value === undefined ? '' : `<xdsb:${name}>${escapeText(value)}</xdsb:${name}>`;
  const docs = documents
    .map(
      (d) =>
        `<xdsb:DocumentResponse>` +
        el('HomeCommunityId', d.homeCommunityId) +
        el('RepositoryUniqueId', d.repositoryUniqueId) +
        el('DocumentUniqueId', d.documentUniqueId) +
        el('mimeType', d.mimeType) +
        `<xdsb:Document><xop:Include xmlns:xop="${NS.xop}" href="cid:${escapeAttr(encodeURIComponent(d.contentId).replace(/%40/g, '@'))}"/></xdsb:Document>` +
        `</xdsb:DocumentResponse>`,
    )
    .join('');
  return `<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="${NS.xdsb}">${registryResponseXml(errors, derived)}${docs}</xdsb:RetrieveDocumentSetResponse>`;
}
