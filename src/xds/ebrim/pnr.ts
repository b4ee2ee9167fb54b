/**
 * xdsb:ProvideAndRegisterDocumentSetRequest (ITI TF-2b §3.41.4.1.2): one lcm:SubmitObjectsRequest and one
 * xdsb:Document per document, its @id the DocumentEntry id. The Document element's content (base64 or an
 * xop:Include) is resolved by the SOAP layer (SoapRequest.documentContent), not here.
 */
import { ErrorCode, XdsError } from '../errors.js';
import type { XmlElement } from '../../xml/tree.js';
import { NS } from './namespaces.js';

export interface PnrDocument {
  /** the DocumentEntry id (symbolic or urn:uuid) this document belongs to. */
  id: string;
  element: XmlElement;
}

export interface ProvideAndRegisterRequest {
  submitObjectsRequest: XmlElement;
  documents: PnrDocument[];
}

export function decodeProvideAndRegister(request: XmlElement): ProvideAndRegisterRequest {
  const err = (message: string, location?: string): never => {
    throw new XdsError(ErrorCode.RepositoryMetadataError, message, location);
  };
  if (request.ns !== NS.xdsb || request.name !== 'ProvideAndRegisterDocumentSetRequest') {
    err(`expected xdsb:ProvideAndRegisterDocumentSetRequest, got {${request.ns}}${request.name}`);
  }
  let submitObjectsRequest: XmlElement | undefined;
  const documents: PnrDocument[] = [];
  const seen = new Set<string>();
  for (const c of request.children) {
    if (c.ns === NS.lcm && c.name === 'SubmitObjectsRequest') {
      if (submitObjectsRequest) err('ProvideAndRegisterDocumentSetRequest has more than one SubmitObjectsRequest');
      submitObjectsRequest = c;
    } else if (c.ns === NS.xdsb && c.name === 'Document') {
      const id = c.attrs.id;
      if (!id) err('an xdsb:Document has no id attribute');
      // ITI TF-2b §3.41.4.1.3: each Document is matched to exactly one DocumentEntry by id.
      if (seen.has(id!)) err(`two xdsb:Document elements have id "${id}"`, id);
      seen.add(id!);
      documents.push({ id: id!, element: c });
    } else {
      err(`unexpected element {${c.ns}}${c.name} in ProvideAndRegisterDocumentSetRequest`);
    }
  }
  if (!submitObjectsRequest) err('ProvideAndRegisterDocumentSetRequest has no lcm:SubmitObjectsRequest');
  return { submitObjectsRequest: submitObjectsRequest!, documents };
}
