/**
 * MTOM/XOP on the wire, written independently of the hub (a conformance client must not share the
 * server's MIME code): building multipart/related requests (W3C XOP 1.0, SOAP MTOM 1.2; ITI TF-2x
 * Appendix V) and parsing multipart/related responses with @fastify/busboy's Dicer for the framing.
 */
import { Dicer } from '@fastify/busboy';

export interface MimePart { headers: Record<string, string>; body: Buffer }

export interface Attachment { contentId: string; contentType: string; body: Buffer }

/** A multipart/related XOP package: root part = SOAP envelope, then one part per attachment. */
export function buildMtom(envelope: string, attachments: Attachment[], action: string): { contentType: string; body: Buffer } {
  const boundary = `MIMEBoundary_${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const rootId = 'root.message@xds-conformance';
  const chunks: Buffer[] = [];
  const head = (h: string): Buffer => Buffer.from(h.replace(/\n/g, '\r\n'), 'utf8');
  chunks.push(head(`--${boundary}\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\nContent-Transfer-Encoding: binary\nContent-ID: <${rootId}>\n\n`));
  chunks.push(Buffer.from(envelope, 'utf8'));
  for (const a of attachments) {
    chunks.push(head(`\n--${boundary}\nContent-Type: ${a.contentType}\nContent-Transfer-Encoding: binary\nContent-ID: <${a.contentId}>\n\n`));
    chunks.push(a.body);
  }
  chunks.push(head(`\n--${boundary}--\n`));
  const contentType = `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<${rootId}>"; start-info="application/soap+xml"; action="${action}"`;
  return { contentType, body: Buffer.concat(chunks) };
}

/** One parameter of a Content-Type header (quoted or not), case-insensitive name. */
export function contentTypeParam(contentType: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = re.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** Splits a multipart body into its parts (headers lower-cased, first value of each). */
export function parseMultipart(body: Buffer, contentType: string): Promise<MimePart[]> {
  const boundary = contentTypeParam(contentType, 'boundary');
  if (!boundary) return Promise.reject(new Error(`multipart response without boundary: ${contentType}`));
  return new Promise((resolve, reject) => {
    const parts: MimePart[] = [];
    const pending: Promise<void>[] = [];
    const dicer = new Dicer({ boundary });
    dicer.on('part', (part) => {
      const chunks: Buffer[] = [];
      let headers: Record<string, string> = {};
      part.on('header', (h: object) => {
        headers = Object.fromEntries(Object.entries(h as Record<string, string[]>).map(([k, v]) => [k.toLowerCase(), v[0] ?? '']));
      });
      pending.push(new Promise((res, rej) => {
        part.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
        part.on('end', () => { parts.push({ headers, body: Buffer.concat(chunks) }); res(); });
        part.on('error', rej);
      }));
    });
    dicer.on('error', reject);
    dicer.on('finish', () => { Promise.all(pending).then(() => resolve(parts), reject); });
    dicer.end(body);
  });
}

/** `<id>` -> `id`, and a `cid:` URL -> the Content-ID it names (RFC 2392: the cid URL is %-encoded). */
export function normalizeContentId(raw: string): string {
  return raw.trim().replace(/^</, '').replace(/>$/, '');
}

export function cidFromHref(href: string): string {
  return decodeURIComponent(href.replace(/^cid:/i, ''));
}
