/**
 * Time comparison for stored-query time parameters (ITI TF-2a §3.18.4.1.2.3.6 and §3.18.4.1.2.3.7.1):
 * `...From` matches values >= the parameter, `...To` matches values < the parameter. Both the stored
 * attribute and the parameter are HL7 DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC, ITI TF-3 §4.2.3.1.5) and may carry
 * different precision, so both are brought to the full 14-digit form first, filling the missing trailing
 * fields with their lowest value (month/day 01, hours/minutes/seconds 00). That makes `2004` equal to
 * `20040101000000`, and the NIST edge tests (11897 creationtime_left_edge / right_edge) come out as the TF
 * intends: From is inclusive, To is exclusive.
 *
 * Adapters use normalizeDtm() on stored values (at write or compare time) and receive query parameters
 * already normalized by the stored-query layer, so a plain string comparison is then correct.
 */
import type { TimeRange } from '../../storage/ports.js';

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d{1,4})?(?:[+-]\d{4})?$/;
const FILL = '0101000000';

/** True when `value` is an HL7 DTM of 4..14 digits (optional fraction and zone are tolerated). */
export function isDtm(value: string): boolean {
  return normalizeDtm(value) !== undefined;
}

/**
 * The 14-digit form of an HL7 DTM (fraction and zone offset dropped: XDS times are UTC). Returns
 * undefined when the value is not a DTM, so callers can reject or skip it.
 */
export function normalizeDtm(value: string): string | undefined {
  const v = value.trim();
  if (!DTM.test(v)) return undefined;
  const digits = v.match(/^\d+/)?.[0] ?? '';
  if (digits.length % 2 !== 0 || digits.length > 14) return undefined;
  return digits + FILL.slice(digits.length - 4);
}

/** Whether a stored DTM value lies inside a (normalized) TimeRange; a missing value never matches. */
export function inTimeRange(value: string | undefined, range: TimeRange): boolean {
  if (range.from === undefined && range.to === undefined) return true;
  if (value === undefined) return false;
  const v = normalizeDtm(value);
  if (v === undefined) return false;
  if (range.from !== undefined && v < range.from) return false;
  if (range.to !== undefined && v >= range.to) return false;
  return true;
}
