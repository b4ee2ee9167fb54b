/**
 * Value formats of XDS metadata (ITI TF-3 §4.2.3.1.7 data types, §4.2.3.2.x attribute definitions), each
 * a function returning the problems found (empty = valid). Profiles name them in their rule tables; the
 * `-DK` variants are the Danish restrictions (DK XDS Metadata profile v1.0.1 §2.2).
 */
import { isDtm, isOid, parseCx, parseXcn, parseXon, validatePatientIdCx, validateXcn, validateXon, validateXtn } from '../model/hl7.js';
import { DocumentEntryType } from '../model/types.js';

export type FormatCheck = (value: string) => string[];

const ok = (cond: boolean, message: string): string[] => (cond ? [] : [message]);

export const FORMATS: Readonly<Record<string, FormatCheck>> = {
  DTM: (v) => ok(isDtm(v), `"${v}" is not an HL7 DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC)`),
  OID: (v) => ok(isOid(v), `"${v}" is not an OID`),
  /** ITI TF-3 §4.2.3.2.29: OID, or OID^extension with extension up to 16 chars, at most 128 chars in all. */
  uniqueId: (v) => {
    const [root = '', ext, ...more] = v.split('^');
    return ok(v.length <= 128 && isOid(root) && more.length === 0 && (ext === undefined || (ext.length > 0 && ext.length <= 16)), `"${v}" is not an OID or OID^extension`);
  },
  /** patientId: CX.1 and CX.4 (&OID&ISO) only (ITI TF-3 §4.2.3.2.18). */
  CX: (v) => validatePatientIdCx(v).map((p) => `"${v}": ${p}`),
  /** sourcePatientId: a CX with CX.1 and an assigning authority CX.4 (ITI TF-3 §4.2.3.2.25). */
  CXsource: (v) => {
    const cx = parseCx(v);
    const aa = cx.assigningAuthority;
    return ok(cx.id !== '' && (aa.universalId !== '' || aa.namespaceId !== ''), `"${v}" needs CX.1 and an assigning authority CX.4`);
  },
  XCN: (v) => validateXcn(v).map((p) => `"${v}": ${p}`),
  /** DK: family name, given name and further given names only (DK profile §authorPerson/legalAuthenticator). */
  'XCN-DK': (v) => {
    const x = parseXcn(v);
    const c = v.split('^');
    const extra = c.map((s, i) => (i === 0 || i === 1 || i === 2 || i === 3 || i === 8 ? '' : s)).some((s) => s !== '');
    const problems: string[] = [];
    if (!x.familyName || !x.givenName) problems.push(`"${v}": family name (XCN.2) and given name (XCN.3) are required`);
    if (x.id || extra) problems.push(`"${v}": only XCN.2, XCN.3 and XCN.4 may be given`);
    return problems;
  },
  XON: (v) => validateXon(v).map((p) => `"${v}": ${p}`),
  /** DK: exactly XON.1 name, XON.6.2 assigning authority OID (XON.6.3 ISO) and XON.10 id (DK profile §authorInstitution). */
  'XON-DK': (v) => {
    const x = parseXon(v);
    const problems: string[] = [];
    if (!x.organizationName) problems.push(`"${v}": XON.1 (organization name) is required`);
    if (!isOid(x.assigningAuthority.universalId) || x.assigningAuthority.universalIdType !== 'ISO' || x.assigningAuthority.namespaceId) {
      problems.push(`"${v}": XON.6 must be &OID&ISO`);
    }
    if (!x.organizationIdentifier) problems.push(`"${v}": XON.10 (organization identifier) is required`);
    const others = x.components.some((s, i) => ![0, 5, 9].includes(i) && s !== '');
    if (others) problems.push(`"${v}": only XON.1, XON.6 and XON.10 may be given`);
    return problems;
  },
  XTN: (v) => validateXtn(v).map((p) => `"${v}": ${p}`),
  /** intendedRecipient: XON|XCN|XTN, organization and/or person, optional telecom (ITI TF-3 §4.2.3.3.7). */
  intendedRecipient: (v) => {
    const [xon = '', xcn = '', xtn = '', ...more] = v.split('|');
    const problems: string[] = [];
    if (more.length) problems.push(`"${v}" has more than three |-separated parts (XON|XCN|XTN)`);
    if (!xon && !xcn) problems.push(`"${v}" names neither an organization (XON) nor a person (XCN)`);
    if (xon) problems.push(...validateXon(xon).map((p) => `"${v}" XON: ${p}`));
    if (xcn) problems.push(...validateXcn(xcn).map((p) => `"${v}" XCN: ${p}`));
    if (xtn) problems.push(...validateXtn(xtn).map((p) => `"${v}" XTN: ${p}`));
    return problems;
  },
  /** SHA-1 hex (ITI TF-3 §4.2.3.2.10); upper case is accepted (issue #2, NIST 11981). */
  SHA1: (v) => ok(/^[0-9a-fA-F]{40}$/.test(v), `"${v}" is not a SHA-1 hash (40 hex digits)`),
  integer: (v) => ok(/^\d+$/.test(v), `"${v}" is not a non-negative integer`),
  /** RFC 6838 type/subtype (parameters allowed). */
  mimeType: (v) => ok(/^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;.*)?$/.test(v), `"${v}" is not a MIME type`),
  /** RFC 5646 language tag (ITI TF-3 §4.2.3.2.13). */
  languageCode: (v) => ok(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(v), `"${v}" is not an RFC 5646 language tag`),
  /** DK: nn-CC, ISO 639-1 lower case and ISO 3166 upper case (DK profile §languageCode). */
  'languageCode-DK': (v) => ok(/^[a-z]{2}(-[A-Z]{2})?$/.test(v), `"${v}" is not of the form nn-CC`),
  URI: (v) => ok(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(v), `"${v}" is not a URI`),
  homeCommunityId: (v) => ok(/^urn:oid:/.test(v) && isOid(v.slice(8)), `"${v}" is not urn:oid:<OID>`),
  /** sourcePatientInfo values: "PID-n|value" (ITI TF-3 §4.2.3.2.26). */
  PID: (v) => ok(/^PID-\d+\|/.test(v), `"${v}" is not of the form PID-n|value`),
  objectType: (v) => ok(v === DocumentEntryType.Stable || v === DocumentEntryType.OnDemand, `"${v}" is not a DocumentEntry objectType`),
  /** A symbolic id or a urn:uuid (ITI TF-3 §4.2.3.2.7, before the registry assigns it). */
  UUID: (v) =>
    ok(!v.startsWith('urn:uuid:') || /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v), `"${v}" is not a well-formed urn:uuid`),
};

export function isKnownFormat(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FORMATS, name);
}
