/**
 * Small readers for the ebRIM 3.0 building blocks (Slot, InternationalString, VersionInfo,
 * Classification, ExternalIdentifier) shared by the object decoders. Every structural error is an
 * XdsError with the caller's metadata error code and a context that names the object.
 */
import { XdsError } from '../errors.js';
import type { Code, LocalizedText, Slot } from '../model/types.js';
import { Status, type AvailabilityStatus } from '../model/types.js';
import type { XmlElement } from '../../xml/tree.js';
import { child, childrenNamed } from '../../xml/tree.js';
import { NS } from './namespaces.js';

/** What every decoder needs: the error code to raise and a label naming the object being decoded. */
export interface DecodeContext {
  errorCode: string;
  /** e.g. `ExtrinsicObject "Document01"`. */
  label: string;
}

export function fail(ctx: DecodeContext, message: string): never {
  throw new XdsError(ctx.errorCode, `${ctx.label}: ${message}`, ctx.label);
}

export function rimChildren(el: XmlElement, name: string): XmlElement[] {
  return childrenNamed(el, NS.rim, name);
}

/** rim:Slot children in document order; duplicate names are an error (ebRIM 3.0 §2.8.1: names are unique). */
export function readSlots(el: XmlElement, ctx: DecodeContext): Slot[] {
  const seen = new Set<string>();
  return rimChildren(el, 'Slot').map((s) => {
    const name = s.attrs.name;
    if (!name) fail(ctx, 'a Slot has no name');
    if (seen.has(name)) fail(ctx, `Slot "${name}" appears more than once`);
    seen.add(name);
    const list = child(s, NS.rim, 'ValueList');
    const values = list ? rimChildren(list, 'Value').map((v) => v.text) : [];
    const slot: Slot = { name, values };
    if (s.attrs.slotType) slot.slotType = s.attrs.slotType;
    return slot;
  });
}

/** The value of an InternationalString (rim:Name / rim:Description); XDS uses one LocalizedString. */
export function readLocalized(el: XmlElement, name: 'Name' | 'Description', ctx: DecodeContext): LocalizedText | undefined {
  const holder = child(el, NS.rim, name);
  if (!holder) return undefined;
  const strings = rimChildren(holder, 'LocalizedString');
  if (strings.length === 0) return undefined;
  if (strings.length > 1) fail(ctx, `${name} has ${strings.length} LocalizedStrings, XDS allows one (ITI TF-3 §4.2.3.1.4)`);
  const ls = strings[0]!;
  const text: LocalizedText = { value: ls.attrs.value ?? '' };
  const lang = ls.nsAttrs[`{${NS.xml}}lang`];
  if (lang) text.lang = lang;
  if (ls.attrs.charset) text.charset = ls.attrs.charset;
  return text;
}

/**
 * VersionInfo/@versionName as a number (1 when absent, ITI TF-3 §4.1.3.2). The registry assigns versions
 * itself (ITI-42: 1, ITI-57: latest + 1), so a submitted value is informational only; anything that is not
 * a positive integer — notably rim.xsd's default "1.1", which the official IHE MU example sends — reads as 1.
 */
export function readVersion(el: XmlElement): number {
  const name = child(el, NS.rim, 'VersionInfo')?.attrs.versionName;
  return name !== undefined && /^[1-9]\d{0,8}$/.test(name) ? Number(name) : 1;
}

const STATUSES = new Set<string>(Object.values(Status));

/** The status attribute; submissions normally omit it, the registry sets Approved (ITI TF-3 §4.1.9). */
export function readStatus(el: XmlElement, ctx: DecodeContext): AvailabilityStatus {
  const s = el.attrs.status;
  if (s === undefined || s === '') return Status.Submitted;
  if (!STATUSES.has(s)) fail(ctx, `status "${s}" is not an ebRIM StatusType`);
  return s as AvailabilityStatus;
}

/** The single value of a single-valued Slot, or undefined when the Slot is absent. */
export function singleValue(slot: Slot | undefined, ctx: DecodeContext): string | undefined {
  if (!slot) return undefined;
  if (slot.values.length !== 1) fail(ctx, `Slot "${slot.name}" must have exactly one value, has ${slot.values.length}`);
  return slot.values[0];
}

/**
 * A coded Classification (ITI TF-3 §4.2.3.1.2): nodeRepresentation = code, Slot codingScheme (one value)
 * = scheme, Name = display name.
 */
export function readCode(cl: XmlElement, ctx: DecodeContext, attribute: string): Code {
  const c: DecodeContext = { ...ctx, label: `${ctx.label} ${attribute}` };
  const code = cl.attrs.nodeRepresentation;
  if (!code) fail(c, 'Classification has no nodeRepresentation (the code value)');
  const slots = readSlots(cl, c);
  const schemeSlot = slots.find((s) => s.name === 'codingScheme');
  if (!schemeSlot) fail(c, `code "${code}" has no codingScheme Slot`);
  const scheme = singleValue(schemeSlot, c)!;
  const other = slots.filter((s) => s.name !== 'codingScheme');
  if (other.length) fail(c, `code "${code}" carries unexpected Slot "${other[0]!.name}"`);
  const result: Code = { code, scheme };
  const display = readLocalized(cl, 'Name', c);
  if (display) result.display = display.value;
  if (cl.attrs.id) result.classificationId = cl.attrs.id;
  return result;
}

/** The ExternalIdentifiers of an object, by identificationScheme; unknown schemes are an error. */
export function readExternalIdentifiers(
  el: XmlElement,
  objectId: string,
  known: Readonly<Record<string, string>>,
  ctx: DecodeContext,
): Map<string, string> {
  const byScheme = new Map<string, string>();
  const names = new Map(Object.entries(known).map(([name, uuid]) => [uuid, name]));
  for (const ei of rimChildren(el, 'ExternalIdentifier')) {
    const scheme = ei.attrs.identificationScheme ?? '';
    const name = names.get(scheme);
    if (!name) fail(ctx, `ExternalIdentifier with unknown identificationScheme "${scheme}"`);
    if (byScheme.has(name)) fail(ctx, `ExternalIdentifier ${name} appears more than once`);
    const ref = ei.attrs.registryObject;
    if (ref !== undefined && ref !== objectId) {
      fail(ctx, `ExternalIdentifier ${name} has registryObject "${ref}", expected "${objectId}"`);
    }
    byScheme.set(name, ei.attrs.value ?? '');
  }
  return byScheme;
}
