/**
 * Wire form of the Min Spærring SOAP service. No public WSDL of Min Spærring exists (dk-nsp.md §6), so the
 * hub defines its own namespace in the NSP style of `http://nsi.dk/minlog/2012/05/24/`, with the NSP operation
 * names (ConsentRegistrationsGetV2, ConsentAddPositiveV2, …, p=119312047) as `<Op>Request`/`<Op>Response`
 * and the `consentitem` fields (p=121375442) as element names.
 */
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { child, childrenNamed, type XmlElement } from '../../xml/tree.js';
import type { DataItem } from './consent-evaluator.js';
import type { Consent, WhatItem } from './model.js';
import { ConsentValidationError, type WhoInput } from './consent-service.js';

export const MINSPAERRING_NS = 'http://nsi.dk/minspaerring/2026/11/28/';

export function el(name: string, content: string | undefined, attrs: Record<string, string> = {}): string {
  if (content === undefined) return '';
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  return `<ms:${name}${a}>${content}</ms:${name}>`;
}

export const txt = (name: string, v: string | undefined): string => (v === undefined ? '' : el(name, escapeText(v)));

export function root(name: string, inner: string): string {
  return `<ms:${name} xmlns:ms="${MINSPAERRING_NS}">${inner}</ms:${name}>`;
}

/** Text of a required child element; a missing one is the caller's error. */
export function required(parent: XmlElement, name: string): string {
  const v = optional(parent, name);
  if (v === undefined) throw new ConsentValidationError('missing_element', `${parent.name} needs ${name}`);
  return v;
}

export function optional(parent: XmlElement, name: string): string | undefined {
  const c = child(parent, MINSPAERRING_NS, name);
  const v = c?.text.trim();
  return v === undefined || v === '' ? undefined : v;
}

const all = (parent: XmlElement, name: string): string[] => childrenNamed(parent, MINSPAERRING_NS, name).map((c) => c.text.trim()).filter(Boolean);

export function readWho(parent: XmlElement): WhoInput | undefined {
  const who = child(parent, MINSPAERRING_NS, 'Who');
  if (!who) return undefined;
  const org = child(who, MINSPAERRING_NS, 'Organisation');
  if (org) return { kind: 'organisation', org: { type: org.attrs.NameFormat ?? 'sor', id: org.text.trim() } };
  const pro = child(who, MINSPAERRING_NS, 'Professional');
  if (pro) return { kind: 'professional', cpr: optional(pro, 'Cpr'), authorizationCode: optional(pro, 'AuthorisationCode') };
  throw new ConsentValidationError('invalid_who', 'Who needs an Organisation or a Professional');
}

export function readWhat(parent: XmlElement): WhatItem | undefined {
  const what = child(parent, MINSPAERRING_NS, 'What');
  if (!what) return undefined;
  return { documentUniqueIds: all(what, 'DocumentUniqueId'), authorInstitutionSorIds: all(what, 'AuthorInstitutionSor'), classCodes: all(what, 'ClassCode') };
}

export function readDataItems(parent: XmlElement): DataItem[] {
  return childrenNamed(parent, MINSPAERRING_NS, 'DataItem').map((d) => ({
    uniqueId: required(d, 'DocumentUniqueId'),
    authorInstitutionSorIds: all(d, 'AuthorInstitutionSor'),
    classCode: optional(d, 'ClassCode'),
  }));
}

export function dataItemXml(d: DataItem): string {
  return el('DataItem', txt('DocumentUniqueId', d.uniqueId) + d.authorInstitutionSorIds.map((s) => txt('AuthorInstitutionSor', s)).join('') + txt('ClassCode', d.classCode));
}

export function consentXml(c: Consent): string {
  const who = !c.who
    ? ''
    : el('Who', c.who.kind === 'organisation' ? el('Organisation', escapeText(c.who.sorId), { NameFormat: 'sor' }) : el('Professional', txt('Cpr', c.who.cpr) + txt('AuthorisationCode', c.who.authorizationCode)));
  const what = !c.what
    ? ''
    : el('What', [...(c.what.documentUniqueIds ?? []).map((v) => txt('DocumentUniqueId', v)), ...(c.what.authorInstitutionSorIds ?? []).map((v) => txt('AuthorInstitutionSor', v)), ...(c.what.classCodes ?? []).map((v) => txt('ClassCode', v))].join(''));
  return el(
    'Consent',
    txt('Id', c.id) +
      txt('CitizenCpr', c.citizenCpr) +
      txt('ConsentType', c.consentType) +
      who +
      what +
      txt('ValidFrom', c.validFrom) +
      txt('ValidTo', c.validTo) +
      txt('CreationTimestamp', c.creationTimestamp) +
      txt('CreatingSystemName', c.creatingSystemName) +
      txt('CreatedBy', c.createdBy) +
      txt('ModifyTimestamp', c.modifyTimestamp) +
      txt('ModifyingSystemName', c.modifyingSystemName) +
      txt('ModifiedBy', c.modifiedBy) +
      txt('RevokedAt', c.revokedAt),
  );
}
