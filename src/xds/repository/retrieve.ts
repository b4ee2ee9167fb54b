/**
 * ITI-43 Retrieve Document Set, Document Repository side (ITI TF-2b §3.43.4.1.3): several
 * DocumentRequests per call, each answered on its own — XDSUnknownRepositoryId for another repository,
 * XDSDocumentUniqueIdError for an unknown document — so the response may be PartialSuccess.
 * A retrieve is a read path: the consent hooks decide before any byte leaves, the recorders log after.
 */
import type { Readable } from 'node:stream';
import type { HookRunner } from '../../hooks/types.js';
import type { DocumentStore, MetadataStore } from '../../storage/ports.js';
import { ErrorCode, Severity, type RegistryErrorEntry } from '../errors.js';
import { Status, type DocumentEntry } from '../model/types.js';
import type { RequestContext } from '../transactions/descriptor.js';
import type { DocumentRequest } from '../ebrim/retrieve.js';

export interface RetrievedDocument {
  homeCommunityId?: string;
  repositoryUniqueId: string;
  documentUniqueId: string;
  mimeType: string;
  size: number;
  open(): Promise<Readable>;
}

export interface RetrieveResult {
  documents: RetrievedDocument[];
  errors: RegistryErrorEntry[];
}

export interface RetrieveDeps {
  documents: DocumentStore;
  metadata: MetadataStore;
  hooks: HookRunner;
  repositoryUniqueId: string;
  homeCommunityId?: string;
}

function error(code: string, context: string, location: string): RegistryErrorEntry {
  return { errorCode: code, codeContext: context, severity: Severity.Error, location };
}

export class RetrieveService {
  constructor(private readonly deps: RetrieveDeps) {}

  async retrieve(requests: DocumentRequest[], context: RequestContext): Promise<RetrieveResult> {
    const errors: RegistryErrorEntry[] = [];
    const wanted: DocumentRequest[] = [];
    for (const r of requests) {
      if (r.repositoryUniqueId !== this.deps.repositoryUniqueId) {
        errors.push(error(ErrorCode.UnknownRepositoryId, `repositoryUniqueId ${r.repositoryUniqueId} is not this repository (${this.deps.repositoryUniqueId})`, r.repositoryUniqueId));
      } else wanted.push(r);
    }
    // The registry's entries give mimeType and patient; an approved or deprecated entry may be retrieved.
    const entries = wanted.length
      ? await this.deps.metadata.findDocumentEntries({
          uniqueIds: [...new Set(wanted.map((r) => r.documentUniqueId))],
          statuses: [Status.Approved, Status.Deprecated],
          allVersions: true,
        })
      : [];
    const entryByUid = new Map<string, DocumentEntry>();
    for (const e of entries) if (e.repositoryUniqueId === this.deps.repositoryUniqueId) entryByUid.set(e.uniqueId, e);

    const decision = await this.deps.hooks.authorizeRead({
      context,
      patientIds: [...new Set([...entryByUid.values()].map((e) => e.patientId))],
      objects: [...entryByUid.values()],
    });
    // A denied read returns nothing and logs nothing (dk-nsp.md §2.5); each document is then unavailable.
    const allowed = new Set(
      decision.outcome === 'allow' ? decision.objects.filter((o) => o.kind === 'DocumentEntry').map((o) => (o as DocumentEntry).uniqueId) : [],
    );
    if (decision.outcome === 'allow') errors.push(...decision.warnings);

    const documents: RetrievedDocument[] = [];
    const returned: DocumentEntry[] = [];
    for (const r of wanted) {
      const entry = entryByUid.get(r.documentUniqueId);
      const stat = entry && allowed.has(r.documentUniqueId) ? await this.deps.documents.stat(r.documentUniqueId) : undefined;
      if (!entry || !stat) {
        errors.push(error(ErrorCode.DocumentUniqueIdError, `document ${r.documentUniqueId} is not available in repository ${r.repositoryUniqueId}`, r.documentUniqueId));
        continue;
      }
      returned.push(entry);
      documents.push({
        homeCommunityId: r.homeCommunityId ?? this.deps.homeCommunityId,
        repositoryUniqueId: r.repositoryUniqueId,
        documentUniqueId: r.documentUniqueId,
        mimeType: entry.mimeType,
        size: stat.size,
        open: async () => {
          const got = await this.deps.documents.get(r.documentUniqueId);
          if (!got) throw new Error(`document ${r.documentUniqueId} vanished while being retrieved`);
          return got.stream;
        },
      });
    }
    if (decision.outcome === 'allow') {
      const failed = errors.some((e) => e.severity === Severity.Error);
      await this.deps.hooks.recordRead({
        context,
        patientIds: [...new Set(returned.map((e) => e.patientId))],
        documents: returned,
        outcome: documents.length === 0 ? 'failure' : failed ? 'partial' : 'success',
        addition: decision.addition,
      });
    }
    return { documents, errors };
  }
}
