/**
 * DocumentEntry / SubmissionSet / Folder in readable form for the admin UI: codes with display names
 * (sent rim:Name, else the profile's code list), authors and HL7 fields split into their components
 * (ITI TF-3 §4.2.3.1.7: CX, XCN, XON, XTN), DTM times also as ISO-8601, status and objectType named.
 */
import { parseCx, parseDtm, parseXcn, parseXon, parseXtn } from '../../xds/model/hl7.js';
import { AssociationType, DocumentEntryType, type Author, type Code, type DocumentEntry, type Folder, type SubmissionSet } from '../../xds/model/types.js';
import type { CodeNames } from './code-names.js';

export interface ReadableCode {
  code: string;
  scheme: string;
  display?: string;
  /** where the display name came from. */
  displaySource?: 'metadata' | 'code-list';
}

export function readableCode(c: Code | undefined, names: CodeNames): ReadableCode | undefined {
  if (!c) return undefined;
  if (c.display) return { code: c.code, scheme: c.scheme, display: c.display, displaySource: 'metadata' };
  const d = names.lookup(c.scheme, c.code);
  return { code: c.code, scheme: c.scheme, display: d, displaySource: d ? 'code-list' : undefined };
}

/** A DTM as ISO-8601 at the precision given (YYYYMMDD → 2024-01-31). */
export function dtmToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const d = parseDtm(value);
  if (!d) return undefined;
  const p2 = (n: number | undefined) => String(n).padStart(2, '0');
  let s = String(d.year).padStart(4, '0');
  if (d.month !== undefined) s += `-${p2(d.month)}`;
  if (d.day !== undefined) s += `-${p2(d.day)}`;
  if (d.hour !== undefined) s += `T${p2(d.hour)}:${p2(d.minute ?? 0)}:${p2(d.second ?? 0)}Z`;
  return s;
}

const time = (v: string | undefined) => (v ? { value: v, iso: dtmToIso(v) } : undefined);

export function splitCx(value: string | undefined) {
  if (!value) return undefined;
  const cx = parseCx(value);
  return { value, id: cx.id, assigningAuthority: cx.assigningAuthority.universalId, assigningAuthorityType: cx.assigningAuthority.universalIdType };
}

export function splitXcn(value: string | undefined) {
  if (!value) return undefined;
  const x = parseXcn(value);
  const name = [x.prefix, x.givenName, x.secondNames, x.familyName, x.suffix].filter(Boolean).join(' ');
  return { value, id: x.id || undefined, name: name || undefined, familyName: x.familyName || undefined, givenName: x.givenName || undefined, assigningAuthority: x.assigningAuthority.universalId || undefined };
}

function splitXon(value: string) {
  const x = parseXon(value);
  return { value, name: x.organizationName, id: x.organizationIdentifier || x.idNumber || undefined, assigningAuthority: x.assigningAuthority.universalId || undefined };
}

function splitXtn(value: string) {
  const x = parseXtn(value);
  const phone = [x.countryCode && `+${x.countryCode}`, x.areaCode, x.localNumber, x.extension && `ext. ${x.extension}`].filter(Boolean).join(' ');
  return { value, use: x.useCode || undefined, equipment: x.equipmentType || undefined, email: x.email || undefined, phone: phone || x.unformatted || undefined };
}

export function readableAuthors(authors: Author[]) {
  return authors.map((a) => ({
    person: splitXcn(a.person),
    institutions: a.institutions.map(splitXon),
    roles: a.roles,
    specialties: a.specialties,
    telecoms: a.telecoms.map(splitXtn),
  }));
}

const STATUS_NAMES: Record<string, string> = {
  'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved': 'Approved',
  'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated': 'Deprecated',
  'urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted': 'Submitted',
};
export const statusName = (s: string) => STATUS_NAMES[s] ?? s;

/** The short association type (RPLC, APND, XFRM, HasMember, signs …). */
export function associationTypeName(type: string): string {
  const known = Object.entries(AssociationType).find(([, v]) => v === type);
  return known ? type.split(':').pop()! : type;
}

/** sourcePatientInfo PID fields (`PID-5|Doe^Jane`) as a field → value map. */
function pidFields(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('|');
    if (i > 0) out[v.slice(0, i)] = out[v.slice(0, i)] ? `${out[v.slice(0, i)]}; ${v.slice(i + 1)}` : v.slice(i + 1);
  }
  return out;
}

/** The row of the documents table: what an operator scans. */
export function documentSummary(e: DocumentEntry, names: CodeNames) {
  return {
    entryUuid: e.entryUuid,
    logicalId: e.logicalId,
    uniqueId: e.uniqueId,
    version: e.version,
    status: statusName(e.status),
    title: e.title?.value,
    mimeType: e.mimeType,
    classCode: readableCode(e.classCode, names),
    typeCode: readableCode(e.typeCode, names),
    formatCode: readableCode(e.formatCode, names),
    authors: e.authors.map((a) => splitXcn(a.person)?.name ?? a.institutions.map((i) => parseXon(i).organizationName).join(', ')).filter(Boolean),
    creationTime: time(e.creationTime),
    serviceStartTime: time(e.serviceStartTime),
    serviceStopTime: time(e.serviceStopTime),
    size: e.size,
  };
}

export function readableDocumentEntry(e: DocumentEntry, names: CodeNames) {
  return {
    ...documentSummary(e, names),
    objectType: e.objectType === DocumentEntryType.OnDemand ? 'On-Demand' : e.objectType === DocumentEntryType.Stable ? 'Stable' : e.objectType,
    statusUrn: e.status,
    homeCommunityId: e.homeCommunityId,
    comments: e.comments?.value,
    patientId: splitCx(e.patientId),
    sourcePatientId: splitCx(e.sourcePatientId),
    sourcePatientInfo: pidFields(e.sourcePatientInfo),
    hash: e.hash,
    repositoryUniqueId: e.repositoryUniqueId,
    uri: e.uri,
    languageCode: e.languageCode,
    legalAuthenticator: splitXcn(e.legalAuthenticator),
    healthcareFacilityTypeCode: readableCode(e.healthcareFacilityTypeCode, names),
    practiceSettingCode: readableCode(e.practiceSettingCode, names),
    confidentialityCodes: e.confidentialityCodes.map((c) => readableCode(c, names)),
    eventCodes: e.eventCodes.map((c) => readableCode(c, names)),
    authors: readableAuthors(e.authors),
    referenceIds: e.referenceIds.map((r) => splitCx(r)),
    documentAvailability: e.documentAvailability,
    extraSlots: e.extraSlots,
  };
}

export function readableSubmissionSet(s: SubmissionSet, names: CodeNames) {
  return {
    entryUuid: s.entryUuid,
    uniqueId: s.uniqueId,
    sourceId: s.sourceId,
    status: statusName(s.status),
    title: s.title?.value,
    comments: s.comments?.value,
    patientId: splitCx(s.patientId),
    submissionTime: time(s.submissionTime),
    contentTypeCode: readableCode(s.contentTypeCode, names),
    authors: readableAuthors(s.authors),
    intendedRecipients: s.intendedRecipients,
    extraSlots: s.extraSlots,
  };
}

export function readableFolder(f: Folder, names: CodeNames) {
  return {
    entryUuid: f.entryUuid,
    logicalId: f.logicalId,
    uniqueId: f.uniqueId,
    version: f.version,
    status: statusName(f.status),
    title: f.title?.value,
    comments: f.comments?.value,
    patientId: splitCx(f.patientId),
    codeList: f.codeList.map((c) => readableCode(c, names)),
    lastUpdateTime: time(f.lastUpdateTime),
    extraSlots: f.extraSlots,
  };
}
