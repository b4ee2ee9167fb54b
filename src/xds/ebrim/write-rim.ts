/**
 * String builders for the ebRIM 3.0 building blocks (Slot, InternationalString, Classification,
 * ExternalIdentifier). The hub writes XML as text (src/xml/escape.ts); every value goes through escaping.
 * Output uses the `rim:` prefix; the enclosing element declares it (encode-objects.ts does).
 */
import { hash } from 'node:crypto';
import { escapeAttr } from '../../xml/escape.js';
import type { Code, LocalizedText, Slot } from '../model/types.js';
import { RimObjectType } from '../model/uuids.js';

const NEEDS_ATTR_ESCAPE = /[&<>"\r\n\t]/;
const NEEDS_TEXT_ESCAPE = /[&<>]/;

/**
 * ` a="v"` for every defined attribute, in the given order. A plain loop with an escape-free fast path:
 * this runs for every Classification and ExternalIdentifier of every query result (bench/core-xds.ts).
 */
export function attrs(pairs: [string, string | undefined][]): string {
  let out = '';
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    out += ` ${k}="${NEEDS_ATTR_ESCAPE.test(v) ? escapeAttr(v) : v}"`;
  }
  return out;
}

export function slotXml(slot: Slot): string {
  let values = '';
  for (const v of slot.values) values += `<rim:Value>${escapeValue(v)}</rim:Value>`;
  return `<rim:Slot${attrs([['name', slot.name], ['slotType', slot.slotType]])}><rim:ValueList>${values}</rim:ValueList></rim:Slot>`;
}

function escapeValue(v: string): string {
  if (!NEEDS_TEXT_ESCAPE.test(v)) return v;
  return v.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function localizedXml(element: 'Name' | 'Description', text: LocalizedText | undefined): string {
  if (!text) return '';
  return `<rim:${element}><rim:LocalizedString${attrs([
    ['xml:lang', text.lang],
    ['charset', text.charset],
    ['value', text.value],
  ])}/></rim:${element}>`;
}

/**
 * A stable, deterministic urn:uuid for a nested object that has no stored id (name-based, RFC 9562 §5.5
 * layout over SHA-1), so the same stored object always encodes to the same XML.
 */
export function derivedUuid(...parts: string[]): string {
  // One-shot crypto.hash (Node >= 20.12): about 7x cheaper than createHash().update().digest() for these
  // short inputs, same SHA-1 bytes, so the ids are unchanged. Version and variant are set on the hex digits:
  // octet 6 high nibble = 5 (hex digit 12), octet 8 top bits = 10 (hex digit 16).
  const hex = hash('sha1', parts.join('\u0000'), 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A coded Classification (ITI TF-3 §4.2.3.1.2). */
export function codeXml(code: Code, scheme: string, classifiedObject: string, role: string): string {
  const id = code.classificationId ?? derivedUuid(classifiedObject, role, code.scheme, code.code);
  return (
    `<rim:Classification${attrs([
      ['id', id],
      ['objectType', RimObjectType.Classification],
      ['classificationScheme', scheme],
      ['classifiedObject', classifiedObject],
      ['nodeRepresentation', code.code],
    ])}>` +
    slotXml({ name: 'codingScheme', values: [code.scheme] }) +
    localizedXml('Name', code.display !== undefined ? { value: code.display } : undefined) +
    `</rim:Classification>`
  );
}

/** The classificationNode Classification that makes a RegistryPackage a SubmissionSet or Folder. */
export function nodeClassificationXml(node: string, classifiedObject: string): string {
  return `<rim:Classification${attrs([
    ['id', derivedUuid(classifiedObject, 'node', node)],
    ['objectType', RimObjectType.Classification],
    ['classifiedObject', classifiedObject],
    ['classificationNode', node],
  ])}/>`;
}

export function externalIdentifierXml(scheme: string, name: string, value: string, registryObject: string): string {
  return (
    `<rim:ExternalIdentifier${attrs([
      ['id', derivedUuid(registryObject, 'ei', scheme)],
      ['objectType', RimObjectType.ExternalIdentifier],
      ['registryObject', registryObject],
      ['identificationScheme', scheme],
      ['value', value],
    ])}>` +
    localizedXml('Name', { value: name }) +
    `</rim:ExternalIdentifier>`
  );
}
