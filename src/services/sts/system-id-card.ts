/**
 * A DGWS system ID card (authenticationLevel 3, dk-nsp.md §1.2) for the hub's own outbound calls, such as
 * the ITI-42 a repository forwards to a remote registry. The card is requested from the STS with the
 * system's VOCES/FOCES certificate (Seal `stslevel3request.xml`), kept until shortly before its
 * NotOnOrAfter and then renewed; concurrent callers share one STS request. A card is good for many
 * calls (Seal caps its life at 24 h); each call still gets its own medcom MessageID.
 */
import { readIdCard } from '../../security/id-card.js';
import { parseXml as parseDom, toXmlElement } from '../../security/dom.js';
import type { Logger } from '../../util/logger.js';
import type { CareProviderType } from './id-card-issuer.js';
import { issueIdCardAt, StsError } from './sts-client.js';

export interface SystemIdCardSettings {
  /** the STS Issue endpoint, e.g. http://test1.ekstern-test.nspop.dk:8080/sts/services/NewSecurityTokenService */
  stsUrl: string;
  /** the VOCES/FOCES system certificate (PEM) and its unencrypted private key (PEM). */
  certificatePem: string;
  privateKeyPem: string;
  /** medcom:ITSystemName (also the NameID, Format medcom:itsystemname). */
  systemName: string;
  /** medcom:CareProviderID / CareProviderName: the organisation the certificate belongs to. */
  careProvider: { type: CareProviderType; id: string; name: string };
  /** renew this many seconds before the card's NotOnOrAfter (at most half its lifetime). */
  renewBeforeSeconds: number;
}

export interface SystemIdCardOptions {
  fetchImpl?: typeof fetch;
  now?: () => Date;
  log?: Logger;
  /** STS request timeout (default 30 s). */
  timeoutMs?: number;
}

export interface IssuedCard {
  /** the signed saml:Assertion, as the STS issued it. */
  xml: string;
  notOnOrAfter: Date;
  /** true when this call obtained it from the STS (a refusal of a fresh card is not cured by renewing). */
  fresh: boolean;
}

export interface SystemIdCardSource {
  readonly stsUrl: string;
  /** the cached card, or a new one from the STS; throws StsError when none can be had. */
  card(): Promise<IssuedCard>;
  /** forgets `xml` when it is the cached card (the receiver called it expired or invalid). */
  invalidate(xml: string): void;
}

interface Cached {
  xml: string;
  notOnOrAfter: Date;
  renewAt: number;
}

export function systemIdCardSource(settings: SystemIdCardSettings, opts: SystemIdCardOptions = {}): SystemIdCardSource {
  const now = opts.now ?? (() => new Date());
  let cached: Cached | undefined;
  let pending: Promise<Cached> | undefined;

  async function fetchCard(): Promise<Cached> {
    const issuedAt = now();
    const xml = await issueIdCardAt(
      settings.stsUrl,
      {
        type: 'system',
        level: 3,
        systemName: settings.systemName,
        careProvider: settings.careProvider,
        issuer: settings.systemName,
        now: issuedAt,
      },
      { signer: { certPem: settings.certificatePem, keyPem: settings.privateKeyPem }, fetchImpl: opts.fetchImpl, timeoutMs: opts.timeoutMs },
    );
    let notOnOrAfter: Date;
    try {
      const card = readIdCard(toXmlElement(parseDom(xml).documentElement!), ['1.0.1', '1.0']);
      if (card.type !== 'system') throw new Error(`the card is of type ${card.type}, not system`);
      notOnOrAfter = card.notOnOrAfter;
    } catch (err) {
      throw new StsError('bad-response', `STS ${settings.stsUrl} issued an unusable ID card: ${(err as Error).message}`);
    }
    const at = now().getTime();
    if (notOnOrAfter.getTime() <= at) {
      throw new StsError('bad-response', `STS ${settings.stsUrl} issued an ID card that expired at ${notOnOrAfter.toISOString()} (check the clocks)`);
    }
    // Renew `renewBeforeSeconds` early so a card never expires in flight or on a registry whose clock is
    // ahead, but never sooner than half-way through a short-lived card.
    const lifetime = notOnOrAfter.getTime() - issuedAt.getTime();
    const renewAt = notOnOrAfter.getTime() - Math.min(settings.renewBeforeSeconds * 1000, lifetime / 2);
    opts.log?.info('obtained a DGWS system ID card', {
      sts: settings.stsUrl,
      system: settings.systemName,
      careProvider: settings.careProvider.id,
      notOnOrAfter: notOnOrAfter.toISOString(),
      renewAt: new Date(renewAt).toISOString(),
    });
    return { xml, notOnOrAfter, renewAt };
  }

  return {
    stsUrl: settings.stsUrl,
    async card() {
      const t = now().getTime();
      if (cached && t < cached.renewAt) return { xml: cached.xml, notOnOrAfter: cached.notOnOrAfter, fresh: false };
      if (!pending) {
        pending = fetchCard().finally(() => {
          pending = undefined;
        });
      }
      try {
        const got = await pending;
        cached = got;
        return { xml: got.xml, notOnOrAfter: got.notOnOrAfter, fresh: true };
      } catch (err) {
        // A renewal that fails while the old card is still valid does not stop the calls: keep using it
        // and try the STS again on the next call.
        const stale = cached;
        if (stale && now().getTime() < stale.notOnOrAfter.getTime()) {
          opts.log?.warn('could not renew the DGWS system ID card; using the current one until it expires', {
            sts: settings.stsUrl,
            notOnOrAfter: stale.notOnOrAfter.toISOString(),
            error: (err as Error).message,
          });
          return { xml: stale.xml, notOnOrAfter: stale.notOnOrAfter, fresh: false };
        }
        throw err;
      }
    },
    invalidate(xml) {
      if (cached?.xml === xml) cached = undefined;
    },
  };
}
