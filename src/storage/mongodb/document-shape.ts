/**
 * How a registry object is stored in MongoDB: the domain object as submitted (JSON-equal, exactly what the
 * SQLite adapter keeps in its json column) plus derived fields the stored queries filter on. Every derived
 * field starts with `_`, which no domain field does, so reading an object back is "drop the _ fields".
 *
 *   _id      entryUUID (ITI TF-3 §4.1.3.1)
 *   _codes   [{k: attribute, c: code, s: scheme}] every coded attribute a stored query can filter on
 *            (ITI TF-2a §3.18.4.1.2.3.5): one multikey field answers all of them
 *   _n       HL7 DTM times normalised by ../dtm.ts (string order = time order, §3.18.4.1.2.3.6)
 *   _latest  true on the highest version of a logicalID in its collection (ITI-57 metadata level 1),
 *            maintained inside the commit transaction (metadata-store.ts)
 *   _o       insertion order (an ObjectId: time + counter) so results come back oldest first
 */
import { ObjectId } from 'mongodb';
import { normalizeDtm } from '../dtm.js';
import type { Code, RegistryObject } from '../../xds/model/types.js';

/** Attribute names used in `_codes.k`: the port's filter field names. */
export type CodeAttribute =
  | 'classCode'
  | 'typeCode'
  | 'practiceSettingCode'
  | 'healthcareFacilityTypeCode'
  | 'eventCode'
  | 'confidentialityCode'
  | 'formatCode'
  | 'contentTypeCode'
  | 'codeList';

export interface StoredCode {
  k: CodeAttribute;
  c: string;
  s: string;
}

/** Collections, one per object kind plus bookkeeping. */
export const COLLECTION = {
  DocumentEntry: 'documentEntries',
  SubmissionSet: 'submissionSets',
  Folder: 'folders',
  Association: 'associations',
  uniqueKeys: 'uniqueKeys',
  outbox: 'outbox',
  counters: 'counters',
  patients: 'patients',
} as const;

export type StoredObject = Record<string, unknown> & {
  _id: string;
  _codes?: StoredCode[];
  _n?: Record<string, string>;
  _latest?: boolean;
  _o?: ObjectId;
};

function pushCode(out: StoredCode[], k: CodeAttribute, code: Code | undefined): void {
  if (code) out.push({ k, c: code.code, s: code.scheme });
}

/** The coded attributes of an object as `_codes` entries (same set as the SQLite `codes` side table). */
export function storedCodes(obj: RegistryObject): StoredCode[] {
  const out: StoredCode[] = [];
  switch (obj.kind) {
    case 'DocumentEntry':
      pushCode(out, 'classCode', obj.classCode);
      pushCode(out, 'typeCode', obj.typeCode);
      pushCode(out, 'practiceSettingCode', obj.practiceSettingCode);
      pushCode(out, 'healthcareFacilityTypeCode', obj.healthcareFacilityTypeCode);
      pushCode(out, 'formatCode', obj.formatCode);
      for (const c of obj.eventCodes) pushCode(out, 'eventCode', c);
      for (const c of obj.confidentialityCodes) pushCode(out, 'confidentialityCode', c);
      break;
    case 'SubmissionSet':
      pushCode(out, 'contentTypeCode', obj.contentTypeCode);
      break;
    case 'Folder':
      for (const c of obj.codeList) pushCode(out, 'codeList', c);
      break;
    case 'Association':
      break;
  }
  return out;
}

/** The normalised time fields of an object (absent attribute → absent field, which never matches a range). */
export function normalizedTimes(obj: RegistryObject): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    const n = normalizeDtm(value);
    if (n !== undefined) out[name] = n;
  };
  switch (obj.kind) {
    case 'DocumentEntry':
      put('creationTime', obj.creationTime);
      put('serviceStartTime', obj.serviceStartTime);
      put('serviceStopTime', obj.serviceStopTime);
      break;
    case 'SubmissionSet':
      put('submissionTime', obj.submissionTime);
      break;
    case 'Folder':
      put('lastUpdateTime', obj.lastUpdateTime);
      break;
    case 'Association':
      break;
  }
  return out;
}

/**
 * The stored form. JSON round trip first: it drops `undefined` members (the driver would write them as
 * null) and gives exactly the object the SQLite adapter returns.
 */
export function toStored(obj: RegistryObject, order: ObjectId = new ObjectId()): StoredObject {
  const plain = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  const stored: StoredObject = { _id: obj.entryUuid, ...plain, _o: order };
  if (obj.kind !== 'Association') {
    stored._codes = storedCodes(obj);
    stored._n = normalizedTimes(obj);
    // Set for real by the commit once all versions of the logicalID are known.
    if (obj.kind !== 'SubmissionSet') stored._latest = false;
  }
  return stored;
}

/** The domain object from its stored form. */
export function fromStored<T extends RegistryObject>(doc: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out as T;
}

/**
 * uniqueKeys `_id`s an object claims. A collection sharded by patient cannot carry a globally unique index
 * (MongoDB enforces unique indexes per shard unless prefixed by the shard key), so the registry-wide rules
 * live in one small collection keyed by the rule, in the order the SQLite adapter checks them:
 *   uuid|<entryUUID>          entryUUID once across all kinds (ITI TF-3 §4.1.3.1) → duplicateEntryUuid
 *   ss|<uniqueId>             SubmissionSet uniqueId once → duplicateUniqueId
 *   fo|<uniqueId>|<version>   Folder uniqueId once per version (ITI-57 keeps it) → duplicateUniqueId
 *   dl|<logicalID>|<version>  one DocumentEntry per logicalID and version → precondition (a concurrent
 *   fl|<logicalID>|<version>  ITI-57 update won); the same for Folders
 * A DocumentEntry uniqueId is deliberately not unique: the same document may be registered again (ITI TF-2a
 * §3.42.4.1.3.6, NIST 12004); the registry compares hashes and uses absentUniqueId preconditions.
 */
export function uniqueKeysOf(obj: RegistryObject): { _id: string; kind: RegistryObject['kind']; uuid: string }[] {
  const ids = [uuidKey(obj.entryUuid)];
  if (obj.kind === 'SubmissionSet') ids.push(`ss|${obj.uniqueId}`);
  if (obj.kind === 'Folder') ids.push(`fo|${obj.uniqueId}|${obj.version}`, `fl|${obj.logicalId}|${obj.version}`);
  if (obj.kind === 'DocumentEntry') ids.push(`dl|${obj.logicalId}|${obj.version}`);
  return ids.map((_id) => ({ _id, kind: obj.kind, uuid: obj.entryUuid }));
}

export function uuidKey(entryUuid: string): string {
  return `uuid|${entryUuid}`;
}
