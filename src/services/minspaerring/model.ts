/**
 * The Min Spærring (Samtykkeservice) data model, dk-nsp.md §3.1 (`consentitem`, nspop p=121375442):
 * a registration concerns one citizen; consentType 0 = negative (a block, "spærring"), otherwise
 * positive ("samtykke"); `who` and `what` are optional (absent = all); validFrom/validTo in UTC
 * (validTo absent = open). A positive consent needs a period; a negative one needs only a start.
 */

export type ConsentType = 'negative' | 'positive';

/**
 * Who the registration is about: a health professional (by CPR and/or authorisation code, as the
 * authorisation register knows them) or an organisation by SOR id. A block on an organisation covers its
 * whole SOR hierarchy (nspop p=121373990), so SHAK/yder ids are mapped to SOR before storing.
 */
export type WhoItem =
  | { kind: 'professional'; cpr?: string; authorizationCode?: string }
  | { kind: 'organisation'; sorId: string };

/**
 * The data scope ("whatItem"); absent = all of the citizen's data. A document matches when any listed
 * criterion matches it: its uniqueId, an author institution's SOR id (XON id component), or its classCode.
 */
export interface WhatItem {
  documentUniqueIds?: string[];
  authorInstitutionSorIds?: string[];
  classCodes?: string[];
}

export interface Consent {
  id: string;
  citizenCpr: string;
  consentType: ConsentType;
  who?: WhoItem;
  what?: WhatItem;
  /** ISO-8601 UTC. */
  validFrom: string;
  validTo?: string;
  creationTimestamp: string;
  /** from HSUID (SystemName) and the acting user of the creating request. */
  creatingSystemName?: string;
  createdBy?: string;
  modifyTimestamp?: string;
  modifyingSystemName?: string;
  modifiedBy?: string;
  /** set by ConsentRevoke; a revoked registration never applies again but stays for the citizen's history. */
  revokedAt?: string;
}

/** What the caller of ConsentAdd supplies; ids and timestamps are the service's. */
export type ConsentInput = Pick<Consent, 'citizenCpr' | 'consentType' | 'who' | 'what' | 'validFrom' | 'validTo'>;

/** True when the registration applies at `at` (validFrom <= at < validTo, not revoked). */
export function isActive(c: Consent, at: Date): boolean {
  if (c.revokedAt && Date.parse(c.revokedAt) <= at.getTime()) return false;
  if (Date.parse(c.validFrom) > at.getTime()) return false;
  if (c.validTo !== undefined && Date.parse(c.validTo) <= at.getTime()) return false;
  return true;
}

/** A what item with no criteria at all means "all data". */
export function coversAllData(what: WhatItem | undefined): boolean {
  return !what || ((what.documentUniqueIds?.length ?? 0) === 0 && (what.authorInstitutionSorIds?.length ?? 0) === 0 && (what.classCodes?.length ?? 0) === 0);
}

/** A Danish CPR number: 10 digits (ddmmyy + 4). */
export const CPR_PATTERN = /^\d{10}$/;
