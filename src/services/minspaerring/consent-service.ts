/**
 * Min Spærring administration and verification (dk-nsp.md §3.1, nspop p=119312047, p=102389305):
 * ConsentRegistrationsGet, ConsentAdd (positive / constraint), ConsentModify, ConsentRevoke,
 * ConsentForUserCheck and ConsentForDataCheck, with the service's validations:
 * - CPR numbers are 10 digits; organisation ids must resolve to a SOR unit (SHAK/yder are mapped to SOR);
 * - ValidFrom may not lie in the past by more than a small tolerance (about 60 s on the NSP);
 * - a positive consent needs a period (ValidTo), a negative one only a start; ValidTo after ValidFrom;
 * - a citizen may only administer their own registrations.
 */
import { randomUUID } from 'node:crypto';
import type { SecurityContext } from '../../security/context.js';
import { evaluateConsents, type ConsentRequester, type DataItem } from './consent-evaluator.js';
import { CPR_PATTERN, type Consent, type ConsentType, type WhatItem, type WhoItem } from './model.js';
import type { ConsentStore, OrganisationId, SorHierarchy } from './ports.js';

export class ConsentValidationError extends Error {
  constructor(
    /** a stable reason code, returned to the caller (e.g. 'invalid_cpr', 'unknown_organisation'). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsentValidationError';
  }
}

/** `who` as a caller sends it: an organisation by any id type, mapped to SOR on the way in. */
export type WhoInput = { kind: 'professional'; cpr?: string; authorizationCode?: string } | { kind: 'organisation'; org: OrganisationId };

export interface ConsentAddInput {
  citizenCpr: string;
  who?: WhoInput;
  what?: WhatItem;
  validFrom: string;
  validTo?: string;
}

export interface ConsentModifyInput {
  id: string;
  who?: WhoInput;
  what?: WhatItem;
  validFrom?: string;
  validTo?: string;
}

/** Who makes an administrative change (from the SecurityContext). */
export interface ConsentActor {
  systemName?: string;
  user?: string;
  /** set when a citizen acts: they may only touch their own registrations. */
  citizenCpr?: string;
}

export interface ConsentServiceDeps {
  store: ConsentStore;
  sor: SorHierarchy;
  clock?: () => Date;
  /** how far ValidFrom may lie in the past (default 60 s, nspop p=102389305). */
  validFromToleranceMs?: number;
}

export function actorOf(sec: SecurityContext): ConsentActor {
  const citizen = (sec.hsuid?.userType ?? '').toUpperCase() === 'CITIZEN';
  const user = sec.hsuid?.actingUserCpr ?? sec.subjectCpr ?? sec.subjectName;
  return { systemName: sec.hsuid?.systemName ?? sec.systemName, user, citizenCpr: citizen ? user : undefined };
}

export class ConsentService {
  private readonly clock: () => Date;
  private readonly tolerance: number;

  constructor(private readonly deps: ConsentServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.tolerance = deps.validFromToleranceMs ?? 60_000;
  }

  async registrationsGet(citizenCpr: string, actor: ConsentActor): Promise<Consent[]> {
    this.checkCitizen(citizenCpr, actor);
    return this.deps.store.listForCitizen(citizenCpr);
  }

  /** One registration (checked like ConsentModify: it must exist and belong to the acting citizen). */
  async registrationsGetById(id: string, actor: ConsentActor): Promise<Consent> {
    const c = await this.deps.store.get(id);
    if (!c) throw new ConsentValidationError('unknown_consent', `no consent registration with id ${id}`);
    this.checkCitizen(c.citizenCpr, actor);
    return c;
  }

  /** ConsentAddPositiveV2: a positive consent for a professional or an organisation, for a period. */
  addPositive(input: ConsentAddInput, actor: ConsentActor): Promise<Consent> {
    return this.add('positive', input, actor);
  }

  /** ConsentAddConstraintV2: a negative consent (block), open-ended unless ValidTo is given. */
  addConstraint(input: ConsentAddInput, actor: ConsentActor): Promise<Consent> {
    return this.add('negative', input, actor);
  }

  async modify(input: ConsentModifyInput, actor: ConsentActor): Promise<Consent> {
    const current = await this.existing(input.id, actor);
    const now = this.clock();
    const validFrom = input.validFrom ?? current.validFrom;
    if (input.validFrom !== undefined) this.checkValidFrom(input.validFrom, now);
    const next: Consent = {
      ...current,
      who: input.who !== undefined ? await this.resolveWho(input.who) : current.who,
      what: input.what !== undefined ? normaliseWhat(input.what) : current.what,
      validFrom: canonicalTime(validFrom, 'ValidFrom'),
      validTo: input.validTo !== undefined ? canonicalTime(input.validTo, 'ValidTo') : current.validTo,
      modifyTimestamp: now.toISOString(),
      modifyingSystemName: actor.systemName,
      modifiedBy: actor.user,
    };
    checkPeriod(next.consentType, next.validFrom, next.validTo);
    await this.deps.store.update(next);
    return next;
  }

  async revoke(id: string, actor: ConsentActor): Promise<Consent> {
    const current = await this.existing(id, actor);
    const now = this.clock().toISOString();
    const next: Consent = { ...current, revokedAt: now, modifyTimestamp: now, modifyingSystemName: actor.systemName, modifiedBy: actor.user };
    await this.deps.store.update(next);
    return next;
  }

  /** ConsentForUserCheck: the quick general answer — may this requester see the citizen's data at all? */
  async forUserCheck(citizenCpr: string, requester: ConsentRequester): Promise<'positive' | 'negative'> {
    checkCpr(citizenCpr, 'citizen');
    const ev = evaluateConsents(await this.deps.store.listForCitizen(citizenCpr), requester, [], this.clock());
    return ev.denyAll ? 'negative' : 'positive';
  }

  /** ConsentForDataCheck: which of these metadata elements may the requester see? */
  async forDataCheck(citizenCpr: string, requester: ConsentRequester, items: DataItem[]): Promise<{ allowed: DataItem[]; denied: DataItem[] }> {
    checkCpr(citizenCpr, 'citizen');
    const ev = evaluateConsents(await this.deps.store.listForCitizen(citizenCpr), requester, items, this.clock());
    if (ev.denyAll) return { allowed: [], denied: items };
    return { allowed: items.filter((i) => !ev.blocked.has(i.uniqueId)), denied: items.filter((i) => ev.blocked.has(i.uniqueId)) };
  }

  private async add(consentType: ConsentType, input: ConsentAddInput, actor: ConsentActor): Promise<Consent> {
    this.checkCitizen(input.citizenCpr, actor);
    const now = this.clock();
    this.checkValidFrom(input.validFrom, now);
    const consent: Consent = {
      id: randomUUID(),
      citizenCpr: input.citizenCpr,
      consentType,
      who: input.who ? await this.resolveWho(input.who) : undefined,
      what: input.what ? normaliseWhat(input.what) : undefined,
      validFrom: canonicalTime(input.validFrom, 'ValidFrom'),
      validTo: input.validTo !== undefined ? canonicalTime(input.validTo, 'ValidTo') : undefined,
      creationTimestamp: now.toISOString(),
      creatingSystemName: actor.systemName,
      createdBy: actor.user,
    };
    checkPeriod(consentType, consent.validFrom, consent.validTo);
    if (consentType === 'positive' && !consent.who) {
      throw new ConsentValidationError('missing_who', 'a positive consent must name the professional or organisation it is given to');
    }
    await this.deps.store.insert(consent);
    return consent;
  }

  private async existing(id: string, actor: ConsentActor): Promise<Consent> {
    const current = await this.deps.store.get(id);
    if (!current) throw new ConsentValidationError('unknown_consent', `no consent registration with id ${id}`);
    this.checkCitizen(current.citizenCpr, actor);
    if (current.revokedAt) throw new ConsentValidationError('revoked', `consent registration ${id} was revoked at ${current.revokedAt}`);
    return current;
  }

  private checkCitizen(citizenCpr: string, actor: ConsentActor): void {
    checkCpr(citizenCpr, 'citizen');
    if (actor.citizenCpr !== undefined && actor.citizenCpr !== citizenCpr) {
      throw new ConsentValidationError('not_own_registration', 'a citizen may only administer their own consent registrations');
    }
  }

  private checkValidFrom(validFrom: string, now: Date): void {
    const t = Date.parse(validFrom);
    if (Number.isNaN(t)) throw new ConsentValidationError('invalid_time', `ValidFrom "${validFrom}" is not an ISO-8601 date-time`);
    if (t < now.getTime() - this.tolerance) {
      throw new ConsentValidationError('validfrom_in_past', `ValidFrom ${validFrom} lies in the past (tolerance ${Math.round(this.tolerance / 1000)} s)`);
    }
  }

  private async resolveWho(who: WhoInput): Promise<WhoItem> {
    if (who.kind === 'professional') {
      if (!who.cpr && !who.authorizationCode) throw new ConsentValidationError('missing_who', 'a professional needs a CPR number or an authorisation code');
      if (who.cpr !== undefined) checkCpr(who.cpr, 'professional');
      if (who.authorizationCode !== undefined && !/^[0-9A-Za-z]{1,10}$/.test(who.authorizationCode)) {
        throw new ConsentValidationError('invalid_authorisation', `"${who.authorizationCode}" is not an authorisation code`);
      }
      return { kind: 'professional', cpr: who.cpr, authorizationCode: who.authorizationCode };
    }
    const sorId = await this.deps.sor.toSor(who.org);
    if (!sorId) throw new ConsentValidationError('unknown_organisation', `organisation ${who.org.type}:${who.org.id} is not a known SOR/SHAK/yder unit`);
    return { kind: 'organisation', sorId };
  }
}

function checkCpr(cpr: string, what: string): void {
  if (!CPR_PATTERN.test(cpr)) throw new ConsentValidationError('invalid_cpr', `the ${what} CPR number "${cpr}" is not 10 digits`);
}

function canonicalTime(s: string, field: string): string {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new ConsentValidationError('invalid_time', `${field} "${s}" is not an ISO-8601 date-time`);
  return new Date(t).toISOString();
}

function checkPeriod(type: ConsentType, validFrom: string, validTo: string | undefined): void {
  if (type === 'positive' && validTo === undefined) throw new ConsentValidationError('missing_validto', 'a positive consent needs a period: ValidTo is required');
  if (validTo !== undefined && Date.parse(validTo) <= Date.parse(validFrom)) {
    throw new ConsentValidationError('invalid_period', `ValidTo ${validTo} is not after ValidFrom ${validFrom}`);
  }
}

function normaliseWhat(what: WhatItem): WhatItem | undefined {
  const out: WhatItem = {};
  if (what.documentUniqueIds?.length) out.documentUniqueIds = [...new Set(what.documentUniqueIds)];
  if (what.authorInstitutionSorIds?.length) out.authorInstitutionSorIds = [...new Set(what.authorInstitutionSorIds)];
  if (what.classCodes?.length) out.classCodes = [...new Set(what.classCodes)];
  return Object.keys(out).length > 0 ? out : undefined;
}
