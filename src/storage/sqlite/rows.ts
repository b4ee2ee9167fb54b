/**
 * Domain object ⇄ row mapping for the SQLite registry. The JSON column keeps the object as submitted;
 * the availability status is read back from its column. Time columns hold ../dtm.ts normalised values.
 */
import type { Code, RegistryObject } from '../../xds/model/types.js';
import { normalizeDtm } from '../dtm.js';
import { CodeKind } from './schema.js';

export interface SideRows {
  codes: { kind: number; code: string; scheme: string }[];
  authors: string[];
  referenceIds: string[];
}

function pushCode(out: SideRows['codes'], kind: number, code: Code | undefined): void {
  if (code) out.push({ kind, code: code.code, scheme: code.scheme });
}

/** The code / author / referenceId rows a stored query filters on (ITI TF-2a §3.18.4.1.2.3.7). */
export function sideRows(obj: RegistryObject): SideRows {
  const codes: SideRows['codes'] = [];
  const authors: string[] = [];
  let referenceIds: string[] = [];
  switch (obj.kind) {
    case 'DocumentEntry':
      pushCode(codes, CodeKind.classCode, obj.classCode);
      pushCode(codes, CodeKind.typeCode, obj.typeCode);
      pushCode(codes, CodeKind.practiceSettingCode, obj.practiceSettingCode);
      pushCode(codes, CodeKind.healthcareFacilityTypeCode, obj.healthcareFacilityTypeCode);
      pushCode(codes, CodeKind.formatCode, obj.formatCode);
      for (const c of obj.eventCodes) pushCode(codes, CodeKind.eventCode, c);
      for (const c of obj.confidentialityCodes) pushCode(codes, CodeKind.confidentialityCode, c);
      for (const a of obj.authors) if (a.person) authors.push(a.person);
      referenceIds = [...new Set(obj.referenceIds)];
      break;
    case 'SubmissionSet':
      pushCode(codes, CodeKind.contentTypeCode, obj.contentTypeCode);
      for (const a of obj.authors) if (a.person) authors.push(a.person);
      break;
    case 'Folder':
      for (const c of obj.codeList) pushCode(codes, CodeKind.codeList, c);
      break;
    case 'Association':
      break;
  }
  return { codes, authors, referenceIds };
}

/*
 * code_keys (schema.ts): a DocumentEntry's codes denormalised on its row and in the de_patient_codes index,
 * so that a patient-driven FindDocuments tests them with instr() on the candidate's index entry instead of
 * one `codes` B-tree probe per candidate and alternative (issue #3). Each code is the token \x1f<kind>\x1e<code>\x1e<scheme>\x1f; the
 * separators are C0 controls that XML 1.0 forbids in element content, attribute values and character
 * references (XML 1.0 §2.2 Char), so no code or scheme from a submission contains them and a token match
 * is exact. The backfill in schema.ts builds the same tokens in SQL.
 */
const KEY_UNIT = '\u001f';
const KEY_FIELD = '\u001e';
const KEY_SEPARATORS = /[\u001e\u001f]/;

/** True when a code or scheme contains a code_keys separator (it can then equal no stored code). */
export function hasKeySeparator(value: string): boolean {
  return KEY_SEPARATORS.test(value);
}

/** The code_keys token of one code with its scheme. */
export function codeKey(kind: number, code: string, scheme: string): string {
  return `${KEY_UNIT}${kind}${KEY_FIELD}${code}${KEY_FIELD}${scheme}${KEY_UNIT}`;
}

/** The prefix shared by the tokens of a code in any scheme (a query code without scheme). */
export function codeKeyPrefix(kind: number, code: string): string {
  return `${KEY_UNIT}${kind}${KEY_FIELD}${code}${KEY_FIELD}`;
}

/**
 * The code_keys value of an object's code rows. Refuses a code or scheme containing a separator: it cannot
 * come from XML, and indexing it would let it match (or hide) other codes silently.
 */
export function codeKeys(entryUuid: string, codes: SideRows['codes']): string {
  const tokens = new Set<string>();
  for (const c of codes) {
    if (hasKeySeparator(c.code) || hasKeySeparator(c.scheme)) {
      throw new Error(
        `${entryUuid}: code ${JSON.stringify(c.code)} (scheme ${JSON.stringify(c.scheme)}) contains U+001E or ` +
          'U+001F, control characters XML 1.0 does not allow; it cannot be stored',
      );
    }
    tokens.add(codeKey(c.kind, c.code, c.scheme));
  }
  return [...tokens].join('');
}

/**
 * Column values of the kind table, in the order of KIND_INSERT_SQL below (after id; a DocumentEntry's
 * is_latest and code_keys are appended by commit.ts).
 */
export function kindRow(obj: RegistryObject): unknown[] {
  const json = JSON.stringify(obj);
  switch (obj.kind) {
    case 'DocumentEntry':
      return [
        obj.logicalId,
        obj.version,
        obj.patientId,
        obj.status,
        obj.objectType,
        obj.uniqueId,
        normalizeDtm(obj.creationTime) ?? null,
        normalizeDtm(obj.serviceStartTime) ?? null,
        normalizeDtm(obj.serviceStopTime) ?? null,
        json,
      ];
    case 'SubmissionSet':
      return [
        obj.logicalId,
        obj.version,
        obj.patientId,
        obj.status,
        obj.uniqueId,
        obj.sourceId,
        normalizeDtm(obj.submissionTime) ?? null,
        json,
      ];
    case 'Folder':
      return [
        obj.logicalId,
        obj.version,
        obj.patientId,
        obj.status,
        obj.uniqueId,
        normalizeDtm(obj.lastUpdateTime) ?? null,
        json,
      ];
    case 'Association':
      return [obj.sourceUuid, obj.targetUuid, obj.associationType, obj.status, json];
  }
}

export const KIND_TABLE = {
  DocumentEntry: 'document_entries',
  SubmissionSet: 'submission_sets',
  Folder: 'folders',
  Association: 'associations',
} as const;

export const KIND_INSERT_SQL: Record<RegistryObject['kind'], string> = {
  DocumentEntry:
    'INSERT INTO document_entries (id, logical_id, version, patient_id, status, object_type, unique_id, ' +
    'creation_time, service_start_time, service_stop_time, json, is_latest, code_keys) ' +
    'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
  SubmissionSet:
    'INSERT INTO submission_sets (id, logical_id, version, patient_id, status, unique_id, source_id, ' +
    'submission_time, json) VALUES (?,?,?,?,?,?,?,?,?)',
  Folder:
    'INSERT INTO folders (id, logical_id, version, patient_id, status, unique_id, last_update_time, json) ' +
    'VALUES (?,?,?,?,?,?,?,?)',
  Association:
    'INSERT INTO associations (id, source_uuid, target_uuid, type, status, json) VALUES (?,?,?,?,?,?)',
};

/**
 * Rebuilds the domain object from its JSON and the status column (status changes touch only the column;
 * Folder lastUpdateTime changes rewrite both the column and the JSON, see commit.ts).
 */
export function readObject<T extends RegistryObject>(json: string, status: string): T {
  const obj = JSON.parse(json) as T;
  obj.status = status as T['status'];
  return obj;
}
