/**
 * ITI-41 Provide and Register Document Set-b, Document Repository side (ITI TF-2b §3.41.4.1.3):
 * store each document's bytes, compute SHA-1 and size, check what the source supplied, set hash, size and
 * repositoryUniqueId, then register the metadata (ITI-42) and pass the registry's answer back.
 * All or nothing: when anything fails, the bytes stored by this request are removed again.
 */
import type { DocumentStore } from '../../storage/ports.js';
import type { DocumentContent, SoapRequest } from '../../soap/types.js';
import { hashStream } from '../../util/hash-stream.js';
import { KeyedMutex } from '../../util/keyed-mutex.js';
import type { XmlElement } from '../../xml/tree.js';
import { decodeSubmission } from '../ebrim/decode-submission.js';
import { decodeProvideAndRegister, type PnrDocument } from '../ebrim/pnr.js';
import { ErrorCode, ErrorCollector, XdsError, type RegistryErrorEntry } from '../errors.js';
import { DocumentEntryType } from '../model/types.js';
import type { RequestContext } from '../transactions/descriptor.js';
import { amendSubmission, type RepositoryAttributes } from './amend-metadata.js';
import type { RegistryClient } from './registry-client.js';

export interface ProvideAndRegisterDeps {
  documents: DocumentStore;
  registry: RegistryClient;
  repositoryUniqueId: string;
}

interface PlannedDocument {
  entryId: string;
  uniqueId: string;
  content: DocumentContent;
  suppliedHash?: string;
  suppliedSize?: number;
}

function openContent(content: DocumentContent) {
  return content.kind === 'inline' ? content.bytes : content.attachment.open();
}

export class ProvideAndRegisterService {
  /** One lock per document uniqueId, so concurrent submissions never undo each other's bytes. */
  private readonly locks = new KeyedMutex();

  constructor(private readonly deps: ProvideAndRegisterDeps) {}

  /** Runs ITI-41 for a ProvideAndRegisterDocumentSetRequest body; resolves to registry warnings. */
  async provideAndRegister(request: SoapRequest, context: RequestContext): Promise<RegistryErrorEntry[]> {
    const { submitObjectsRequest: sor, documents } = decodeProvideAndRegister(request.body);
    const planned = this.plan(sor, documents, request);

    return this.locks.withKeys(planned.map((p) => p.uniqueId), async () => {
      const stored: string[] = [];
      const preexisting: PlannedDocument[] = [];
      try {
        const attrs = new Map<string, RepositoryAttributes>();
        const problems = new ErrorCollector();
        for (const doc of planned) {
          // Never overwrite bytes that are already stored under this uniqueId: only hash the new ones;
          // the registry decides (XDSDuplicateUniqueIdInRegistry / XDSNonIdenticalHash).
          const exists = (await this.deps.documents.stat(doc.uniqueId)) !== undefined;
          const info = exists
            ? await hashStream(openContent(doc.content))
            : await this.deps.documents.put(doc.uniqueId, openContent(doc.content));
          if (exists) preexisting.push(doc);
          else stored.push(doc.uniqueId);
          if (doc.suppliedHash !== undefined && doc.suppliedHash.toLowerCase() !== info.sha1) {
            problems.error(ErrorCode.RepositoryMetadataError, `DocumentEntry ${doc.entryId}: hash ${doc.suppliedHash} does not match the document's SHA-1 ${info.sha1}`, doc.entryId);
          }
          if (doc.suppliedSize !== undefined && doc.suppliedSize !== info.size) {
            problems.error(ErrorCode.RepositoryMetadataError, `DocumentEntry ${doc.entryId}: size ${doc.suppliedSize} does not match the document's ${info.size} bytes`, doc.entryId);
          }
          attrs.set(doc.entryId, { hash: info.sha1, size: info.size, repositoryUniqueId: this.deps.repositoryUniqueId });
        }
        problems.throwIfErrors();
        const warnings = await this.deps.registry.register(amendSubmission(sor, attrs), context);
        // Registered although bytes existed: they were an orphan of an earlier failed run; replace them.
        for (const doc of preexisting) await this.deps.documents.put(doc.uniqueId, openContent(doc.content));
        return warnings;
      } catch (err) {
        await Promise.allSettled(stored.map((key) => this.deps.documents.delete(key)));
        throw err;
      }
    });
  }

  /** Pairs each DocumentEntry with its xdsb:Document (XDSMissingDocument / XDSMissingDocumentMetadata). */
  private plan(sor: XmlElement, documents: PnrDocument[], request: SoapRequest): PlannedDocument[] {
    const submission = decodeSubmission(sor, { errorCode: ErrorCode.RepositoryMetadataError });
    const errors = new ErrorCollector();
    const byId = new Map<string, XmlElement>(documents.map((d) => [d.id, d.element]));
    const planned: PlannedDocument[] = [];
    const seenUniqueIds = new Set<string>();
    for (const entry of submission.documents) {
      if (entry.objectType === DocumentEntryType.OnDemand) continue;
      const el = byId.get(entry.entryUuid);
      byId.delete(entry.entryUuid);
      if (!el) {
        errors.error(ErrorCode.MissingDocument, `DocumentEntry ${entry.entryUuid} (uniqueId ${entry.uniqueId}) has no xdsb:Document in the request`, entry.entryUuid);
        continue;
      }
      if (seenUniqueIds.has(entry.uniqueId)) {
        errors.error(ErrorCode.RepositoryDuplicateUniqueIdInMessage, `uniqueId ${entry.uniqueId} is used by more than one DocumentEntry`, entry.uniqueId);
        continue;
      }
      seenUniqueIds.add(entry.uniqueId);
      let content: DocumentContent;
      try {
        content = request.documentContent(el);
      } catch (err) {
        if (err instanceof XdsError) {
          errors.entries.push(...err.errors);
          continue;
        }
        throw err;
      }
      planned.push({ entryId: entry.entryUuid, uniqueId: entry.uniqueId, content, suppliedHash: entry.hash, suppliedSize: entry.size });
    }
    for (const id of byId.keys()) {
      errors.error(ErrorCode.MissingDocumentMetadata, `xdsb:Document "${id}" has no DocumentEntry (ExtrinsicObject) in the metadata`, id);
    }
    errors.throwIfErrors();
    return planned;
  }
}
