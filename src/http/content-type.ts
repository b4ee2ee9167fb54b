/**
 * Media-type parsing (RFC 2045 §5.1 / RFC 9110 §8.3.1): `type/subtype *(; name=value)` where a value is a
 * token or a quoted string. MTOM headers need the quoted form: CXF writes
 * `boundary="uuid:0ca0e16e-..."` (a ':' inside) and `start="<root.message@cxf.apache.org>"`.
 */
export interface MediaType {
  /** lower-cased `type/subtype`. */
  mediaType: string;
  /** parameters by lower-cased name, values unquoted. */
  params: Record<string, string>;
}

export function parseMediaType(header: string | undefined): MediaType {
  const s = header ?? '';
  let i = 0;
  const semi = s.indexOf(';');
  const mediaType = (semi === -1 ? s : s.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  i = semi === -1 ? s.length : semi + 1;
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === ';')) i++;
    const eq = s.indexOf('=', i);
    if (eq === -1) break;
    const name = s.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    let value = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        value += s[i];
        i++;
      }
      i++; // closing quote
      const next = s.indexOf(';', i);
      i = next === -1 ? s.length : next + 1;
    } else {
      const next = s.indexOf(';', i);
      value = (next === -1 ? s.slice(i) : s.slice(i, next)).trim();
      i = next === -1 ? s.length : next + 1;
    }
    if (name !== '' && !(name in params)) params[name] = value;
  }
  return { mediaType, params };
}

/** A Content-ID without its angle brackets (RFC 2392 §2), percent-decoded when it was URL-encoded. */
export function normalizeContentId(raw: string): string {
  const v = raw.trim().replace(/^<(.*)>$/, '$1').trim();
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
