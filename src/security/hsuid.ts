/**
 * HSUID header (dk-nsp.md §1.7; hsuid-1_1.xsd): HsuidHeader/Assertion[@id=HSUID]/AttributeStatement
 * [@id=HSUIDdata]/Attribute[@Name,@NameFormat]/AttributeValue, in the 2016/08 namespace or the older
 * 2013/01 one still sent by KIH clients. The header is not signed (the ID card is), so its values are
 * claims of the calling system, which the card authenticates.
 */
import { child, childrenNamed, type XmlElement } from '../xml/tree.js';
import type { SecurityContext } from './context.js';
import { fail } from './faults.js';
import { HSUID_NAMESPACES } from './namespaces.js';

export type Hsuid = NonNullable<SecurityContext['hsuid']>;

const CPR = /^\d{10}$/;

export function findHsuidHeader(headers: readonly XmlElement[]): XmlElement | undefined {
  return headers.find((h) => h.name === 'HsuidHeader' && HSUID_NAMESPACES.includes(h.ns));
}

/** Parses the header; malformed values are a `syntax_error` fault (the schema's enumerations). */
export function parseHsuidHeader(el: XmlElement): Hsuid {
  const ns = el.ns;
  const assertion = child(el, ns, 'Assertion');
  if (!assertion) throw fail('syntax_error', 'HSUID header has no Assertion');
  const statement = child(assertion, ns, 'AttributeStatement');
  if (!statement) throw fail('syntax_error', 'HSUID Assertion has no AttributeStatement');
  const values = new Map<string, { value: string; format?: string }>();
  for (const attr of childrenNamed(statement, ns, 'Attribute')) {
    const name = attr.attrs.Name;
    if (!name) throw fail('syntax_error', 'HSUID Attribute without Name');
    if (values.has(name)) throw fail('syntax_error', `HSUID attribute ${name} occurs more than once`);
    const value = child(attr, ns, 'AttributeValue')?.text.trim() ?? '';
    values.set(name, { value, format: attr.attrs.NameFormat });
  }
  const get = (n: string): string | undefined => {
    const v = values.get(`nsi:${n}`)?.value;
    return v ? v : undefined;
  };
  const cpr = (n: string): string | undefined => {
    const v = get(n);
    if (v !== undefined && !CPR.test(v)) throw fail('syntax_error', `HSUID nsi:${n} must be a 10-digit CPR number, got "${v}"`);
    return v;
  };

  const rawType = get('UserType');
  let userType: Hsuid['userType'];
  if (rawType === 'nsi:HealthcareProfessional') userType = 'HEALTHCAREPROFESSIONAL';
  else if (rawType === 'nsi:Citizen') userType = 'CITIZEN';
  else if (rawType !== undefined) throw fail('syntax_error', `HSUID nsi:UserType must be nsi:Citizen or nsi:HealthcareProfessional, got "${rawType}"`);

  const rawOverride = get('ConsentOverride');
  if (rawOverride !== undefined && rawOverride !== 'true' && rawOverride !== 'false') {
    throw fail('syntax_error', `HSUID nsi:ConsentOverride must be true or false, got "${rawOverride}"`);
  }
  const org = values.get('nsi:OrgUsingID');
  const out: Hsuid = {
    userType,
    citizenCivilRegistrationNumber: cpr('CitizenCivilRegistrationNumber'),
    actingUserCpr: cpr('ActingUserCivilRegistrationNumber'),
    responsibleUserCpr: cpr('ResponsibleUserCivilRegistrationNumber'),
    responsibleUserAuthorizationCode: get('ResponsibleUserAuthorizationCode'),
    orgUsingId: org?.value ? { type: (org.format ?? '').replace(/^nsi:/, '') || 'unknown', id: org.value } : undefined,
    consentOverride: rawOverride === undefined ? undefined : rawOverride === 'true',
    systemName: get('SystemName'),
    systemVersion: get('SystemVersion'),
    systemOwnerName: get('SystemOwnerName'),
    systemVendor: get('SystemOwnerName'),
    orgResponsibleName: get('OrgResponsibleName'),
    operationsOrganisation: get('OrgResponsibleName'),
    citizenUserRelation: get('CitizenUserRelation'),
  };
  for (const k of Object.keys(out) as (keyof Hsuid)[]) if (out[k] === undefined) delete out[k];
  return out;
}
