/**
 * ITI-43 Retrieve Document Set (ITI TF-2b §3.43): the transaction descriptor. The answer is an MTOM
 * xdsb:RetrieveDocumentSetResponse whose documents travel as parts streamed from the document store
 * (ITI TF-2x §V.3.4); Success, PartialSuccess or Failure per document (ITI TF-2b §3.43.4.2.3).
 */
import { randomUUID } from 'node:crypto';
import { NS } from '../ebrim/namespaces.js';
import { decodeRetrieveRequest, retrieveResponseXml } from '../ebrim/retrieve.js';
import { ErrorCode } from '../errors.js';
import type { RetrieveService } from '../repository/retrieve.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI43_ACTION = 'urn:ihe:iti:2007:RetrieveDocumentSet';

export function createIti43Descriptor(service: RetrieveService): TransactionDescriptor {
  return {
    id: 'ITI-43',
    name: 'Retrieve Document Set',
    action: ITI43_ACTION,
    responseAction: `${ITI43_ACTION}Response`,
    endpoints: ['repository'],
    requestElement: { ns: NS.xdsb, name: 'RetrieveDocumentSetRequest' },
    schema: 'repository',
    metadataErrorCode: ErrorCode.RepositoryMetadataError,
    securityPolicy: 'xds-read',
    readPath: true,
    auditEvent: 'ITI-43',
    async handle(request, context) {
      const result = await service.retrieve(decodeRetrieveRequest(request.body), context);
      const parts = result.documents.map((d) => ({ doc: d, contentId: `${randomUUID()}@xds-hub` }));
      return {
        bodyXml: retrieveResponseXml(
          parts.map(({ doc, contentId }) => ({ ...doc, contentId })),
          result.errors,
        ),
        attachments: parts.map(({ doc, contentId }) => ({ contentId, contentType: doc.mimeType, open: () => doc.open() })),
      };
    },
    errorResponse: (errors) => retrieveResponseXml([], errors),
  };
}
