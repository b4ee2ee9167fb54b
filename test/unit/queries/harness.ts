/** Runs stored queries through StoredQueryService against a fresh in-memory SQLite store. */
import { afterEach, beforeEach } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import type { HookRunner, ReadAccess, ReadDecision, ReadRecord } from '../../../src/hooks/types.js';
import { anonymousContext } from '../../../src/security/context.js';
import type { RequestContext } from '../../../src/xds/transactions/descriptor.js';
import { StoredQueryService } from '../../../src/xds/queries/stored-query-service.js';
import type { RegistryObject } from '../../../src/xds/model/types.js';
import { parseXml } from '../../../src/xml/parse.js';
import { childrenNamed, descendants, type XmlElement } from '../../../src/xml/tree.js';
import { adhocRequest, buildDataSet, load, type DataSet, type SlotArg } from './fixture.js';
import { OTHER_PATIENT, PATIENT } from '../../support/domain-builders.js';

export const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
export const RS = 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0';

export interface Counts {
  DocumentEntry: number;
  SubmissionSet: number;
  Folder: number;
  Association: number;
}

export function countKinds(objects: RegistryObject[]): Counts {
  const c: Counts = { DocumentEntry: 0, SubmissionSet: 0, Folder: 0, Association: 0 };
  for (const o of objects) c[o.kind]++;
  return c;
}

export interface ParsedResponse {
  status: string;
  errorCodes: string[];
  warnings: string[];
  /** local names of the RegistryObjectList children (ExtrinsicObject, RegistryPackage, Association, ObjectRef). */
  elements: string[];
  ids: string[];
  root: XmlElement;
}

export function parseResponse(xml: string): ParsedResponse {
  const root = parseXml(xml);
  const list = root.children.find((c) => c.name === 'RegistryObjectList');
  const errors = descendants(root, RS, 'RegistryError');
  return {
    status: root.attrs.status.split(':').pop()!,
    errorCodes: errors.filter((e) => e.attrs.severity.endsWith('Error')).map((e) => e.attrs.errorCode),
    warnings: errors.filter((e) => e.attrs.severity.endsWith('Warning')).map((e) => e.attrs.codeContext),
    elements: list ? list.children.map((c) => c.name) : [],
    ids: list ? list.children.map((c) => c.attrs.id) : [],
    root,
  };
}

export function context(): RequestContext {
  return { requestId: 'r1', receivedAt: new Date(), security: anonymousContext(), transaction: 'ITI-18' };
}

/** A HookRunner that allows everything (or applies `decide`) and remembers what it saw. */
export class RecordingHooks implements HookRunner {
  readonly accesses: ReadAccess[] = [];
  readonly records: ReadRecord[] = [];
  decide: (a: ReadAccess) => ReadDecision = (a) => ({ outcome: 'allow', objects: a.objects, warnings: [] });

  async authorizeRead(access: ReadAccess): Promise<ReadDecision> {
    this.accesses.push(access);
    return this.decide(access);
  }

  async recordRead(record: ReadRecord): Promise<void> {
    this.records.push(record);
  }
}

export interface Harness {
  stores: SqliteStores;
  hooks: RecordingHooks;
  service: StoredQueryService;
  a: DataSet;
  b: DataSet;
  /** runs a query and returns the objects after hooks (throws XdsError on failure). */
  objects(queryId: string, slots: SlotArg[], returnType?: string, multiPatient?: boolean): Promise<RegistryObject[]>;
  /** runs a query end to end and parses the AdhocQueryResponse XML. */
  xml(queryId: string, slots: SlotArg[], returnType?: string, multiPatient?: boolean): Promise<ParsedResponse>;
}

/** Registers before/after hooks that give each test a fresh store with patient A and B data sets. */
export function useHarness(config: { maxResults?: number; homeCommunityId?: string } = {}): Harness {
  const h = {} as Harness;
  beforeEach(async () => {
    h.stores = openSqliteStores(':memory:');
    h.hooks = new RecordingHooks();
    h.service = new StoredQueryService({
      store: h.stores.metadata,
      hooks: h.hooks,
      config: { maxResults: config.maxResults ?? 1000, homeCommunityId: config.homeCommunityId },
    });
    h.a = buildDataSet(PATIENT);
    h.b = buildDataSet(OTHER_PATIENT);
    await load(h.stores.metadata, h.a);
    await load(h.stores.metadata, h.b);
    h.objects = async (id, slots, rt = 'LeafClass', mp = false) =>
      (await h.service.query(adhocRequest(id, slots, rt), context(), { multiPatient: mp })).objects;
    h.xml = async (id, slots, rt = 'LeafClass', mp = false) =>
      parseResponse(await h.service.run(adhocRequest(id, slots, rt), context(), { multiPatient: mp }));
  });
  afterEach(async () => {
    await h.stores.close();
  });
  return h;
}

export { childrenNamed };
