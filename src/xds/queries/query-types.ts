/**
 * What a stored query module is (one module per ITI-18 / ITI-51 stored query, ITI TF-2a §3.18.4.1.2.3.7):
 * its query id (a UUID), its parameter specification, and an execute() that compiles the parameters to
 * the backend-neutral filters of src/storage/ports.ts and composes store calls.
 */
import { ErrorCode, XdsError } from '../errors.js';
import type { RegistryObject } from '../model/types.js';
import type { FindOptions, MetadataStore } from '../../storage/ports.js';
import type { ParamSpecs, QueryParams } from './params.js';

/** ebRS 3.0 ResponseOption/@returnType values XDS uses (ITI TF-2a §3.18.4.1.2.3.4). */
export type ReturnType = 'LeafClass' | 'ObjectRef';

export interface QueryOptions {
  returnType: ReturnType;
  /** XDSTooManyResults cap (HubConfig.maxQueryResults). */
  maxResults: number;
}

export interface QueryOutcome {
  /** the objects to return, in a stable order (documents, submission sets, folders, associations). */
  objects: RegistryObject[];
  /** the patients the request named (patient-driven queries); uuid-driven queries leave it empty. */
  requestedPatientIds: string[];
}

export interface StoredQuery {
  /** the query id, `urn:uuid:...` (ITI TF-2a Table 3.18.4.1.2.3.7-1 / ITI TF-2b §3.51.4.1.2). */
  id: string;
  name: string;
  params: ParamSpecs;
  /** ITI-51 queries: results may span patients and XDSResultNotSinglePatient does not apply. */
  multiPatient?: boolean;
  execute(params: QueryParams, store: MetadataStore, options: QueryOptions): Promise<QueryOutcome>;
}

/**
 * Guards each store call with `limit = cap + 1` so XDSTooManyResults is detected without reading
 * unbounded result sets (ITI TF-3 Table 4.2.4.1-2).
 */
export class ResultCap {
  constructor(readonly max: number) {}

  get findOptions(): FindOptions {
    return { limit: this.max + 1 };
  }

  check<T>(items: T[]): T[] {
    if (items.length > this.max) {
      throw new XdsError(
        ErrorCode.TooManyResults,
        `The query matches more than ${this.max} objects; narrow it with more parameters`,
      );
    }
    return items;
  }
}
