/**
 * How the repository reaches the registry for the ITI-42 step of ITI-41 (ITI TF-2b §3.41.4.1.3): in
 * process by default, or a remote registry over SOAP when configured (XDS_REMOTE_REGISTRY_URL).
 */
import { randomUUID } from 'node:crypto';
import type { RegistryErrorEntry } from '../errors.js';
import { XdsError, ErrorCode, Severity } from '../errors.js';
import type { RequestContext } from '../transactions/descriptor.js';
import type { XmlElement } from '../../xml/tree.js';
import { child, childrenNamed } from '../../xml/tree.js';
import { serializeXml } from '../../xml/serialize.js';
import { parseXml } from '../../xml/parse.js';
import { escapeText } from '../../xml/escape.js';
import { describeSoapFault, readSoapFault } from '../../soap/fault-reader.js';
import { dgwsHeaderBlocks } from '../../services/sts/sts-client.js';
import { systemIdCardSource, type IssuedCard, type SystemIdCardSettings, type SystemIdCardSource } from '../../services/sts/system-id-card.js';
import type { Logger } from '../../util/logger.js';

export interface RegistryClient {
  /** Registers a SubmitObjectsRequest; resolves to the registry's warnings, throws XdsError on failure. */
  register(submitObjectsRequest: XmlElement, context: RequestContext): Promise<RegistryErrorEntry[]>;
}

/** The subset of RegistryService the in-process client needs. */
export interface InProcessRegistry {
  register(
    request: XmlElement,
    context: RequestContext,
    options: { transaction: 'ITI-41' | 'ITI-42' },
  ): Promise<{ warnings: RegistryErrorEntry[] }>;
}

export function inProcessRegistryClient(registry: InProcessRegistry): RegistryClient {
  return {
    async register(request, context) {
      return (await registry.register(request, context, { transaction: 'ITI-41' })).warnings;
    },
  };
}

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const RS = 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0';

export interface RemoteRegistryOptions {
  /**
   * How the repository authenticates to the registry: a DGWS system ID card from an STS, sent in
   * wsse:Security with a medcom:Header on every ITI-42 (dk-nsp.md §1.1). Without it the ITI-42 carries
   * no security header, which only a registry in insecure development mode accepts.
   */
  credentials?: SystemIdCardSettings;
  /** the card source itself (tests inject a clock through it); built from `credentials` when omitted. */
  idCards?: SystemIdCardSource;
  insecureDevelopment?: boolean;
  log?: Logger;
  fetchImpl?: typeof fetch;
}

/** DGWS fault codes after which a cached card is dropped and the ITI-42 sent once more with a new one. */
const RENEW_ON: ReadonlySet<string> = new Set(['expired_idcard', 'invalid_idcard']);

/**
 * Sends ITI-42 to a remote registry over SOAP 1.2 with WS-Addressing and reads its RegistryResponse.
 * Nothing is registered when a request is refused at the security layer, so after `expired_idcard` or
 * `invalid_idcard` on a cached card (clocks apart, an STS key rollover) it is safe to send again once with
 * a fresh card.
 */
export function remoteRegistryClient(url: string, options: RemoteRegistryOptions = {}): RegistryClient {
  const fetchImpl = options.fetchImpl ?? fetch;
  const idCards =
    options.idCards ?? (options.credentials ? systemIdCardSource(options.credentials, { fetchImpl, log: options.log }) : undefined);
  if (idCards && options.credentials) {
    options.log?.info('ITI-42 to the remote registry authenticates with a DGWS system ID card', {
      registry: url,
      sts: idCards.stsUrl,
      system: options.credentials.systemName,
      careProvider: options.credentials.careProvider.id,
    });
  } else if (!idCards && !options.insecureDevelopment) {
    options.log?.warn(
      `XDS_REMOTE_REGISTRY_URL is set without STS credentials (XDS_REMOTE_REGISTRY_STS_URL, XDS_REMOTE_REGISTRY_CERT, XDS_REMOTE_REGISTRY_KEY): ` +
        `ITI-42 goes to ${url} with no security header, and a registry with security on refuses it`,
    );
  }

  async function cardHeaders(): Promise<{ headers: string; card?: IssuedCard }> {
    if (!idCards) return { headers: '' };
    let card: IssuedCard;
    try {
      card = await idCards.card();
    } catch (err) {
      // No card, no registration: the registry cannot be reached as an authenticated system.
      throw new XdsError(ErrorCode.RegistryNotAvailable, `no DGWS ID card for the remote registry ${url}: ${(err as Error).message}`);
    }
    return { headers: dgwsHeaderBlocks(card.xml, { securityLevel: 3 }).join(''), card };
  }

  async function send(request: XmlElement): Promise<{ status: number; text: string; card?: IssuedCard }> {
    const { headers, card } = await cardHeaders();
    const envelope =
      `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
      `<a:Action s:mustUnderstand="1">urn:ihe:iti:2007:RegisterDocumentSet-b</a:Action>` +
      `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:To>${escapeText(url)}</a:To>${headers}</s:Header>` +
      `<s:Body>${serializeXml(request)}</s:Body></s:Envelope>`;
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegisterDocumentSet-b"' },
        body: envelope,
      });
      return { status: res.status, text: await res.text(), card };
    } catch (err) {
      throw new XdsError(ErrorCode.RegistryNotAvailable, `remote registry ${url} not reachable: ${(err as Error).message}`);
    }
  }

  return {
    async register(request) {
      let answer = await send(request);
      let body = bodyOf(answer.text);
      let fault = readSoapFault(body);
      if (fault?.dgwsFaultCode && RENEW_ON.has(fault.dgwsFaultCode) && answer.card && !answer.card.fresh && idCards) {
        options.log?.warn('the remote registry refused the cached DGWS ID card; renewing it and sending the ITI-42 again', {
          registry: url,
          faultCode: fault.dgwsFaultCode,
          reason: fault.reason,
        });
        idCards.invalidate(answer.card.xml);
        answer = await send(request);
        body = bodyOf(answer.text);
        fault = readSoapFault(body);
      }
      if (fault) {
        // The registry's own words reach the document source (e.g. a DGWS missing_required_header).
        throw new XdsError(ErrorCode.RegistryError, `remote registry ${url} refused the ITI-42: ${describeSoapFault(fault)}`);
      }
      const response = body?.children[0];
      if (!response || response.ns !== RS || response.name !== 'RegistryResponse') {
        const unavailable = answer.status === 502 || answer.status === 503 || answer.status === 504;
        throw new XdsError(
          unavailable ? ErrorCode.RegistryNotAvailable : ErrorCode.RegistryError,
          `remote registry ${url} did not answer a RegistryResponse (HTTP ${answer.status})`,
        );
      }
      const errors: RegistryErrorEntry[] = [];
      const list = child(response, RS, 'RegistryErrorList');
      for (const e of list ? childrenNamed(list, RS, 'RegistryError') : []) {
        errors.push({
          errorCode: e.attrs.errorCode ?? ErrorCode.RegistryError,
          codeContext: e.attrs.codeContext ?? '',
          severity: e.attrs.severity === Severity.Warning ? Severity.Warning : Severity.Error,
          location: e.attrs.location,
        });
      }
      if (!String(response.attrs.status ?? '').endsWith(':Success')) {
        throw new XdsError(errors.length ? errors : [{ errorCode: ErrorCode.RegistryError, codeContext: 'remote registry failed', severity: Severity.Error }]);
      }
      return errors;
    },
  };
}

/** The SOAP Body of an answer, or undefined when it is not a SOAP 1.2 envelope. */
function bodyOf(text: string): XmlElement | undefined {
  try {
    return child(parseXml(text), SOAP12, 'Body');
  } catch {
    return undefined;
  }
}
