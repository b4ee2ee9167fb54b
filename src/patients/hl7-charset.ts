/**
 * Bytes ↔ text for HL7 v2 messages. MSH-18 (character set, HL7 v2.5 §2.14.9.18, table 0211) names the
 * encoding; without it the default is ASCII, but Danish senders routinely send ISO 8859-1 (æ, ø, å) or
 * UTF-8 unannounced. So: MSH-18 when it names one of the two, else UTF-8 when the bytes are valid UTF-8,
 * else ISO 8859-1 (every byte sequence is valid Latin-1, so decoding never fails). The ACK is written in
 * the charset the message came in.
 */

export type Hl7Charset = 'utf8' | 'latin1';

const LATIN1 = /^(8859\/1|ISO[-_ ]?8859[-_ ]?1|ISO IR100)$/i;
const UTF8 = /^(UNICODE UTF-8|UTF-?8)$/i;
// Stateless between calls (non-streaming decode), so one shared instance is safe.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** MSH-18 of the first segment, read from the bytes as Latin-1 (the header is ASCII either way). */
export function declaredCharset(payload: Buffer): string {
  const head = payload.subarray(0, Math.min(payload.length, 4096)).toString('latin1');
  if (!head.startsWith('MSH') || head.length < 4) return '';
  const firstSegment = head.split(/[\r\n]/, 1)[0]!;
  const fields = firstSegment.split(head.charAt(3));
  // fields[0] = "MSH", fields[1] = MSH-2, so MSH-n is fields[n - 1].
  const msh18 = fields[17] ?? '';
  return msh18.split(head.charAt(4), 1)[0]!.trim();
}

export function decodeHl7(payload: Buffer): { text: string; charset: Hl7Charset } {
  const declared = declaredCharset(payload);
  if (LATIN1.test(declared)) return { text: payload.toString('latin1'), charset: 'latin1' };
  if (UTF8.test(declared)) return { text: payload.toString('utf8'), charset: 'utf8' };
  try {
    return { text: STRICT_UTF8.decode(payload), charset: 'utf8' };
  } catch {
    return { text: payload.toString('latin1'), charset: 'latin1' };
  }
}

export function encodeHl7(text: string, charset: Hl7Charset): Buffer {
  return Buffer.from(text, charset);
}
