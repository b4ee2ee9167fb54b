/**
 * Named hook points around every read of metadata or documents (architecture.md, HAPI FHIR interceptor
 * model). Each read path (ITI-18, ITI-43, admin document views, later MHD/XCA) calls the one HookRunner;
 * a test enumerates the read paths and proves each passes it (issue #5).
 *
 * - authorizeRead: may decide ("deny": nothing returned, nothing logged, as DDS does for a negative
 *   consent) and may redact (return fewer objects + a warning such as `urn:dk:nsi:Consent Filter Applied`).
 * - recordRead: writes the access durably (audit, MinLog outbox, BRS follow-up order); may not change data
 *   and must not block on remote services.
 */
import type { RegistryErrorEntry } from '../xds/errors.js';
import type { DocumentEntry, RegistryObject } from '../xds/model/types.js';
import type { RequestContext } from '../xds/transactions/descriptor.js';

export interface ReadAccess {
  context: RequestContext;
  /** The patients whose data the request asks for (stored query parameters, or the retrieved documents'). */
  patientIds: string[];
  /** The metadata about to be returned (query results, or the entries of the documents to retrieve). */
  objects: RegistryObject[];
}

export type ReadDecision =
  | { outcome: 'allow'; objects: RegistryObject[]; warnings: RegistryErrorEntry[]; addition?: string }
  | { outcome: 'deny'; reason: string };

export interface ReadRecord {
  context: RequestContext;
  patientIds: string[];
  /** the DocumentEntries actually returned or retrieved. */
  documents: DocumentEntry[];
  outcome: 'success' | 'partial' | 'failure';
  /** e.g. 'Værdispring' when ConsentOverride opened the full result (dk-nsp.md §2.5). */
  addition?: string;
}

export interface HookRunner {
  authorizeRead(access: ReadAccess): Promise<ReadDecision>;
  recordRead(record: ReadRecord): Promise<void>;
}
