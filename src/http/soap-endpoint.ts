/**
 * One SOAP endpoint (architecture.md "The pipeline"): HTTP → MIME/MTOM → SOAP envelope (+WS-Addressing)
 * → dispatch by SOAP action to a TransactionDescriptor → body element + schema check → security →
 * handler → SOAP (or MTOM) response. Every failure becomes a SOAP fault or the transaction's own error
 * response; never an HTML page, never a stack trace (issue #2 "Wire layer").
 *
 * Outcomes:
 * - envelope-level errors (not XML, not SOAP, no Body, wrong content type, too large, bad MIME): SOAP fault;
 * - unknown action: Sender fault, subcode wsa:ActionNotSupported (WS-Addressing 1.0 SOAP Binding §6.4.1);
 * - body element not the descriptor's request element: Sender fault;
 * - schema-invalid body: HTTP 200 with descriptor.errorResponse([metadataErrorCode: the schema message])
 *   (ITI TF-3 §4.2.4.1: XDSRegistryMetadataError / XDSRepositoryMetadataError);
 * - XdsError from authenticate/handle: HTTP 200 with descriptor.errorResponse(err.errors);
 * - SoapFault: that fault; anything else: a generic Receiver fault (stack logged with the request id).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { SoapFault, type SoapRequest, type SoapVersion } from '../soap/types.js';
import type { RequestContext, TransactionDescriptor } from '../xds/transactions/descriptor.js';
import { callerName } from '../security/caller-name.js';
import type { SecurityContext } from '../security/context.js';
import type { SchemaSet } from '../xml/schemas.js';
import { XmlParseError } from '../xml/parse.js';
import { XdsError, Severity } from '../xds/errors.js';
import { readEnvelope, WsaFault } from '../soap/envelope.js';
import { faultEnvelope, faultHttpStatus, WSA_FAULT_ACTION } from '../soap/fault.js';
import { sniffSoapResponse } from '../soap/outcome.js';
import { responseEnvelope, soapContentType } from '../soap/response.js';
import type { Logger } from '../util/logger.js';
import { createMtomResponse } from './mtom-writer.js';
import { guessVersion, readSoapMessage, type RawSoapMessage } from './soap-request.js';
import { renderWsdl, renderXsd } from './wsdl.js';

export interface SoapEndpointLimits {
  maxRequestBytes: number;
  maxXmlBytes: number;
  spoolThresholdBytes: number;
  spoolDir: string;
}

export interface SoapEndpointOptions {
  /** Logical name for logs, e.g. 'registry'. */
  name: string;
  /** The IHE path and its aliases, e.g. ['/xds/registry', '/ddsregistry']. */
  paths: string[];
  descriptors: TransactionDescriptor[];
  schemas: SchemaSet;
  limits: SoapEndpointLimits;
  /** Builds the SecurityContext (issue #4); throws a SoapFault (or XdsError) to refuse. */
  authenticate: (request: SoapRequest, descriptor: TransactionDescriptor) => Promise<SecurityContext>;
  /** Header blocks added to every non-fault reply for this caller (e.g. the DGWS medcom:Header reply). */
  replyHeaders?: (security: SecurityContext) => string[];
  /** The WSDL served on `GET <path>?wsdl` (absolute, or relative to the schemas folder). */
  wsdl?: { file: string };
  /** Base URL written into the WSDL (default: the request's protocol and Host). */
  publicBaseUrl?: string;
  log: Logger;
}


interface Exchange {
  requestId: string;
  version: SoapVersion;
  relatesTo?: string;
  descriptor?: TransactionDescriptor;
  /** The request was MTOM: its (non-fault) response is MTOM too. */
  mtom?: boolean;
  /** Who called, once authenticated (for the request log and the admin activity view). */
  caller?: string;
  /** The SOAP envelope answered (or the envelope part of an MTOM answer), read for the request log's outcome. */
  sentEnvelope?: string;
}

/** A SOAP endpoint: its express router, and its POST handler for node's http server (the hot path). */
export interface SoapEndpoint {
  readonly name: string;
  readonly paths: readonly string[];
  /** POST (SOAP) and GET (?wsdl / ?xsd=) on the endpoint's paths, any other method a 405 fault. */
  readonly router: Router;
  /**
   * Answers a SOAP POST on one of `paths` without express: the composition root dispatches exact path
   * matches here first (express's router stack cost more per request than the XML parse, issue #3).
   */
  post(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/** Creates an express router answering POST (SOAP) and GET (?wsdl / ?xsd=) on the endpoint's paths. */
export function createSoapEndpoint(opts: SoapEndpointOptions): Router {
  return soapEndpoint(opts).router;
}

export function soapEndpoint(opts: SoapEndpointOptions): SoapEndpoint {
  const byAction = new Map<string, TransactionDescriptor>();
  for (const d of opts.descriptors) {
    if (byAction.has(d.action)) throw new Error(`endpoint ${opts.name}: two descriptors for action ${d.action}`);
    byAction.set(d.action, d);
  }
  const post = (req: IncomingMessage, res: ServerResponse, reqPath: string) => handleSoap(opts, byAction, req, res, reqPath);
  const router = express.Router();
  router.post(opts.paths, (req, res) => post(req, res, req.path));
  router.get(opts.paths, (req, res) => handleGet(opts, req, res));
  router.all(opts.paths, (req, res) => {
    sendFault(res, new SoapFault('Sender', `HTTP method ${req.method} is not supported: send SOAP requests with POST`, undefined, undefined, 405), {
      requestId: randomUUID(),
      version: guessVersion(req.headers),
    });
  });
  router.use(createSoapErrorHandler(opts.log));
  return { name: opts.name, paths: opts.paths, router, post };
}

/**
 * Last-resort express error middleware: whatever reaches express's error path on a SOAP route (for
 * instance a body parser mounted in front of it by mistake) is answered as a SOAP Receiver/Sender fault,
 * never as express's HTML error page. The SOAP routers install it themselves; mount it app-wide too
 * (`app.use(createSoapErrorHandler(log))` after the routes) when app-level middleware runs before them.
 */
export function createSoapErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const ex: Exchange = { requestId: randomUUID(), version: guessVersion(req.headers) };
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      sendFault(res, new SoapFault('Sender', `the request could not be read: ${err instanceof Error ? err.message : String(err)}`, undefined, undefined, status), ex);
      return;
    }
    log.error('unhandled error on a SOAP route', { requestId: ex.requestId, path: req.path, error: err instanceof Error ? err.stack : String(err) });
    sendFault(res, new SoapFault('Receiver', `internal error while processing the request (request id ${ex.requestId})`), ex);
  };
}

async function handleSoap(
  opts: SoapEndpointOptions,
  byAction: ReadonlyMap<string, TransactionDescriptor>,
  req: IncomingMessage,
  res: ServerResponse,
  reqPath: string,
): Promise<void> {
  const ex: Exchange = { requestId: randomUUID(), version: guessVersion(req.headers) };
  const started = Date.now();
  res.on('finish', () => {
    // ebRS status and RegistryError / SOAP fault codes of the answer, for the admin activity view.
    const sniffed = ex.sentEnvelope === undefined ? { errorCodes: [] } : sniffSoapResponse(ex.sentEnvelope);
    opts.log.info('soap request', {
      requestId: ex.requestId,
      endpoint: opts.name,
      path: reqPath,
      transaction: ex.descriptor?.id,
      caller: ex.caller,
      status: res.statusCode,
      outcome: sniffed.outcome,
      errorCodes: sniffed.errorCodes,
      ms: Date.now() - started,
    });
  });
  let message: RawSoapMessage | undefined;
  let reply: () => Promise<void> | void;
  try {
    message = await readSoapMessage(req, req.headers, opts.limits);
    reply = await runPipeline(opts, byAction, req, res, reqPath, ex, message);
  } catch (err) {
    reply = () => handleError(opts, req, res, reqPath, ex, err);
  } finally {
    // Spool files go before the answer: nothing of the request outlives its response.
    await message?.cleanup().catch((err: unknown) => {
      opts.log.warn('could not delete MTOM spool files', { requestId: ex.requestId, error: String(err) });
    });
  }
  try {
    await reply();
  } catch (err) {
    handleError(opts, req, res, reqPath, ex, err);
  }
}

/** Runs the pipeline on a read message and returns how to answer (written once spool files are gone). */
async function runPipeline(
  opts: SoapEndpointOptions,
  byAction: ReadonlyMap<string, TransactionDescriptor>,
  req: IncomingMessage,
  res: ServerResponse,
  reqPath: string,
  ex: Exchange,
  raw: RawSoapMessage,
): Promise<() => Promise<void> | void> {
  const receivedAt = new Date();
  ex.version = raw.version;
  ex.mtom = raw.mtom;
  let request: SoapRequest | undefined;
  // One libxml2 parse: the envelope tree is built, the action dispatched, then the body child of the
  // same document validated against the descriptor's schema.
  const parsed = opts.schemas.parseAndValidate(raw.envelope, { maxBytes: opts.limits.maxXmlBytes, target: 'soap-body' }, (root) => {
    request = readEnvelope(root, {
      rawEnvelope: raw.envelope,
      attachments: raw.attachments,
      path: reqPath,
      httpAction: raw.httpAction,
      actionForBody: (body) => {
        const matches = [...byAction.values()].filter((d) => d.requestElement.ns === body.ns && d.requestElement.name === body.name);
        return matches.length === 1 ? matches[0].action : undefined;
      },
    });
    ex.version = request.version;
    ex.relatesTo = request.addressing.messageId;
    ex.descriptor = dispatch(byAction, request);
    return ex.descriptor.schema;
  });
  const descriptor = ex.descriptor!;
  // Security first: an unauthenticated caller learns nothing about its request beyond the security fault.
  const security = await opts.authenticate(request!, descriptor);
  ex.caller = callerName(security);
  const replyHeaders = opts.replyHeaders?.(security) ?? [];
  if (parsed.errors.length > 0) {
    const body = request!.body;
    const codeContext = `schema validation of {${body.ns}}${body.name} failed: ${parsed.errors.slice(0, 20).join('; ')}`;
    const bodyXml = descriptor.errorResponse([{ errorCode: descriptor.metadataErrorCode, codeContext, severity: Severity.Error }], request!);
    return () => sendXml(res, ex, descriptor.responseAction, { bodyXml, headersXml: replyHeaders });
  }
  const context: RequestContext = {
    requestId: ex.requestId,
    receivedAt,
    security,
    remoteAddress: req.socket.remoteAddress,
    transaction: descriptor.id,
  };
  const handled = await descriptor.handle(request!, context);
  const response = { ...handled, headersXml: [...replyHeaders, ...(handled.headersXml ?? [])] };
  const attachments = response.attachments;
  if (!attachments) return () => sendXml(res, ex, descriptor.responseAction, response);
  return async () => {
    const envelope = responseEnvelope(ex.version, {
      action: descriptor.responseAction,
      relatesTo: ex.relatesTo,
      bodyXml: response.bodyXml,
      headersXml: response.headersXml,
    });
    const mtom = createMtomResponse({ version: ex.version, envelope, attachments, action: descriptor.responseAction });
    ex.sentEnvelope = envelope;
    res.statusCode = 200;
    res.setHeader('Content-Type', mtom.contentType);
    await pipeline(mtom.body, res).catch((err: unknown) => {
      // Headers are gone: the only honest signal left is an aborted response.
      opts.log.error('MTOM response stream failed', { requestId: ex.requestId, endpoint: opts.name, error: String(err) });
      res.destroy();
    });
  };
}

function dispatch(byAction: ReadonlyMap<string, TransactionDescriptor>, request: SoapRequest): TransactionDescriptor {
  const d = byAction.get(request.action);
  if (!d) {
    throw new SoapFault(
      'Sender',
      `the action "${request.action}" is not supported by ${request.path} (supported: ${[...byAction.keys()].join(', ')})`,
      WsaFault.ActionNotSupported,
    );
  }
  const { ns, name } = request.body;
  if (ns !== d.requestElement.ns || name !== d.requestElement.name) {
    throw new SoapFault(
      'Sender',
      `the SOAP Body holds {${ns}}${name}, but action ${d.action} (${d.id}) expects {${d.requestElement.ns}}${d.requestElement.name}`,
    );
  }
  return d;
}

function handleError(opts: SoapEndpointOptions, req: IncomingMessage, res: ServerResponse, reqPath: string, ex: Exchange, err: unknown): void {
  if (res.headersSent) {
    opts.log.error('error after the response started', { requestId: ex.requestId, error: String(err) });
    res.destroy();
    return;
  }
  if (err instanceof XdsError && ex.descriptor) {
    sendXml(res, ex, ex.descriptor.responseAction, { bodyXml: ex.descriptor.errorResponse(err.errors) });
    return;
  }
  let fault: SoapFault;
  if (err instanceof SoapFault) fault = err;
  else if (err instanceof XmlParseError) {
    fault = new SoapFault('Sender', err.message, undefined, undefined, err.kind === 'too-large' ? 413 : undefined);
  } else {
    const stack = err instanceof Error ? err.stack : String(err);
    opts.log.error('unexpected error in SOAP endpoint', { requestId: ex.requestId, endpoint: opts.name, path: reqPath, error: stack });
    fault = new SoapFault('Receiver', `internal error while processing the request (request id ${ex.requestId})`);
  }
  if (!req.complete) {
    // The body was not read to its end (a limit or framing error): close the connection after answering
    // rather than reading on, and drain what arrives meanwhile.
    res.setHeader('Connection', 'close');
    req.resume();
  }
  sendFault(res, fault, ex);
}

/**
 * A plain response, or a single-part MTOM response when the request was MTOM: MTOM stacks (WCF's MTOM
 * encoder, Axis2 with enableMTOM) expect the reply in the encoding they sent ("optional" MTOM mode).
 */
function sendXml(res: ServerResponse, ex: Exchange, action: string, body: { bodyXml: string; headersXml?: string[] }): void {
  const xml = responseEnvelope(ex.version, { action, relatesTo: ex.relatesTo, bodyXml: body.bodyXml, headersXml: body.headersXml });
  ex.sentEnvelope = xml;
  res.statusCode = 200;
  if (ex.mtom) {
    const mtom = createMtomResponse({ version: ex.version, envelope: xml, attachments: [], action });
    res.setHeader('Content-Type', mtom.contentType);
    mtom.body.pipe(res);
    return;
  }
  res.setHeader('Content-Type', soapContentType(ex.version, action));
  res.end(xml);
}

function sendFault(res: ServerResponse, fault: SoapFault, ex: Exchange): void {
  const xml = faultEnvelope(fault, ex.version, { relatesTo: ex.relatesTo });
  ex.sentEnvelope = xml;
  res.statusCode = faultHttpStatus(fault, ex.version);
  res.setHeader('Content-Type', soapContentType(ex.version, WSA_FAULT_ACTION));
  res.end(xml);
}

function endpointUrl(opts: SoapEndpointOptions, req: Request): string {
  const base = opts.publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return `${base}${req.baseUrl}${req.path}`;
}

function handleGet(opts: SoapEndpointOptions, req: Request, res: Response): void {
  const query = new URL(req.originalUrl, 'http://localhost').searchParams;
  const ex: Exchange = { requestId: randomUUID(), version: '1.2' };
  try {
    if (opts.wsdl && [...query.keys()].some((k) => k.toLowerCase() === 'wsdl')) {
      const file = path.isAbsolute(opts.wsdl.file) ? opts.wsdl.file : path.join(opts.schemas.dir, opts.wsdl.file);
      res.status(200).setHeader('Content-Type', 'text/xml; charset=UTF-8');
      res.end(renderWsdl(opts.schemas.dir, file, endpointUrl(opts, req)));
      return;
    }
    const xsd = query.get('xsd');
    if (opts.wsdl && xsd !== null) {
      const text = renderXsd(opts.schemas.dir, xsd, endpointUrl(opts, req));
      if (text === undefined) {
        sendFault(res, new SoapFault('Sender', `no schema "${xsd}" is published here`, undefined, undefined, 404), ex);
        return;
      }
      res.status(200).setHeader('Content-Type', 'text/xml; charset=UTF-8');
      res.end(text);
      return;
    }
    sendFault(res, new SoapFault('Sender', `send SOAP requests with POST${opts.wsdl ? `; GET ${req.path}?wsdl returns the WSDL` : ''}`, undefined, undefined, 405), ex);
  } catch (err) {
    opts.log.error('could not serve the WSDL', { requestId: ex.requestId, endpoint: opts.name, error: err instanceof Error ? err.stack : String(err) });
    sendFault(res, new SoapFault('Receiver', `the WSDL is not available (request id ${ex.requestId})`), ex);
  }
}
