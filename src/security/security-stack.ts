/**
 * The one security stack in front of every SOAP service (issue #4). The SOAP endpoint calls
 * `authenticate(req, descriptor.securityPolicy, audience)` before every handler; it returns the
 * SecurityContext or throws a SoapFault carrying the DGWS medcom:FaultCode (dk-nsp.md §1.6) and the
 * medcom:Header reply.
 */
import type { SoapRequest } from '../soap/types.js';
import { SoapFault } from '../soap/types.js';
import { anonymousContext, type SecurityContext } from './context.js';
import { SecurityError, dgwsSoapFault, fail, toSoapFault } from './faults.js';
import { findMedcomHeader, parseMedcomHeader, buildMedcomReplyHeader, type MedcomHeader } from './medcom-header.js';
import { findHsuidHeader, parseHsuidHeader } from './hsuid.js';
import { findSecurityHeader, verifyDgwsIdCard, type CachedCard } from './dgws.js';
import { isIdwsRequest, verifyIdwsRequest } from './idws.js';
import { checkValidity, type IdCard } from './id-card.js';
import { enforcePolicy, type SecurityPolicies } from './policies.js';
import { createTrustStore, type TrustStore } from './trust-store.js';
import { ExpiringLru } from './expiring-lru.js';
import { createMemoryReplayStore, type ReplayStore } from './replay-store.js';

export interface SecurityStackOptions {
  /** PEM text of the trusted STS signing certificates (each string may hold several). */
  trustedCertificatesPem: string[];
  /** Accepted clock difference for validity windows (seconds). */
  clockSkewSeconds: number;
  now?: () => Date;
  policies: SecurityPolicies;
  /** Bounds of the in-process MessageID replay store (when `replay` is not given) and the verified-card cache. */
  replayWindow?: { maxEntries?: number };
  /**
   * MessageID replay store; default an in-process one (createMemoryReplayStore). Several worker processes
   * sharing a data directory pass one shared store (createSqliteReplayStore), else a message replayed to
   * another worker would be accepted.
   */
  replay?: ReplayStore;
  cache?: { maxEntries?: number };
  /** Requests without any token pass with anonymousContext(); tokens that are present are still checked. */
  insecureDevelopment: boolean;
  /** saml:Issuer values accepted (empty = any issuer whose signing key is trusted). */
  trustedIssuers?: string[];
  /** sosi:IDCardVersion values accepted (default ['1.0.1']). */
  acceptedIdCardVersions?: string[];
  /** IDWS audience used when neither the call nor the policy names one. */
  defaultAudience?: string;
}

export interface SecurityStack {
  authenticate(req: SoapRequest, policyId: string, serviceAudience?: string): Promise<SecurityContext>;
  /** The medcom:Header for a successful DGWS reply (empty for IDWS and anonymous contexts). */
  replyHeaders(ctx: SecurityContext): string[];
  /** Cache statistics (bench, diagnostics). */
  stats(): { cachedCards: number; replayEntries: number; cacheHits: number; verifications: number };
  readonly trust: TrustStore;
}

export function createSecurityStack(options: SecurityStackOptions): SecurityStack {
  const now = options.now ?? (() => new Date());
  const clock = (): number => now().getTime();
  const trust = createTrustStore(options.trustedCertificatesPem);
  const cache = new ExpiringLru<CachedCard>(options.cache?.maxEntries ?? 10_000, clock);
  const replay = options.replay ?? createMemoryReplayStore(options.replayWindow?.maxEntries, clock);
  const skew = options.clockSkewSeconds;
  const trustedIssuers = options.trustedIssuers ?? [];
  let cacheHits = 0;
  let verifications = 0;

  function authenticateSync(req: SoapRequest, policyId: string, serviceAudience: string | undefined, medcom: MedcomHeader | undefined): SecurityContext {
    const policy = options.policies[policyId];
    if (!policy) throw fail('processing_problem', `no security policy "${policyId}" is configured`);
    const security = findSecurityHeader(req.headers);
    if (!security) {
      if (options.insecureDevelopment) return { ...anonymousContext(), policyId };
      throw fail('missing_required_header', 'wsse:Security header with an ID card or IDWS token is required');
    }
    const at = now();
    // the HSUID header is read after the token is verified, so a bad token is what a caller hears about first
    const readHsuid = (): SecurityContext['hsuid'] => {
      const el = findHsuidHeader(req.headers);
      return el ? parseHsuidHeader(el) : undefined;
    };

    if (isIdwsRequest(req.headers)) {
      const audience = serviceAudience ?? policy.audience ?? options.defaultAudience;
      const v = verifyIdwsRequest(req, audience, { trust, clockSkewSeconds: skew, trustedIssuers }, at);
      verifications++;
      const t = v.token;
      const hsuid = readHsuid();
      const ctx: SecurityContext = {
        tokenType: 'idws',
        authLevel: t.authLevel,
        issuer: t.issuer,
        subjectCpr: t.cpr,
        subjectName: t.name ?? t.nameId,
        careProvider: t.cvr ? stripUndefined({ type: 'cvrnumber', id: t.cvr, name: t.orgName }) : undefined,
        role: t.role,
        authorizationCode: t.authorizationCode,
        systemName: t.systemName,
        hsuid,
        tokenId: t.assertionId,
        validUntil: t.notOnOrAfter,
        audience,
        policyId,
      };
      enforcePolicy(policy, stripUndefined(ctx), !!hsuid);
      rememberMessage(`idws:${t.issuer}:${t.assertionId}`, v.messageId, t.notOnOrAfter);
      return stripUndefined(ctx);
    }

    // DGWS 1.0.1: the medcom:Header is required (dk-nsp.md §1.4: Linking/MessageID is mandatory)
    if (!medcom) throw fail('missing_required_header', 'medcom:Header is required with a DGWS ID card');
    if (!medcom.hasLinking || !medcom.messageId) throw fail('missing_required_header', 'medcom:Header/Linking/MessageID is required');
    if (medcom.securityLevelRaw !== undefined) throw fail('syntax_error', `medcom:SecurityLevel must be 1..5, got "${medcom.securityLevelRaw}"`);
    const { card, cached } = verifyDgwsIdCard(req, security, { trust, cache, clockSkewSeconds: skew, trustedIssuers, acceptedVersions: options.acceptedIdCardVersions ?? ['1.0.1'] }, at);
    if (cached) cacheHits++;
    else verifications++;
    checkValidity(card.notBefore, card.notOnOrAfter, at, skew);
    const hsuid = readHsuid();
    if (medcom.securityLevel !== undefined && medcom.securityLevel > card.authLevel) {
      throw fail('security_level_failed', `medcom:SecurityLevel ${medcom.securityLevel} exceeds the ID card's AuthenticationLevel ${card.authLevel}`);
    }
    if (card.user && hsuid?.actingUserCpr && hsuid.actingUserCpr !== card.user.cpr) {
      throw fail('not_authorized', 'HSUID ActingUserCivilRegistrationNumber differs from the user ID card');
    }
    const ctx = contextFromCard(card, hsuid, medcom, policyId);
    enforcePolicy(policy, ctx, !!hsuid);
    rememberMessage(`dgws:${card.issuer}:${card.idCardId}`, medcom.messageId, card.notOnOrAfter);
    return ctx;
  }

  /**
   * A MessageID seen once with a token is refused the second time within the token's validity window.
   * Scoped per token: a replay re-sends the captured token, and clients with counters as MessageIDs
   * cannot block each other.
   */
  function rememberMessage(tokenKey: string, messageId: string, until: Date): void {
    const key = `${tokenKey}\u0000${messageId}`;
    // one atomic check-and-remember: with a store shared by processes, two workers receiving the same
    // message at once cannot both accept it
    if (!replay.remember(key, until.getTime() + skew * 1000)) {
      throw fail('not_authorized', `message ${messageId} was already received with this token (replay)`);
    }
  }

  return {
    trust,
    async authenticate(req, policyId, serviceAudience) {
      let medcom: MedcomHeader | undefined;
      try {
        const el = findMedcomHeader(req.headers);
        medcom = el ? parseMedcomHeader(el) : undefined;
        return authenticateSync(req, policyId, serviceAudience, medcom);
      } catch (e) {
        const reply = medcom ? { inResponseToMessageId: medcom.messageId, flowId: medcom.flowId, securityLevel: medcom.securityLevel } : undefined;
        if (e instanceof SecurityError) throw toSoapFault(e, reply);
        if (e instanceof SoapFault) throw e;
        throw dgwsSoapFault('processing_problem', `security check failed: ${(e as Error).message}`, reply);
      }
    },
    replyHeaders(ctx) {
      if (ctx.tokenType !== 'dgws-user' && ctx.tokenType !== 'dgws-system') return [];
      return [
        buildMedcomReplyHeader({
          inResponseToMessageId: ctx.medcom?.messageId,
          flowId: ctx.medcom?.flowId,
          securityLevel: ctx.medcom?.securityLevel ?? ctx.authLevel,
          flowStatus: 'flow_finalized_succesfully',
        }),
      ];
    },
    stats: () => ({ cachedCards: cache.size, replayEntries: replay.size(), cacheHits, verifications }),
  };
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

export function contextFromCard(card: IdCard, hsuid: SecurityContext['hsuid'], medcom: MedcomHeader | undefined, policyId?: string): SecurityContext {
  const user = card.user;
  return stripUndefined<SecurityContext>({
    tokenType: card.type === 'user' ? 'dgws-user' : 'dgws-system',
    authLevel: card.authLevel,
    issuer: card.issuer,
    subjectCpr: user?.cpr,
    subjectName: user ? [user.givenName, user.surName].filter(Boolean).join(' ') || undefined : card.systemName,
    careProvider: { ...card.careProvider },
    role: user?.role,
    authorizationCode: user?.authorizationCode,
    systemName: card.systemName,
    hsuid,
    medcom: medcom ? stripUndefined({ messageId: medcom.messageId, flowId: medcom.flowId, securityLevel: medcom.securityLevel }) : undefined,
    tokenId: card.idCardId,
    validUntil: card.notOnOrAfter,
    policyId,
  });
}
