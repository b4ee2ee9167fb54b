/**
 * Security policies as data (issue #4): per service and transaction, which tokens are accepted, the
 * minimum NSP authentication levels (dk-nsp.md §1.2: 3 = VOCES/system, 4 = MOCES/user), "require person"
 * as DROS offers (`iti4x.service.security.require.person`, dk-nsp.md §2.1), roles, and CVR / system-name
 * whitelists (BRS and KRS whitelist callers by CVR, dk-nsp.md §3.3, §4).
 */
import type { SecurityContext, TokenType } from './context.js';
import { fail } from './faults.js';

export type AcceptedToken = Exclude<TokenType, 'none'>;

export interface SecurityPolicy {
  id: string;
  description?: string;
  accept: AcceptedToken[];
  /** minimum authentication level per token kind; defaults user 4, system 3, idws 3. */
  minLevel?: { user?: number; system?: number; idws?: number };
  /** only a person may call (a user card or an IDWS token naming a person), not a system card. */
  requirePerson?: boolean;
  /** accepted medcom:UserRole values of user cards (empty/absent = any). */
  roles?: string[];
  /** a user must carry an authorisation code (medcom:UserAuthorizationCode / IDWS attribute). */
  requireAuthorizationCode?: boolean;
  /** caller's care provider CVR must be one of these (absent = any). */
  whitelistedCvrs?: string[];
  /** caller's IT system name must be one of these (absent = any). */
  whitelistedSystemNames?: string[];
  /** when the HSUID header is required: never, for system cards (no person in the card), or always. */
  requireHsuid?: 'never' | 'system' | 'always';
  /** IDWS audience of the service, e.g. https://audience.nspop.dk/dds (dk-nsp.md §1.8). */
  audience?: string;
}

export type SecurityPolicies = Record<string, SecurityPolicy>;

export const DEFAULT_DDS_AUDIENCE = 'https://audience.nspop.dk/dds';

/**
 * The XDS policies the transaction descriptors name: 'xds-read' (ITI-18, ITI-43) and 'xds-write'
 * (ITI-41, ITI-42, ITI-57). Reads need the acting person (consent, MinLog, BRS hooks), so a system
 * card must bring an HSUID header.
 */
export function defaultPolicies(): SecurityPolicies {
  return {
    'xds-read': {
      id: 'xds-read',
      description: 'DDS registry/repository reads: ITI-18 Registry Stored Query, ITI-43 Retrieve Document Set',
      accept: ['dgws-user', 'dgws-system', 'idws'],
      minLevel: { user: 4, system: 3, idws: 3 },
      requireHsuid: 'system',
      audience: DEFAULT_DDS_AUDIENCE,
    },
    'xds-write': {
      id: 'xds-write',
      description: 'DDS/DROS writes: ITI-41 Provide and Register, ITI-42 Register, ITI-57 Update Document Set',
      accept: ['dgws-user', 'dgws-system', 'idws'],
      minLevel: { user: 4, system: 3, idws: 3 },
      requireHsuid: 'never',
      audience: DEFAULT_DDS_AUDIENCE,
    },
  };
}

const TOKENS: readonly AcceptedToken[] = ['dgws-user', 'dgws-system', 'idws'];

/** Reads policies from JSON (an object keyed by id, or an array); unknown fields and bad values are errors. */
export function parsePolicies(json: string): SecurityPolicies {
  const raw = JSON.parse(json) as unknown;
  const list = Array.isArray(raw) ? raw : Object.entries(raw as Record<string, object>).map(([id, p]) => ({ id, ...p }));
  const out: SecurityPolicies = {};
  const known = new Set(['id', 'description', 'accept', 'minLevel', 'requirePerson', 'roles', 'requireAuthorizationCode',
    'whitelistedCvrs', 'whitelistedSystemNames', 'requireHsuid', 'audience']);
  for (const p of list as Record<string, unknown>[]) {
    const id = p.id;
    if (typeof id !== 'string' || !id) throw new Error('a security policy needs an id');
    for (const k of Object.keys(p)) if (!known.has(k)) throw new Error(`policy ${id}: unknown field "${k}"`);
    const accept = p.accept;
    if (!Array.isArray(accept) || accept.length === 0 || !accept.every((t) => TOKENS.includes(t as AcceptedToken))) {
      throw new Error(`policy ${id}: accept must be a non-empty list of ${TOKENS.join(', ')}`);
    }
    if (p.requireHsuid !== undefined && !['never', 'system', 'always'].includes(p.requireHsuid as string)) {
      throw new Error(`policy ${id}: requireHsuid must be never, system or always`);
    }
    out[id] = p as unknown as SecurityPolicy;
  }
  return out;
}

/** Applies the policy to an authenticated context; throws the DGWS fault that names the failure. */
export function enforcePolicy(policy: SecurityPolicy, ctx: SecurityContext, hasHsuid: boolean): void {
  const token = ctx.tokenType as AcceptedToken;
  if (!policy.accept.includes(token)) {
    throw fail('not_authorized', `policy ${policy.id} does not accept ${token} tokens (accepted: ${policy.accept.join(', ')})`);
  }
  const isPerson = token === 'dgws-user' || (token === 'idws' && !!ctx.subjectCpr);
  if (policy.requirePerson && !isPerson) {
    throw fail('security_level_failed', `policy ${policy.id} requires a person (a user ID card), not a system card`);
  }
  const min = token === 'dgws-user' ? policy.minLevel?.user ?? 4 : token === 'dgws-system' ? policy.minLevel?.system ?? 3 : policy.minLevel?.idws ?? 3;
  if (ctx.authLevel < min) {
    throw fail('security_level_failed', `authentication level ${ctx.authLevel} is below the level ${min} that ${policy.id} requires`);
  }
  if (policy.roles?.length && isPerson && !(ctx.role && policy.roles.includes(ctx.role))) {
    throw fail('not_authorized', `role "${ctx.role ?? ''}" is not allowed by ${policy.id} (allowed: ${policy.roles.join(', ')})`);
  }
  if (policy.requireAuthorizationCode && isPerson && !ctx.authorizationCode) {
    throw fail('not_authorized', `${policy.id} requires an authorisation code for the user`);
  }
  if (policy.whitelistedCvrs?.length) {
    const cvr = ctx.careProvider?.type === 'cvrnumber' ? ctx.careProvider.id : undefined;
    if (!cvr || !policy.whitelistedCvrs.includes(cvr)) {
      throw fail('not_authorized', `care provider ${ctx.careProvider ? `${ctx.careProvider.type} ${ctx.careProvider.id}` : '(none)'} is not whitelisted for ${policy.id}`);
    }
  }
  if (policy.whitelistedSystemNames?.length && !(ctx.systemName && policy.whitelistedSystemNames.includes(ctx.systemName))) {
    throw fail('not_authorized', `IT system "${ctx.systemName ?? ''}" is not whitelisted for ${policy.id}`);
  }
  const hsuidRule = policy.requireHsuid ?? 'never';
  if (!hasHsuid && (hsuidRule === 'always' || (hsuidRule === 'system' && token === 'dgws-system'))) {
    throw fail('missing_required_header', `policy ${policy.id} requires the HSUID header${hsuidRule === 'system' ? ' with a system ID card' : ''}`);
  }
}
