/**
 * entryUUID assignment (ITI TF-2a §3.42.4.1.3.3, ITI TF-3 §4.1.12.3): symbolic ids (anything not
 * `urn:uuid:`) get a fresh urn:uuid and every reference to them (association sourceObject/targetObject) is
 * rewritten; client-assigned urn:uuid ids are kept (their reuse is checked against the store later).
 * Classification ids are made registry-unique the same way, so stored objects re-encode with stable,
 * unique ids. A reference to a symbolic id that is not in the submission is an error.
 */
import { ErrorCode, type ErrorCollector } from '../errors.js';
import type { Association, Author, Code, Submission } from '../model/types.js';

const UUID = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUrnUuid(id: string): boolean {
  return UUID.test(id);
}

export interface AssignedIds {
  submission: Submission;
  /** symbolic id → assigned urn:uuid. */
  assigned: Map<string, string>;
  /** ids the client assigned itself (urn:uuid), to check against the registry. */
  clientAssigned: string[];
}

export function assignIds(s: Submission, newUuid: () => string, errors: ErrorCollector): AssignedIds {
  const assigned = new Map<string, string>();
  const clientAssigned: string[] = [];
  const objects = [s.submissionSet, ...s.documents, ...s.folders, ...s.associations];
  for (const o of objects) {
    const id = o.entryUuid;
    if (id.startsWith('urn:uuid:')) {
      if (!isUrnUuid(id)) errors.error(ErrorCode.RegistryMetadataError, `${o.kind} id "${id}" is not a well-formed urn:uuid`, id);
      else clientAssigned.push(id);
    } else {
      assigned.set(id, `urn:uuid:${newUuid()}`);
    }
    // ITI-42 creates first versions: lid is absent or equals the id (ITI TF-3 §4.1.3.2; ITI-57 makes new versions).
    if (o.logicalId !== id) {
      errors.error(ErrorCode.RegistryMetadataError, `${o.kind} "${id}" has lid "${o.logicalId}"; a new object's lid must equal its id`, id);
    }
  }
  const map = (id: string): string => assigned.get(id) ?? id;
  const ref = (a: Association, which: 'sourceObject' | 'targetObject', id: string): string => {
    if (!id.startsWith('urn:uuid:') && !assigned.has(id)) {
      errors.error(
        ErrorCode.UnresolvedReferenceException,
        `Association "${a.entryUuid}" ${which} "${id}" is neither an object of this submission nor a urn:uuid`,
        a.entryUuid,
      );
    }
    return map(id);
  };
  const code = (c: Code): Code => (c.classificationId && !isUrnUuid(c.classificationId) ? { ...c, classificationId: `urn:uuid:${newUuid()}` } : c);
  const codeOpt = (c: Code | undefined): Code | undefined => (c ? code(c) : undefined);
  const author = (a: Author): Author => (a.classificationId && !isUrnUuid(a.classificationId) ? { ...a, classificationId: `urn:uuid:${newUuid()}` } : a);
  const ids = <T extends { entryUuid: string; logicalId: string }>(o: T): T => ({ ...o, entryUuid: map(o.entryUuid), logicalId: map(o.entryUuid) });

  const documents = s.documents.map((d) => {
    const out = {
      ...ids(d),
      confidentialityCodes: d.confidentialityCodes.map(code),
      eventCodes: d.eventCodes.map(code),
      authors: d.authors.map(author),
    };
    for (const k of ['classCode', 'typeCode', 'formatCode', 'healthcareFacilityTypeCode', 'practiceSettingCode'] as const) {
      const c = codeOpt(d[k]);
      if (c) out[k] = c;
    }
    return out;
  });
  const ss = s.submissionSet;
  const submissionSet = { ...ids(ss), authors: ss.authors.map(author), ...(ss.contentTypeCode ? { contentTypeCode: code(ss.contentTypeCode) } : {}) };
  const folders = s.folders.map((f) => ({ ...ids(f), codeList: f.codeList.map(code) }));
  const associations = s.associations.map((a) => ({
    ...ids(a),
    sourceUuid: ref(a, 'sourceObject', a.sourceUuid),
    targetUuid: ref(a, 'targetObject', a.targetUuid),
    codes: a.codes.map(code),
  }));
  return { submission: { submissionSet, documents, folders, associations }, assigned, clientAssigned };
}
