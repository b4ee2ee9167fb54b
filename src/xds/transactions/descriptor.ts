/**
 * One transaction descriptor per IHE transaction (architecture.md "The pipeline"): the dispatcher maps
 * the SOAP action of a request on an endpoint to exactly one descriptor, and everything the pipeline
 * needs to know about the transaction is a named field here.
 */
import type { SecurityContext } from '../../security/context.js';
import type { RegistryErrorEntry } from '../errors.js';
import type { SoapRequest, SoapResponse } from '../../soap/types.js';

/** Logical endpoints; each is mounted on its IHE path and its NSP aliases (src/http/endpoints.ts). */
export type EndpointName = 'registry' | 'repository';

/** Schema sets compiled once at start-up (src/xml/schemas.ts). */
export type SchemaName = 'registry' | 'repository' | 'rmd' | 'minlog2' | 'none';

export interface RequestContext {
  /** a fresh id per HTTP request, carried into audit records and jobs. */
  requestId: string;
  receivedAt: Date;
  security: SecurityContext;
  remoteAddress?: string;
  /** the descriptor id, e.g. 'ITI-18'. */
  transaction: string;
}

export interface TransactionDescriptor {
  /** IHE transaction number, e.g. 'ITI-41'. */
  id: string;
  /** Human name, e.g. 'Provide and Register Document Set-b'. */
  name: string;
  /** Request SOAP action, e.g. 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b'. */
  action: string;
  /** Response action; WS-Addressing requires it on the reply (normally action + 'Response'). */
  responseAction: string;
  endpoints: EndpointName[];
  /** The expected body root element. */
  requestElement: { ns: string; name: string };
  /** Schema set the body is validated against. */
  schema: SchemaName;
  /** The XDS code for a schema-invalid body (XDSRegistryMetadataError or XDSRepositoryMetadataError). */
  metadataErrorCode: string;
  /** Security policy id (issue #4); 'xds-write' | 'xds-read' etc. */
  securityPolicy: string;
  /** true when the transaction reads documents or metadata: the consent/MinLog/BRS hooks must run. */
  readPath: boolean;
  /** Audit event code (DICOM/IHE ATNA event type, used by the audit hook). */
  auditEvent: string;
  handle(request: SoapRequest, context: RequestContext): Promise<SoapResponse>;
  /**
   * The transaction's own failure body for errors raised outside the handler (schema-invalid body) or
   * thrown by it as XdsError: RegistryResponse for ITI-41/42, AdhocQueryResponse for ITI-18,
   * RetrieveDocumentSetResponse for ITI-43 — each with status Failure and a RegistryErrorList. `request` is
   * the refused request when it was read (a schema-invalid body), for answers that count its parts.
   */
  errorResponse(errors: RegistryErrorEntry[], request?: SoapRequest): string;
}
