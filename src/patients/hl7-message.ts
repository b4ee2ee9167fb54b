/**
 * HL7 v2 message access for the ITI-8 Patient Identity Feed, kept behind this one module so the parser
 * library (hl7parser 1.0.1, Apache-2.0) can be swapped without touching the feed logic.
 *
 * Why hl7parser: of the npm candidates it is the only one that reads the delimiters from MSH-1/MSH-2
 * (HL7 v2.5 §2.5.4 "Message delimiters") and resolves the escape sequences \F\ \S\ \T\ \R\ \E\ (and \Xhh\)
 * in leaf values (§2.7 "Use of escape sequences in text fields"). simple-hl7 and hl7-standard hard-code
 * `|^~\&` and do not unescape; node-hl7-server/-client need Node >= 22.
 *
 * What this wrapper adds around it:
 * - segment terminators: the standard says CR (§2.5.4), but many senders use LF or CRLF; they are
 *   normalised to CR (a bare LF cannot occur inside HL7 data, it would be written \X0A\ or \.br\);
 * - a strict header check before the library sees the text, because hl7parser crashes with a TypeError on
 *   a short or malformed MSH;
 * - HL7 field numbering: for MSH, MSH-1 is the field separator itself, so MSH-n is the library's
 *   child n-1; for every other segment field n is child n;
 * - values are always read down to the sub-component so that escape sequences are resolved (the library
 *   returns raw text for nodes that still have children).
 */
import * as hl7parser from 'hl7parser';

export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export const DEFAULT_DELIMITERS: Hl7Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** The text is not an HL7 v2 message this module can read (the feed answers it with AR). */
export class Hl7ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Hl7ParseError';
  }
}

/** One repetition of a field: components and sub-components, 1-based as in HL7 notation. */
export interface Hl7Repetition {
  /** The unescaped value of component `component`, sub-component `sub` ('' when absent). */
  value(component?: number, sub?: number): string;
  /** Raw text of the repetition, delimiters and escapes as sent. */
  readonly raw: string;
}

export interface Hl7Segment {
  readonly name: string;
  /** The repetitions of field `n` (HL7 numbering: MSH-9 is field(9)); empty when the field is empty. */
  repetitions(n: number): Hl7Repetition[];
  /** Unescaped value of field n, first repetition, component/sub-component (1-based). */
  value(n: number, component?: number, sub?: number): string;
}

export interface Hl7Message {
  readonly delimiters: Hl7Delimiters;
  readonly segments: readonly Hl7Segment[];
  /** The first segment with this name. */
  segment(name: string): Hl7Segment | undefined;
  /** Convenience: `value('MSH', 9, 2)` = MSH-9.2 of the first segment with that name. */
  value(segment: string, field: number, component?: number, sub?: number): string;
}

// Structural view of the hl7parser nodes this module touches (its bundled typings are incomplete).
interface ParserNode {
  name: string | null;
  get(path: string | number): ParserNode;
  toString(): string | null;
  toRaw(): string | null;
  toArray(): ParserNode[];
  isEmpty(): boolean;
}

/** Reads MSH-1 and MSH-2 (HL7 v2.5 §2.14.9.1/.2) and checks they are five distinct, non-alphanumeric characters. */
export function readDelimiters(text: string): Hl7Delimiters {
  if (!text.startsWith('MSH')) throw new Hl7ParseError('message does not start with an MSH segment');
  const chars = text.slice(3, 8);
  if (chars.length < 5) throw new Hl7ParseError('MSH-1/MSH-2 (field separator and encoding characters) are incomplete');
  const [field, component, repetition, escape, subcomponent] = [...chars] as [string, string, string, string, string];
  if (new Set(chars).size !== 5 || /[A-Za-z0-9\r\n\s]/.test(chars)) {
    throw new Hl7ParseError(`MSH-1/MSH-2 must be five distinct non-alphanumeric characters, got "${chars}"`);
  }
  return { field, component, repetition, escape, subcomponent };
}

/** Parses one HL7 v2 message (the payload of one MLLP frame). Throws Hl7ParseError when unreadable. */
export function parseHl7(input: string): Hl7Message {
  // Normalise segment terminators to CR and drop empty segments (trailing CRs, blank lines).
  const text = input
    .replace(/\r\n|\n/g, '\r')
    .split('\r')
    .filter((line) => line.trim() !== '')
    .join('\r');
  const delimiters = readDelimiters(text);
  for (const line of text.split('\r')) {
    const name = line.split(delimiters.field, 1)[0]!;
    if (!/^[A-Z][A-Z0-9]{2}$/.test(name)) {
      throw new Hl7ParseError(`"${name.slice(0, 20)}" is not a segment name (three upper-case letters or digits)`);
    }
  }
  let parsed: ParserNode;
  try {
    parsed = hl7parser.create(text) as unknown as ParserNode;
  } catch (e) {
    throw new Hl7ParseError(`not a readable HL7 v2 message: ${(e as Error).message}`);
  }
  const segments = parsed.toArray().map((node) => wrapSegment(node, delimiters));
  return {
    delimiters,
    segments,
    segment: (name) => segments.find((s) => s.name === name),
    value: (segment, field, component = 1, sub = 1) =>
      segments.find((s) => s.name === segment)?.value(field, component, sub) ?? '',
  };
}

function leaf(node: ParserNode, component: number, sub: number): string {
  if (component < 1 || sub < 1) return '';
  const comp = node.get(component - 1);
  if (comp.isEmpty()) return '';
  // Sub-components are the library's leaves; asking a leaf for a child throws, so stop here.
  return comp.get(sub - 1).toString() ?? '';
}

function wrapRepetition(node: ParserNode): Hl7Repetition {
  return {
    raw: node.toRaw() ?? '',
    value: (component = 1, sub = 1) => leaf(node, component, sub),
  };
}

function wrapSegment(node: ParserNode, delimiters: Hl7Delimiters): Hl7Segment {
  const name = node.get(0).toString() ?? '';
  const isMsh = name === 'MSH';
  const fieldNode = (n: number): ParserNode | undefined => {
    if (n < 1) return undefined;
    if (isMsh && n === 1) return undefined; // MSH-1 is the separator itself, handled below
    return node.get(isMsh ? n - 1 : n);
  };
  const repetitions = (n: number): Hl7Repetition[] => {
    if (isMsh && (n === 1 || n === 2)) {
      // MSH-1 and MSH-2 are the delimiters themselves, never split or unescaped.
      const raw = n === 1 ? delimiters.field : (node.get(1).toRaw() ?? '');
      return [{ raw, value: (c = 1, s = 1) => (c === 1 && s === 1 ? raw : '') }];
    }
    const field = fieldNode(n);
    if (!field || field.isEmpty() || (field.toRaw() ?? '') === '') return [];
    return field.toArray().map(wrapRepetition);
  };
  return {
    name,
    repetitions,
    value: (n, component = 1, sub = 1) => repetitions(n)[0]?.value(component, sub) ?? '',
  };
}

// ---------------------------------------------------------------------------------------------------
// Encoding (used to build ACK messages)
// ---------------------------------------------------------------------------------------------------

/** Escapes the delimiters inside a data value (HL7 v2.5 §2.7.1), escape character first. */
export function escapeHl7(value: string, d: Hl7Delimiters = DEFAULT_DELIMITERS): string {
  let out = '';
  for (const ch of value) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (ch === '\r' || ch === '\n') out += ' ';
    else out += ch;
  }
  return out;
}

/**
 * A field value to encode: a plain string (escaped, one component); components, each a string or a
 * list of sub-components (all escaped); or `{ raw }`, text already encoded with the same delimiters
 * (used to echo the request's MSH-3..6 hierarchic designators unchanged).
 */
export type Hl7FieldValue = string | (string | string[])[] | { raw: string };

/** Encodes one segment. For MSH pass fields from MSH-3 on; MSH-1 and MSH-2 are written from `d`. */
export function encodeSegment(name: string, fields: Hl7FieldValue[], d: Hl7Delimiters = DEFAULT_DELIMITERS): string {
  const encodeField = (f: Hl7FieldValue): string => {
    if (typeof f === 'string') return escapeHl7(f, d);
    if (!Array.isArray(f)) return f.raw;
    const components = f.map((c) => (typeof c === 'string' ? escapeHl7(c, d) : c.map((s) => escapeHl7(s, d)).join(d.subcomponent)));
    while (components.length > 0 && components[components.length - 1] === '') components.pop();
    return components.join(d.component);
  };
  const encoded = fields.map(encodeField);
  // Trailing empty fields are left out (HL7 v2.5 §2.5.3: "trailing delimiters may be omitted").
  while (encoded.length > 0 && encoded[encoded.length - 1] === '') encoded.pop();
  if (name === 'MSH') {
    const encodingChars = d.component + d.repetition + d.escape + d.subcomponent;
    return ['MSH', encodingChars, ...encoded].join(d.field);
  }
  return [name, ...encoded].join(d.field);
}
