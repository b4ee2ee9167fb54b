/**
 * Reads a DGWS 1.0.1 ID card (dk-nsp.md §1.1–1.2) from the canonical XML its signature covers, and
 * checks its required attributes. Missing or malformed content is `invalid_idcard`; the validity window
 * is checked separately (`expired_idcard`, also for "not yet valid", as trifork/dgws does).
 */
import { child, childrenNamed, type XmlElement } from '../xml/tree.js';
import { fail } from './faults.js';
import { NS } from './namespaces.js';

export type CareProviderFormat = 'cvrnumber' | 'skscode' | 'ynumber' | 'pnumber';

export interface IdCard {
  assertionId: string;
  idCardId: string;
  version: string;
  type: 'user' | 'system';
  authLevel: number;
  issuer: string;
  nameId: string;
  nameIdFormat: string;
  notBefore: Date;
  notOnOrAfter: Date;
  user?: {
    cpr: string;
    givenName?: string;
    surName?: string;
    email?: string;
    role?: string;
    occupation?: string;
    authorizationCode?: string;
  };
  systemName: string;
  careProvider: { type: CareProviderFormat; id: string; name: string };
}

const CARE_PROVIDER_FORMATS: readonly string[] = ['cvrnumber', 'skscode', 'ynumber', 'pnumber'];

/** Attribute values of one AttributeStatement by Name (duplicates are an invalid card). */
function attributes(statement: XmlElement | undefined): Map<string, { value: string; nameFormat?: string }> {
  const out = new Map<string, { value: string; nameFormat?: string }>();
  if (!statement) return out;
  for (const a of childrenNamed(statement, NS.saml, 'Attribute')) {
    const name = a.attrs.Name ?? '';
    if (out.has(name)) throw fail('invalid_idcard', `attribute ${name} occurs more than once`);
    const values = childrenNamed(a, NS.saml, 'AttributeValue');
    if (values.length !== 1) throw fail('invalid_idcard', `attribute ${name} must have exactly one AttributeValue`);
    out.set(name, { value: values[0].text.trim(), nameFormat: a.attrs.NameFormat });
  }
  return out;
}

function parseTime(s: string | undefined, what: string): Date {
  // xs:dateTime; DGWS samples use UTC "Z", Seal's older samples omit the zone (read as UTC)
  if (!s || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(s)) {
    throw fail('invalid_idcard', `${what} is not an xs:dateTime: "${s ?? ''}"`);
  }
  const d = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : `${s}Z`);
  if (Number.isNaN(d.getTime())) throw fail('invalid_idcard', `${what} is not a valid time: "${s}"`);
  return d;
}

export function readIdCard(assertion: XmlElement, acceptedVersions: readonly string[] = ['1.0.1']): IdCard {
  if (assertion.ns !== NS.saml || assertion.name !== 'Assertion') throw fail('invalid_idcard', 'the signed element is not a saml:Assertion');
  if (assertion.attrs.Version !== '2.0') throw fail('invalid_idcard', `saml:Assertion Version must be 2.0, got "${assertion.attrs.Version ?? ''}"`);
  const issuer = child(assertion, NS.saml, 'Issuer')?.text.trim();
  if (!issuer) throw fail('invalid_idcard', 'the ID card has no saml:Issuer');
  const nameIdEl = child(assertion, NS.saml, 'Subject') && child(child(assertion, NS.saml, 'Subject')!, NS.saml, 'NameID');
  const nameId = nameIdEl?.text.trim();
  if (!nameIdEl || !nameId) throw fail('invalid_idcard', 'the ID card has no saml:Subject/saml:NameID');
  const conditions = child(assertion, NS.saml, 'Conditions');
  if (!conditions) throw fail('invalid_idcard', 'the ID card has no saml:Conditions');
  const notBefore = parseTime(conditions.attrs.NotBefore, 'Conditions/@NotBefore');
  const notOnOrAfter = parseTime(conditions.attrs.NotOnOrAfter, 'Conditions/@NotOnOrAfter');
  if (notOnOrAfter <= notBefore) throw fail('invalid_idcard', 'Conditions/@NotOnOrAfter is not after @NotBefore');

  const statements = childrenNamed(assertion, NS.saml, 'AttributeStatement');
  const byId = (id: string): XmlElement | undefined => {
    const found = statements.filter((s) => s.attrs.id === id);
    if (found.length > 1) throw fail('invalid_idcard', `AttributeStatement ${id} occurs more than once`);
    return found[0];
  };
  const idData = attributes(byId('IDCardData'));
  const need = (m: Map<string, { value: string }>, name: string): string => {
    const v = m.get(name)?.value;
    if (!v) throw fail('invalid_idcard', `required attribute ${name} is missing`);
    return v;
  };
  const idCardId = need(idData, 'sosi:IDCardID');
  const version = need(idData, 'sosi:IDCardVersion');
  if (!acceptedVersions.includes(version)) {
    throw fail('invalid_idcard', `sosi:IDCardVersion ${version} is not supported (accepted: ${acceptedVersions.join(', ')})`);
  }
  const type = need(idData, 'sosi:IDCardType');
  if (type !== 'user' && type !== 'system') throw fail('invalid_idcard', `sosi:IDCardType must be user or system, got "${type}"`);
  const levelText = need(idData, 'sosi:AuthenticationLevel');
  if (!/^[1-5]$/.test(levelText)) throw fail('invalid_idcard', `sosi:AuthenticationLevel must be 1..5, got "${levelText}"`);
  const authLevel = Number(levelText);
  if (type === 'system' && authLevel > 3) throw fail('invalid_idcard', `a system ID card cannot have AuthenticationLevel ${authLevel} (4 is MOCES, a person)`);

  const sys = attributes(byId('SystemLog'));
  const systemName = need(sys, 'medcom:ITSystemName');
  const cp = sys.get('medcom:CareProviderID');
  if (!cp?.value) throw fail('invalid_idcard', 'required attribute medcom:CareProviderID is missing');
  const cpFormat = (cp.nameFormat ?? '').replace(/^medcom:/, '');
  if (!CARE_PROVIDER_FORMATS.includes(cpFormat)) {
    throw fail('invalid_idcard', `medcom:CareProviderID NameFormat must be medcom:cvrnumber|skscode|ynumber|pnumber, got "${cp.nameFormat ?? ''}"`);
  }
  const careProviderName = need(sys, 'medcom:CareProviderName');

  const card: IdCard = {
    assertionId: assertion.attrs.id ?? assertion.attrs.ID ?? '',
    idCardId,
    version,
    type,
    authLevel,
    issuer,
    nameId,
    nameIdFormat: nameIdEl.attrs.Format ?? '',
    notBefore,
    notOnOrAfter,
    systemName,
    careProvider: { type: cpFormat as CareProviderFormat, id: cp.value, name: careProviderName },
  };
  if (type === 'user') {
    const user = attributes(byId('UserLog'));
    const cpr = need(user, 'medcom:UserCivilRegistrationNumber');
    if (!/^\d{10}$/.test(cpr)) throw fail('invalid_idcard', `medcom:UserCivilRegistrationNumber must be 10 digits, got "${cpr}"`);
    if (card.nameIdFormat === 'medcom:cprnumber' && nameId !== cpr) {
      throw fail('invalid_idcard', 'NameID (medcom:cprnumber) differs from medcom:UserCivilRegistrationNumber');
    }
    const opt = (n: string): string | undefined => user.get(n)?.value || undefined;
    card.user = {
      cpr,
      givenName: opt('medcom:UserGivenName'),
      surName: opt('medcom:UserSurName'),
      email: opt('medcom:UserEmailAddress'),
      role: opt('medcom:UserRole'),
      occupation: opt('medcom:UserOccupation'),
      authorizationCode: opt('medcom:UserAuthorizationCode'),
    };
  }
  return card;
}

/** The validity window with clock skew (dk-nsp.md §1.2 Seal backdating, §1.5). */
export function checkValidity(notBefore: Date, notOnOrAfter: Date, now: Date, skewSeconds: number, what = 'ID card'): void {
  const skew = skewSeconds * 1000;
  if (now.getTime() + skew < notBefore.getTime()) {
    throw fail('expired_idcard', `the ${what} is not valid before ${notBefore.toISOString()} (now ${now.toISOString()})`);
  }
  if (now.getTime() - skew >= notOnOrAfter.getTime()) {
    throw fail('expired_idcard', `the ${what} expired at ${notOnOrAfter.toISOString()} (now ${now.toISOString()})`);
  }
}
