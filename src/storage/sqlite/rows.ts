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

/**
 * Column values of the kind table, in the order of KIND_INSERT_SQL below (after id; a DocumentEntry's
 * is_latest is appended by commit.ts).
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
    'creation_time, service_start_time, service_stop_time, json, is_latest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
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
