/**
 * HL7 DTM values normalised for stored-query time comparisons (ITI TF-2a §3.18.4.1.2.3.6).
 *
 * Interpretation (shared by every adapter, pinned by test/contract/metadata-store.contract.ts):
 * - A DTM of partial precision (`YYYY`, `YYYYMM`, ... `YYYYMMDDhhmmss`) stands for the earliest instant it
 *   covers ("2004" = 2004-01-01T00:00:00), on both sides of the comparison: the attribute stored in the
 *   registry and the query parameter. The TF compares `from` inclusively (attribute >= From) and `to`
 *   exclusively (attribute < To).
 * - We therefore pad every value to 14 digits with the earliest month/day/hour/minute/second ("01", "01",
 *   "00", "00", "00") and keep any fractional seconds; the padded strings then order exactly like the
 *   instants they denote, so every backend can compare them as plain strings (and index them).
 *   Examples: attribute 20041224 vs To 20041224 → 20041224000000 < 20041224000000 is false (the "right
 *   edge" case of NIST test 11897); attribute 2004 vs From 20040101 → equal → included.
 * - XDS metadata times are UTC without offset (ITI TF-3 §4.2.3.1.6); when a value carries a `+hhmm` /
 *   `-hhmm` offset (query parameters may), it is converted to UTC first.
 * - A value that is not a DTM yields undefined; an absent attribute never matches a range on it.
 */
const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$/;

export function normalizeDtm(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', offset] = m;
  if (!offset) return `${y}${mo}${d}${h}${mi}${s}${frac}`;
  const sign = offset[0] === '-' ? -1 : 1;
  const offMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offMinutes * 60_000;
  const t = new Date(utc);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}` +
    `${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}${frac}`
  );
}
