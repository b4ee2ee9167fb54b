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

/** Sends ITI-42 to a remote registry over SOAP 1.2 with WS-Addressing and reads its RegistryResponse. */
export function remoteRegistryClient(url: string, fetchImpl: typeof fetch = fetch): RegistryClient {
  return {
    async register(request) {
      const envelope =
        `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
        `<a:Action s:mustUnderstand="1">urn:ihe:iti:2007:RegisterDocumentSet-b</a:Action>` +
        `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:To>${url}</a:To></s:Header>` +
        `<s:Body>${serializeXml(request)}</s:Body></s:Envelope>`;
      let text: string;
      try {
        const res = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegisterDocumentSet-b"' },
          body: envelope,
        });
        text = await res.text();
      } catch (err) {
        throw new XdsError(ErrorCode.RegistryNotAvailable, `remote registry ${url} not reachable: ${(err as Error).message}`);
      }
      let response: XmlElement | undefined;
      try {
        const env = parseXml(text);
        const body = child(env, SOAP12, 'Body');
        response = body?.children[0];
      } catch {
        response = undefined;
      }
      if (!response || response.ns !== RS || response.name !== 'RegistryResponse') {
        throw new XdsError(ErrorCode.RegistryError, `remote registry ${url} did not answer a RegistryResponse`);
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
