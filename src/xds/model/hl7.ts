/**
 * HL7 v2.5 data types as XDS metadata carries them (ITI TF-3 §4.2.3.1.7 "Metadata attribute data
 * types"): CX (patient ids), XCN (authorPerson, legalAuthenticator), XON (authorInstitution), XTN
 * (authorTelecommunication) and DTM (times). Parsing splits the `^` components and `&` sub-components;
 * each `validate*` returns the list of problems (empty = valid) so callers decide the error code.
 */

/** An ISO OID (ITI TF-3 §4.2.3.1.7: "OID ... digits and dots, no leading zeros", at most 64 chars). */
export function isOid(value: string): boolean {
  return value.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/.test(value);
}

/** HL7 HD (hierarchic designator) as sub-components: namespaceId&universalId&universalIdType. */
export interface Hd {
  namespaceId: string;
  universalId: string;
  universalIdType: string;
}

function parseHd(value: string): Hd {
  const [namespaceId = '', universalId = '', universalIdType = ''] = value.split('&');
  return { namespaceId, universalId, universalIdType };
}

function components(value: string): string[] {
  return value.split('^');
}

// ---------------------------------------------------------------------------------------------------
// CX
// ---------------------------------------------------------------------------------------------------

export interface Cx {
  id: string;
  checkDigit: string;
  checkDigitScheme: string;
  assigningAuthority: Hd;
  identifierTypeCode: string;
  /** components after CX.5, kept to detect forbidden extras. */
  rest: string[];
}

export function parseCx(value: string): Cx {
  const c = components(value);
  return {
    id: c[0] ?? '',
    checkDigit: c[1] ?? '',
    checkDigitScheme: c[2] ?? '',
    assigningAuthority: parseHd(c[3] ?? ''),
    identifierTypeCode: c[4] ?? '',
    rest: c.slice(5),
  };
}

/** Formats `id^^^&oid&ISO`, the only patientId form XDS allows. */
export function formatPatientId(id: string, oid: string): string {
  return `${id}^^^&${oid}&ISO`;
}

/**
 * The XDS patientId rule (ITI TF-3 §4.2.3.2.16 / §4.2.3.1.7 CX): CX.1 present, CX.4 with universalId an
 * OID and universalIdType "ISO", CX.4 namespaceId empty; no component other than CX.1 and CX.4 (CX.5 is
 * tolerated by the TF only for sourcePatientId-like values, pass `allowTypeCode`).
 */
export function validatePatientIdCx(value: string, options: { allowTypeCode?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (value.trim() !== value || value === '') return ['must be a non-empty CX value without surrounding spaces'];
  const cx = parseCx(value);
  if (!cx.id) problems.push('CX.1 (ID number) is empty');
  if (cx.checkDigit || cx.checkDigitScheme) problems.push('CX.2 and CX.3 must be empty');
  const aa = cx.assigningAuthority;
  if (aa.namespaceId) problems.push('CX.4.1 (namespace id) must be empty');
  if (!isOid(aa.universalId)) problems.push(`CX.4.2 (universal id) "${aa.universalId}" is not an OID`);
  if (aa.universalIdType !== 'ISO') problems.push(`CX.4.3 (universal id type) must be ISO, got "${aa.universalIdType}"`);
  if (cx.identifierTypeCode && !options.allowTypeCode) problems.push('CX.5 must be empty');
  if (cx.rest.some((r) => r !== '')) problems.push('only CX.1 and CX.4 may be present');
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// XCN
// ---------------------------------------------------------------------------------------------------

export interface Xcn {
  id: string;
  familyName: string;
  givenName: string;
  secondNames: string;
  suffix: string;
  prefix: string;
  degree: string;
  assigningAuthority: Hd;
}

export function parseXcn(value: string): Xcn {
  const c = components(value);
  return {
    id: c[0] ?? '',
    familyName: (c[1] ?? '').split('&')[0] ?? '',
    givenName: c[2] ?? '',
    secondNames: c[3] ?? '',
    suffix: c[4] ?? '',
    prefix: c[5] ?? '',
    degree: c[6] ?? '',
    assigningAuthority: parseHd(c[8] ?? ''),
  };
}

/**
 * ITI TF-3 §4.2.3.1.7 XCN: "either name or an identifier shall be present"; XCN.9 (assigning authority)
 * goes with XCN.1 "if available", and when given it is an ISO OID (&OID&ISO).
 */
export function validateXcn(value: string): string[] {
  const x = parseXcn(value);
  if (!x.id && !x.familyName && !x.givenName) return ['XCN needs an identifier (XCN.1) or a name (XCN.2/XCN.3)'];
  const aa = x.assigningAuthority;
  if ((aa.namespaceId || aa.universalId || aa.universalIdType) && (!isOid(aa.universalId) || aa.universalIdType !== 'ISO')) {
    return ['XCN.9 (assigning authority) must be &OID&ISO'];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------
// XON
// ---------------------------------------------------------------------------------------------------

export interface Xon {
  organizationName: string;
  organizationNameTypeCode: string;
  idNumber: string;
  assigningAuthority: Hd;
  identifierTypeCode: string;
  organizationIdentifier: string;
  /** the raw components, to detect fields XDS forbids. */
  componentCount: number;
  components: string[];
}

export function parseXon(value: string): Xon {
  const c = components(value);
  return {
    organizationName: c[0] ?? '',
    organizationNameTypeCode: c[1] ?? '',
    idNumber: c[2] ?? '',
    assigningAuthority: parseHd(c[5] ?? ''),
    identifierTypeCode: c[6] ?? '',
    organizationIdentifier: c[9] ?? '',
    componentCount: c.length,
    components: c,
  };
}

/**
 * ITI TF-3 §4.2.3.1.7 XON: XON.1 required; XON.10 may carry an id; when XON.10 is not an OID, XON.6.2 is
 * the assigning authority OID with XON.6.3 "ISO". Other components shall be empty (XON.2-5, 7-9).
 */
export function validateXon(value: string): string[] {
  const x = parseXon(value);
  const problems: string[] = [];
  if (!x.organizationName) problems.push('XON.1 (organization name) is empty');
  const forbidden = [1, 2, 3, 4, 6, 7, 8].filter((i) => (x.components[i] ?? '') !== '');
  if (forbidden.length) problems.push(`XON components ${forbidden.map((i) => `XON.${i + 1}`).join(', ')} must be empty`);
  if (x.organizationIdentifier && !isOid(x.organizationIdentifier)) {
    const aa = x.assigningAuthority;
    if (!isOid(aa.universalId) || aa.universalIdType !== 'ISO') {
      problems.push('XON.10 is not an OID, so XON.6 must be &OID&ISO');
    }
  }
  if (x.componentCount > 10) problems.push('XON has more than 10 components');
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// XTN
// ---------------------------------------------------------------------------------------------------

export interface Xtn {
  useCode: string;
  equipmentType: string;
  email: string;
  countryCode: string;
  areaCode: string;
  localNumber: string;
  extension: string;
  unformatted: string;
}

export function parseXtn(value: string): Xtn {
  const c = components(value);
  return {
    useCode: c[1] ?? '',
    equipmentType: c[2] ?? '',
    email: c[3] ?? '',
    countryCode: c[4] ?? '',
    areaCode: c[5] ?? '',
    localNumber: c[6] ?? '',
    extension: c[7] ?? '',
    unformatted: c[11] ?? '',
  };
}

/** ITI TF-3 §4.2.3.1.7 XTN: XTN.3 required; "Internet" needs XTN.4, otherwise XTN.7 or XTN.12. */
export function validateXtn(value: string): string[] {
  const x = parseXtn(value);
  if (!x.equipmentType) return ['XTN.3 (telecommunication equipment type) is empty'];
  if (x.equipmentType === 'Internet') return x.email ? [] : ['XTN.3 Internet needs XTN.4 (e-mail address)'];
  return x.localNumber || x.unformatted ? [] : ['XTN needs XTN.7 (local number) or XTN.12 (unformatted number)'];
}

// ---------------------------------------------------------------------------------------------------
// DTM
// ---------------------------------------------------------------------------------------------------

export interface Dtm {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** how many digits were given (4, 6, 8, 10, 12, 14). */
  precision: number;
}

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?$/;

/**
 * ITI TF-3 §4.2.3.1.7 DTM: YYYY[MM[DD[hh[mm[ss]]]]], UTC, no time zone and no fractions. Returns
 * undefined when the value is not a valid DTM (wrong length, month 13, day 31 of a 30-day month ...).
 */
export function parseDtm(value: string): Dtm | undefined {
  const m = DTM.exec(value);
  if (!m) return undefined;
  // a later group can only be present when the earlier ones are (the regex allows gaps via undefined).
  const parts = m.slice(1).map((p) => (p === undefined ? undefined : Number(p)));
  const [year, month, day, hour, minute, second] = parts as (number | undefined)[];
  const dtm: Dtm = { year: year!, month, day, hour, minute, second, precision: value.length };
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined) {
    const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
    if (day < 1 || day > daysInMonth) return undefined;
  }
  if (hour !== undefined && hour > 23) return undefined;
  if (minute !== undefined && minute > 59) return undefined;
  if (second !== undefined && second > 59) return undefined;
  return dtm;
}

export function isDtm(value: string): boolean {
  return parseDtm(value) !== undefined;
}

/** Formats a Date as a full-precision DTM (YYYYMMDDhhmmss, UTC), as the registry writes lastUpdateTime. */
export function formatDtm(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
