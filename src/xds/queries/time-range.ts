/**
 * Time comparison for stored-query time parameters (ITI TF-2a §3.18.4.1.2.3.6 and §3.18.4.1.2.3.7.1):
 * `...From` matches values >= the parameter, `...To` matches values < the parameter. Both the stored
 * attribute and the parameter are HL7 DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC, ITI TF-3 §4.2.3.1.5) and may carry
 * different precision, so both are brought to the full 14-digit form first (the earliest instant the value
 * covers). The one normalisation lives in src/storage/dtm.ts so every adapter and this layer agree; the
 * NIST edge tests (11897 creationtime_left_edge / right_edge) then come out as the TF intends.
 */
import { normalizeDtm } from '../../storage/dtm.js';
import type { TimeRange } from '../../storage/ports.js';

export { normalizeDtm };

/** True when `value` is an HL7 DTM of 4..14 digits (optional fraction and zone offset). */
export function isDtm(value: string): boolean {
  return normalizeDtm(value) !== undefined;
}

/** Whether a stored DTM value lies inside a (normalized) TimeRange; a missing value never matches. */
export function inTimeRange(value: string | undefined, range: TimeRange): boolean {
  if (range.from === undefined && range.to === undefined) return true;
  const v = normalizeDtm(value);
  if (v === undefined) return false;
  if (range.from !== undefined && v < range.from) return false;
  if (range.to !== undefined && v >= range.to) return false;
  return true;
}
