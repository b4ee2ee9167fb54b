/**
 * String builders for the ebRIM 3.0 building blocks (Slot, InternationalString, Classification,
 * ExternalIdentifier). The hub writes XML as text (src/xml/escape.ts); every value goes through escaping.
 * Output uses the `rim:` prefix; the enclosing element declares it (encode-objects.ts does).
 */
import { createHash } from 'node:crypto';
import { escapeAttr } from '../../xml/escape.js';
import type { Code, LocalizedText, Slot } from '../model/types.js';
import { RimObjectType } from '../model/uuids.js';

/** ` a="v"` for every defined attribute, in the given order. */
export function attrs(pairs: [string, string | undefined][]): string {
  return pairs
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
}

export function slotXml(slot: Slot): string {
  const values = slot.values.map((v) => `<rim:Value>${escapeValue(v)}</rim:Value>`).join('');
  return `<rim:Slot${attrs([['name', slot.name], ['slotType', slot.slotType]])}><rim:ValueList>${values}</rim:ValueList></rim:Slot>`;
}

function escapeValue(v: string): string {
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
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
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
