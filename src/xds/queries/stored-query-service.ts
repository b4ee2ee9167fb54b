/**
 * The Registry Stored Query service (ITI-18, ITI TF-2a §3.18.4.1.3) and Multi-Patient Stored Query
 * (ITI-51, ITI TF-2b §3.51.4.1.3): parse the AdhocQueryRequest, dispatch by query id, execute against the
 * MetadataStore, pass the result through the read hooks, encode the AdhocQueryResponse.
 *
 * Read hooks (architecture.md "Hooks", dk-nsp.md §2.4-2.5): authorizeRead sees every result before it
 * leaves. "deny" (DDS: negative consent) answers an empty Success and records nothing; "allow" may redact
 * (fewer objects + warnings such as `urn:dk:nsi:Consent Filter Applied`), and then recordRead writes the
 * access for the DocumentEntries actually returned. A request that fails validation (XdsError) is answered
 * with status Failure and its RegistryErrorList, before any data was read, so nothing is recorded.
 */
import { adhocQueryFailureXml, adhocQueryResponseXml } from '../ebrim/adhoc-query-response.js';
import { parseAdhocQueryRequest } from '../ebrim/adhoc-query.js';
import { ErrorCode, XdsError, type RegistryErrorEntry } from '../errors.js';
import type { DocumentEntry, RegistryObject } from '../model/types.js';
import type { RequestContext } from '../transactions/descriptor.js';
import type { HookRunner } from '../../hooks/types.js';
import type { MetadataStore } from '../../storage/ports.js';
import type { XmlElement } from '../../xml/tree.js';
import { ITI18_QUERIES, ITI51_QUERIES, lookupQuery } from './catalogue.js';
import { QueryParams } from './params.js';
import type { ReturnType, StoredQuery } from './query-types.js';

/** documentAvailability of an entry whose document cannot be retrieved (ITI TF-3 §4.2.3.2.33). */
const DOCUMENT_OFFLINE = 'urn:ihe:iti:2010:DocumentAvailability:Offline';

export interface StoredQueryServiceConfig {
  /** XDSTooManyResults cap (HubConfig.maxQueryResults). */
  maxResults: number;
  /** written as `home` on returned objects (ITI TF-3 §4.2.3.2.12); the registry ignores a requested one. */
  homeCommunityId?: string;
}

export interface StoredQueryServiceDeps {
  store: MetadataStore;
  hooks: HookRunner;
  config: StoredQueryServiceConfig;
}

/** What a query produced after the hooks, before encoding (for callers other than SOAP, e.g. admin UI). */
export interface StoredQueryResult {
  returnType: ReturnType;
  objects: RegistryObject[];
  warnings: RegistryErrorEntry[];
  denied: boolean;
}

function patientOf(o: RegistryObject): string | undefined {
  return o.kind === 'Association' ? undefined : o.patientId;
}

export class StoredQueryService {
  constructor(private readonly deps: StoredQueryServiceDeps) {}

  /** Runs one request and returns the AdhocQueryResponse XML (Failure with a RegistryErrorList on errors). */
  async run(request: XmlElement, ctx: RequestContext, options: { multiPatient: boolean }): Promise<string> {
    try {
      const result = await this.query(request, ctx, options);
      return adhocQueryResponseXml({
        objects: result.objects,
        returnType: result.returnType,
        errors: result.warnings,
        encode: { homeCommunityId: this.deps.config.homeCommunityId },
      });
    } catch (err) {
      if (err instanceof XdsError) return adhocQueryFailureXml(err.errors);
      throw err;
    }
  }

  /** Parse, execute, authorize and record; throws XdsError for a request the registry rejects. */
  async query(request: XmlElement, ctx: RequestContext, options: { multiPatient: boolean }): Promise<StoredQueryResult> {
    const req = parseAdhocQueryRequest(request);
    const query = lookupQuery(options.multiPatient ? ITI51_QUERIES : ITI18_QUERIES, req.queryId);
    const params = new QueryParams(req.slots, query.params);
    const outcome = await query.execute(params, this.deps.store, {
      returnType: req.returnType,
      maxResults: this.deps.config.maxResults,
    });
    // Metadata Update (ITI TF-2a §3.18.4.1.2.3.5.1): at $MetadataLevel 1 a DocumentEntry whose
    // documentAvailability is Offline (set through ITI-57) is not returned, nor the associations to it.
    const objects =
      params.metadataLevel() === 2
        ? outcome.objects
        : withoutDanglingAssociations(outcome.objects, outcome.objects.filter((o) => !(o.kind === 'DocumentEntry' && o.documentAvailability === DOCUMENT_OFFLINE)));
    const resultPatients = [...new Set(objects.map(patientOf).filter((p): p is string => p !== undefined))];
    if (req.returnType === 'LeafClass') assertSinglePatient(query, resultPatients);

    const patientIds = outcome.requestedPatientIds.length > 0 ? outcome.requestedPatientIds : resultPatients;
    const decision = await this.deps.hooks.authorizeRead({ context: ctx, patientIds, objects });
    if (decision.outcome === 'deny') {
      return { returnType: req.returnType, objects: [], warnings: [], denied: true };
    }
    const allowed = withoutDanglingAssociations(objects, decision.objects);
    await this.deps.hooks.recordRead({
      context: ctx,
      patientIds,
      documents: allowed.filter((o): o is DocumentEntry => o.kind === 'DocumentEntry'),
      outcome: allowed.length < objects.length ? 'partial' : 'success',
      addition: decision.addition,
    });
    return { returnType: req.returnType, objects: allowed, warnings: decision.warnings, denied: false };
  }
}

/**
 * XDSResultNotSinglePatient (ITI TF-2a §3.18.4.1.2.3.3, ITI TF-3 Table 4.2.4.1-2): a LeafClass result of
 * an ITI-18 query must not mix patients; ObjectRef results and ITI-51 queries may.
 */
function assertSinglePatient(query: StoredQuery, patients: string[]): void {
  if (query.multiPatient || patients.length <= 1) return;
  throw new XdsError(
    ErrorCode.ResultNotSinglePatient,
    `${query.name}: the LeafClass result would contain metadata of ${patients.length} patients; ask for ObjectRef or narrow the query`,
  );
}

/**
 * When a consent hook redacted objects, the Associations that point at a removed object go too, so the
 * answer does not reveal that hidden metadata exists (dk-nsp.md §2.4 data-specific consent).
 */
function withoutDanglingAssociations(before: RegistryObject[], after: RegistryObject[]): RegistryObject[] {
  const kept = new Set(after.map((o) => o.entryUuid));
  const removed = new Set(before.filter((o) => !kept.has(o.entryUuid)).map((o) => o.entryUuid));
  if (removed.size === 0) return after;
  let result = after;
  for (;;) {
    // an association pointing at a removed association goes too (SubmissionSet → Folder membership)
    const dangling = result.filter(
      (o) => o.kind === 'Association' && (removed.has(o.sourceUuid) || removed.has(o.targetUuid)),
    );
    if (dangling.length === 0) return result;
    for (const o of dangling) removed.add(o.entryUuid);
    result = result.filter((o) => !removed.has(o.entryUuid));
  }
}
