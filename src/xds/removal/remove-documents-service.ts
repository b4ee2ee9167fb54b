/**
 * ITI-86 Remove Documents, Document Repository side (RMD, ITI TF-2b §3.86.4.1.3): removes the bytes of
 * the named documents from the DocumentStore; the registry metadata is removed separately (ITI-62). Each
 * DocumentRequest is answered on its own: another repositoryUniqueId is XDSUnknownRepositoryId, a document
 * the repository does not hold is XDSDocumentUniqueIdError, and neither removes anything. Afterwards an
 * ITI-43 retrieve of a removed document fails (RetrieveService finds no bytes).
 */
import type { DocumentStore } from '../../storage/ports.js';
import type { XmlElement } from '../../xml/tree.js';
import { NS } from '../ebrim/namespaces.js';
import { decodeRetrieveRequest, type DocumentRequest } from '../ebrim/retrieve.js';
import { ErrorCode, Severity, XdsError, type RegistryErrorEntry } from '../errors.js';

export const RMD_NS = 'urn:ihe:iti:rmd:2017';

export interface RemoveDocumentsDeps {
  documents: DocumentStore;
  repositoryUniqueId: string;
}

export interface RemoveDocumentsResult {
  removed: string[];
  errors: RegistryErrorEntry[];
}

/** rmd:RemoveDocumentsRequest has the type of xdsb:RetrieveDocumentSetRequest (RMD.xsd). */
export function decodeRemoveDocumentsRequest(request: XmlElement): DocumentRequest[] {
  if (request.ns !== RMD_NS || request.name !== 'RemoveDocumentsRequest') {
    throw new XdsError(ErrorCode.RepositoryError, `expected rmd:RemoveDocumentsRequest, got {${request.ns}}${request.name}`);
  }
  return decodeRetrieveRequest({ ...request, ns: NS.xdsb, name: 'RetrieveDocumentSetRequest' });
}

export class RemoveDocumentsService {
  constructor(private readonly deps: RemoveDocumentsDeps) {}

  async remove(requests: DocumentRequest[]): Promise<RemoveDocumentsResult> {
    const errors: RegistryErrorEntry[] = [];
    const removed: string[] = [];
    const error = (errorCode: string, codeContext: string, location: string): void => {
      errors.push({ errorCode, codeContext, severity: Severity.Error, location });
    };
    for (const r of requests) {
      if (r.repositoryUniqueId !== this.deps.repositoryUniqueId) {
        error(ErrorCode.UnknownRepositoryId, `repositoryUniqueId ${r.repositoryUniqueId} is not this repository (${this.deps.repositoryUniqueId}); nothing removed`, r.documentUniqueId);
        continue;
      }
      if (!(await this.deps.documents.delete(r.documentUniqueId))) {
        error(ErrorCode.DocumentUniqueIdError, `document ${r.documentUniqueId} is not held by repository ${r.repositoryUniqueId}`, r.documentUniqueId);
        continue;
      }
      removed.push(r.documentUniqueId);
    }
    return { removed, errors };
  }
}
