/**
 * Streams a `multipart/related` (MTOM/XOP, W3C XOP 1.0 + SOAP MTOM; RFC 2387) request body into the root
 * part (the SOAP envelope, kept in memory up to maxXmlBytes) and attachments by Content-ID. Attachments
 * above the spool threshold are written to a temp file as they arrive, so a 1 GB document never sits in
 * memory (issue #2 "Wire layer").
 *
 * MIME framing is done by @fastify/busboy's bundled Dicer (dependencies.md §8: streaming, passes every
 * framing incl. preambles, survives the dicer CVE-2022-24434 proof of concept). It is not a documented
 * public API of @fastify/busboy, hence the narrow local typing below and the pinned version.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { SoapFault, type Attachment } from '../soap/types.js';
import { normalizeContentId, parseMediaType } from './content-type.js';

interface DicerPart extends Readable {
  on(event: 'header', listener: (header: Record<string, string[]>) => void): this;
  on(event: string, listener: (...args: never[]) => void): this;
}
interface DicerStream extends Writable {
  on(event: 'part', listener: (part: DicerPart) => void): this;
  on(event: string, listener: (...args: never[]) => void): this;
}
type DicerCtor = new (cfg: { boundary: string; maxHeaderPairs?: number; partHwm?: number }) => DicerStream;
const Dicer = createRequire(import.meta.url)('@fastify/busboy/deps/dicer/lib/Dicer') as DicerCtor;

export interface MtomLimits {
  /** Largest whole request body (bytes). */
  maxRequestBytes: number;
  /** Largest root part (the SOAP envelope) kept in memory. */
  maxXmlBytes: number;
  /** Attachments larger than this go to a spool file. */
  spoolThresholdBytes: number;
  /** Folder for spool files (created when missing). */
  spoolDir: string;
  /** Most MIME parts accepted (default 10 000). */
  maxParts?: number;
}

export interface MtomRequest {
  /** The root part's bytes (the SOAP envelope). */
  root: Buffer;
  /** The root part's Content-Type (application/xop+xml; type=...). */
  rootContentType: string;
  /** Attachments by Content-ID (no angle brackets, percent-decoded). */
  attachments: Map<string, Attachment>;
  /** multipart/related parameters (type, start, start-info, action). */
  params: Record<string, string>;
  /** The SOAP action from the `action` (or start-info's) parameter, when present. */
  action?: string;
  /** Deletes every spool file; safe to call more than once. */
  cleanup(): Promise<void>;
}

/** A MIME/MTOM framing problem: the client's fault (SOAP Sender). */
export function mimeFault(reason: string, httpStatus?: number): SoapFault {
  return new SoapFault('Sender', reason, undefined, undefined, httpStatus);
}

/** Counts request bytes and stops the stream past the limit (checked again here: Content-Length may lie). */
export function byteLimit(max: number, what = 'request body'): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      seen += chunk.length;
      if (seen > max) cb(mimeFault(`${what} exceeds the limit of ${max} bytes`, 413));
      else cb(null, chunk);
    },
  });
}

function memoryAttachment(contentId: string, contentType: string, bytes: Buffer): Attachment {
  return {
    contentId,
    contentType,
    size: bytes.length,
    open: () => Readable.from([bytes], { objectMode: false }),
    readAll: async () => bytes,
  };
}

function fileAttachment(contentId: string, contentType: string, file: string, size: number): Attachment {
  return {
    contentId,
    contentType,
    size,
    open: () => fs.createReadStream(file),
    readAll: () => fs.promises.readFile(file),
  };
}

const ACCEPTED_ENCODINGS = new Set(['', 'binary', '8bit', '7bit']);

/**
 * Parses a multipart/related body. Rejects with a SoapFault (Sender) for truncated MIME, a missing root
 * part, unusable part headers, duplicate Content-IDs or a body over the limits; spool files are removed
 * before a rejection, and by `cleanup()` after success.
 */
export async function parseMtom(body: Readable, contentTypeHeader: string, limits: MtomLimits): Promise<MtomRequest> {
  const { mediaType, params } = parseMediaType(contentTypeHeader);
  if (mediaType !== 'multipart/related') throw mimeFault(`expected multipart/related, got "${mediaType}"`, 415);
  const boundary = params.boundary;
  if (!boundary) throw mimeFault('multipart/related Content-Type has no boundary parameter');
  if (boundary.length > 200) throw mimeFault('multipart boundary is longer than 200 characters (RFC 2046 §5.1.1 allows 70)');
  const start = params.start ? normalizeContentId(params.start) : undefined;
  const maxParts = limits.maxParts ?? 10_000;

  const spoolFiles: string[] = [];
  const cleanup = async (): Promise<void> => {
    const files = spoolFiles.splice(0);
    await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
  };

  let root: { bytes: Buffer; contentType: string } | undefined;
  const attachments = new Map<string, Attachment>();
  const seenIds = new Set<string>();
  const tasks: Promise<void>[] = [];
  let failure: unknown;
  let partCount = 0;
  const fail = (err: unknown): void => {
    failure ??= err;
  };
  let stopParsing = (): void => undefined;
  let markStopped = (): void => undefined;
  /** Settles when parsing stops early, so no part task waits for data that will never be read. */
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  const stop = (): void => {
    markStopped();
    stopParsing();
  };

  const handlePart = async (part: DicerPart, index: number, header: Record<string, string[]>): Promise<void> => {
    const contentType = header['content-type']?.[0]?.trim() ?? '';
    const rawId = header['content-id']?.[0];
    const contentId = rawId === undefined ? undefined : normalizeContentId(rawId);
    const encoding = (header['content-transfer-encoding']?.[0] ?? '').trim().toLowerCase();
    const isRoot = start !== undefined ? contentId === start : index === 0;
    if (Object.keys(header).length === 0) throw mimeFault(`MIME part ${index + 1} has no readable headers`);
    if (!ACCEPTED_ENCODINGS.has(encoding)) {
      throw mimeFault(`MIME part ${index + 1} uses Content-Transfer-Encoding "${encoding}"; MTOM parts must be binary`);
    }
    if (!isRoot && (contentId === undefined || contentId === '')) throw mimeFault(`MIME part ${index + 1} has no Content-ID`);
    if (isRoot && root) throw mimeFault(`two MIME parts carry the root Content-ID <${start}>`);
    if (!isRoot && seenIds.has(contentId!)) throw mimeFault(`two MIME parts carry Content-ID <${contentId}>`);
    if (!isRoot) seenIds.add(contentId!);

    const chunks: Buffer[] = [];
    let size = 0;
    let spool: { file: string; out: fs.WriteStream } | undefined;
    // Events rather than async iteration: leaving a for-await early destroys the part stream, and Dicer
    // then waits forever for it to drain. A failed part keeps being consumed (and dropped) instead.
    try {
      const partDone = new Promise<void>((resolve, reject) => {
        let chain = Promise.resolve();
        const onData = (chunk: Buffer): void => {
          if (failure) return;
          size += chunk.length;
          if (isRoot) {
            if (size > limits.maxXmlBytes) {
              fail(mimeFault(`the SOAP envelope part exceeds the limit of ${limits.maxXmlBytes} bytes`, 413));
              stop();
            } else chunks.push(chunk);
            return;
          }
          if (!spool && size <= limits.spoolThresholdBytes) {
            chunks.push(chunk);
            return;
          }
          if (!spool) {
            const file = path.join(limits.spoolDir, `mtom-${randomUUID()}.part`);
            spoolFiles.push(file);
            fs.mkdirSync(limits.spoolDir, { recursive: true });
            const out = fs.createWriteStream(file, { mode: 0o600 });
            out.on('error', (err) => {
              fail(err);
              stop();
            });
            spool = { file, out };
            chunks.push(chunk);
            const pending = Buffer.concat(chunks.splice(0));
            if (!out.write(pending)) pauseUntilDrain(out);
            return;
          }
          if (!spool.out.write(chunk)) pauseUntilDrain(spool.out);
        };
        const pauseUntilDrain = (out: fs.WriteStream): void => {
          part.pause();
          chain = chain.then(() => once(out, 'drain').then(() => void part.resume(), () => undefined));
        };
        part.on('data', onData);
        part.on('end', () => resolve());
        part.on('error', (err: Error) => reject(mimeFault(`malformed MIME part ${index + 1}: ${err.message}`)));
      });
      await Promise.race([partDone, stopped]);
    } finally {
      const out = spool?.out;
      if (out) {
        out.end();
        if (!out.closed) await once(out, 'close').catch(() => undefined);
      }
    }
    if (failure) return;
    if (isRoot) root = { bytes: Buffer.concat(chunks), contentType };
    else if (spool) attachments.set(contentId!, fileAttachment(contentId!, contentType, spool.file, size));
    else attachments.set(contentId!, memoryAttachment(contentId!, contentType, Buffer.concat(chunks)));
  };

  const dicer = new Dicer({ boundary, maxHeaderPairs: 100 });
  dicer.on('part', (part: DicerPart) => {
    // Without an 'error' listener a malformed part (CVE-2022-24434) would crash the process.
    part.on('error', (err: Error) => fail(mimeFault(`malformed MIME part: ${err.message}`)));
    const index = partCount++;
    if (index >= maxParts) {
      fail(mimeFault(`more than ${maxParts} MIME parts`));
      part.resume();
      return;
    }
    let gotHeader = false;
    part.on('header', (header: Record<string, string[]>) => {
      gotHeader = true;
      tasks.push(
        handlePart(part, index, header).catch((err: unknown) => {
          fail(err);
          stop();
          part.resume();
        }),
      );
    });
    part.on('end', () => {
      if (!gotHeader) fail(mimeFault(`MIME part ${index + 1} ended inside its headers`));
    });
  });

  const limiter = byteLimit(limits.maxRequestBytes);
  await new Promise<void>((resolve) => {
    stopParsing = () => {
      markStopped();
      // Stop reading at the first failure; the endpoint answers with Connection: close.
      body.unpipe(limiter);
      limiter.unpipe(dicer);
      resolve();
    };
    const onError = (err: unknown): void => {
      fail(
        err instanceof SoapFault
          ? err
          : mimeFault(
              /Unexpected end of multipart data/.test(String((err as Error)?.message))
                ? 'truncated MIME: the multipart body ended before its closing boundary'
                : `malformed multipart body: ${(err as Error)?.message ?? String(err)}`,
            ),
      );
      stopParsing();
    };
    body.on('error', onError);
    body.on('aborted', () => onError(mimeFault('the client aborted the request')));
    // 'aborted' is deprecated on newer Node versions: a close before the end means the same.
    body.on('close', () => {
      if (!body.readableEnded) onError(mimeFault('the client aborted the request'));
    });
    limiter.on('error', onError);
    dicer.on('error', onError);
    dicer.on('finish', () => resolve());
    body.pipe(limiter).pipe(dicer);
  });
  await Promise.allSettled(tasks);
  if (!failure && partCount === 0) fail(mimeFault('the multipart body contains no MIME part'));
  if (!failure && !root) {
    fail(mimeFault(start ? `no MIME part carries the root Content-ID <${start}> named by the start parameter` : 'no root MIME part'));
  }
  if (failure) {
    await cleanup();
    throw failure;
  }
  const action = params.action ?? parseMediaType(params['start-info'] ?? '').params.action;
  return { root: root!.bytes, rootContentType: root!.contentType, attachments, params, action, cleanup };
}
