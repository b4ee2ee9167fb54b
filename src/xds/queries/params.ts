/**
 * The one stored-query parameter parser (ITI TF-2a §3.18.4.1.2.3.5 "Query parameter value coding").
 *
 * Slot values use an SQL-like syntax: strings in single quotes ('x', a quote doubled inside), numbers
 * (times) bare, lists in parentheses ('a','b'). A list may be spread over several <Value> elements, and a
 * parameter that allows it may be repeated as several Slots: values inside one Slot are OR-ed, the Slots
 * are AND-ed (only for the parameters the TF marks AND/OR: event codes, confidentiality codes, folder code
 * lists, referenceIdList). Codes are coded `code^^scheme` (CE, component 1 and 3).
 *
 * Errors carry the XDS codes of ITI TF-3 Table 4.2.4.1-2: XDSStoredQueryParamNumber for a parameter given
 * too often, XDSStoredQueryMissingParam for a required one that is absent, XDSRegistryError for a value
 * that cannot be read. Parameters a query does not define are ignored (ITI TF-2a §3.18.4.1.3: a registry
 * ignores parameters it does not understand; NIST 11897 practicesetting_scheme relies on it).
 */
import { ErrorCode, XdsError } from '../errors.js';
import { Status, type AvailabilityStatus } from '../model/types.js';
import type { CodeCondition, CodeMatch, TimeRange } from '../../storage/ports.js';
import { normalizeDtm } from './time-range.js';

/** A Slot of the AdhocQuery as received: name and the raw text of each <Value>. */
export interface QuerySlot {
  name: string;
  values: string[];
}

export type ParamKind =
  /** a quoted string (patient id, uuid, uniqueId, homeCommunityId). */
  | 'string'
  /** code^^scheme values. */
  | 'code'
  /** an HL7 DTM, bare or quoted. */
  | 'time'
  /** an SQL LIKE pattern (authorPerson). */
  | 'pattern'
  /** a bare or quoted integer ($MetadataLevel). */
  | 'integer';

export interface ParamSpec {
  kind: ParamKind;
  required?: boolean;
  /** more than one value allowed (TF column "M"). */
  multiple?: boolean;
  /** the parameter may be repeated as several Slots, AND-ed (TF "AND/OR" note). */
  andOr?: boolean;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

function paramError(codeContext: string): XdsError {
  return new XdsError(ErrorCode.RegistryError, codeContext);
}

/**
 * Splits the text of one Slot's Values into the values it carries. The Values are read as one text
 * (a list may open in one Value and close in another), then cut into quoted strings and bare tokens;
 * parentheses and commas only delimit.
 */
export function parseSlotValues(slotName: string, values: readonly string[]): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const raw of values) {
    const text = raw.trim();
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ',') {
        i++;
      } else if (c === '(') {
        depth++;
        if (depth > 1) throw paramError(`${slotName}: nested parentheses in value "${raw}"`);
        i++;
      } else if (c === ')') {
        depth--;
        if (depth < 0) throw paramError(`${slotName}: unbalanced ")" in value "${raw}"`);
        i++;
      } else if (c === "'") {
        let s = '';
        let j = i + 1;
        let closed = false;
        while (j < text.length) {
          if (text[j] === "'") {
            if (text[j + 1] === "'") {
              s += "'";
              j += 2;
              continue;
            }
            closed = true;
            break;
          }
          s += text[j];
          j++;
        }
        if (!closed) throw paramError(`${slotName}: unterminated quoted string in value "${raw}"`);
        out.push(s);
        i = j + 1;
      } else {
        let j = i;
        while (j < text.length && !" \t\r\n,()'".includes(text[j])) j++;
        out.push(text.slice(i, j));
        i = j;
      }
    }
  }
  if (depth !== 0) throw paramError(`${slotName}: unbalanced "(" in its values`);
  return out;
}

/** Parses one code value `code^^scheme` (ITI TF-2a §3.18.4.1.2.3.7.1: CE form, code and scheme both required). */
export function parseCodeValue(slotName: string, value: string): CodeMatch {
  const parts = value.split('^');
  if (parts.length !== 3 || parts[0].trim() === '' || parts[2].trim() === '') {
    throw paramError(
      `${slotName}: code value "${value}" is not in the form code^^codingScheme (both code and scheme are required)`,
    );
  }
  return { code: parts[0], scheme: parts[2] };
}

/** The parameters of one request, checked against a query's specification. */
export class QueryParams {
  private readonly bySlot = new Map<string, string[][]>();

  constructor(slots: readonly QuerySlot[], specs: ParamSpecs) {
    for (const slot of slots) {
      const spec = specs[slot.name];
      if (!spec) continue; // not a parameter of this query: ignored
      const values = parseSlotValues(slot.name, slot.values);
      const seen = this.bySlot.get(slot.name);
      if (seen && !spec.andOr) {
        throw new XdsError(ErrorCode.StoredQueryParamNumber, `${slot.name} may be given only once`);
      }
      if (values.length === 0) {
        throw new XdsError(ErrorCode.StoredQueryMissingParam, `${slot.name} has no value`);
      }
      if (values.length > 1 && !spec.multiple) {
        throw new XdsError(ErrorCode.StoredQueryParamNumber, `${slot.name} accepts a single value, got ${values.length}`);
      }
      if (seen) seen.push(values);
      else this.bySlot.set(slot.name, [values]);
    }
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.required && !this.bySlot.has(name)) {
        throw new XdsError(ErrorCode.StoredQueryMissingParam, `Required parameter ${name} is missing`);
      }
    }
    // Values are checked here, whether or not the query's execution reaches them.
    for (const name of this.bySlot.keys()) {
      const kind = specs[name].kind;
      if (kind === 'code') this.codes(name);
      else if (kind === 'time') this.time(name);
      else if (kind === 'integer') {
        for (const v of this.list(name)!) if (!/^\d+$/.test(v)) throw paramError(`${name}: "${v}" is not an integer`);
      }
    }
  }

  has(name: string): boolean {
    return this.bySlot.has(name);
  }

  /** The value of a single-valued string parameter. */
  string(name: string): string | undefined {
    return this.bySlot.get(name)?.[0]?.[0];
  }

  /** All values of a multi-valued parameter (one Slot). */
  list(name: string): string[] | undefined {
    const slots = this.bySlot.get(name);
    return slots ? slots.flat() : undefined;
  }

  /** All values per Slot (AND across, OR within) for AND/OR string parameters (referenceIdList). */
  andOrList(name: string): string[][] | undefined {
    return this.bySlot.get(name)?.map((v) => [...v]);
  }

  /** A code parameter as CodeCondition: outer list AND (Slots), inner OR (values). */
  codes(name: string): CodeCondition | undefined {
    const slots = this.bySlot.get(name);
    return slots?.map((values) => values.map((v) => parseCodeValue(name, v)));
  }

  /** A From/To pair as a normalized TimeRange, undefined when neither is given. */
  timeRange(fromName: string, toName: string): TimeRange | undefined {
    const from = this.time(fromName);
    const to = this.time(toName);
    if (from === undefined && to === undefined) return undefined;
    return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
  }

  private time(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const n = normalizeDtm(raw);
    if (n === undefined) throw paramError(`${name}: "${raw}" is not an HL7 DTM time (YYYY[MM[DD[hh[mm[ss]]]]])`);
    return n;
  }

  /**
   * Availability statuses. A value that is not a URN is rejected; a URN this registry never assigns (e.g.
   * On-Demand's DeferredCreation) simply matches nothing.
   */
  statuses(name: string): AvailabilityStatus[] | undefined {
    const values = this.list(name);
    if (!values) return undefined;
    const known = Object.values(Status) as string[];
    for (const v of values) {
      if (!v.startsWith('urn:')) throw paramError(`${name}: "${v}" is not an availability status URN`);
    }
    return [...new Set(values.filter((v) => known.includes(v)))] as AvailabilityStatus[];
  }

  /** $MetadataLevel (ITI TF-2b §3.57.4.1.3.3.1): 1 (default) or 2. */
  metadataLevel(name = '$MetadataLevel'): 1 | 2 {
    const raw = this.string(name);
    if (raw === undefined) return 1;
    if (raw === '1') return 1;
    if (raw === '2') return 2;
    throw paramError(`${name}: "${raw}" is not 1 or 2`);
  }

  /**
   * Exactly one of mutually exclusive parameters (e.g. $XDSDocumentEntryEntryUUID / UniqueId): both or none
   * is XDSStoredQueryParamNumber (ITI TF-2a §3.18.4.1.2.3.7.5 and following).
   */
  exactlyOne<N extends string>(...names: N[]): N {
    const given = names.filter((n) => this.has(n));
    if (given.length !== 1) {
      throw new XdsError(
        ErrorCode.StoredQueryParamNumber,
        given.length === 0
          ? `One of ${names.join(', ')} is required`
          : `Only one of ${names.join(', ')} may be given, got ${given.join(', ')}`,
      );
    }
    return given[0];
  }
}
