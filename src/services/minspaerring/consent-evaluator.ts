/**
 * The consent decision (dk-nsp.md §2.4, nspop p=121380618), pure: given the citizen's registrations, the
 * requester and the data, which data may the requester see?
 *
 * - A negative consent (block) applies to the requester when its `who` is absent (everyone) or names the
 *   requester: the professional (CPR or authorisation code) or an organisation in the lineage of the
 *   requester's organisation (a block on a hospital covers its departments, p=121373990).
 * - A block on all data ("general negative consent"): nothing may be seen (DDS answers empty and logs nothing).
 * - A data-specific block: the matching documents are withheld (DDS filters and warns).
 * - A positive consent naming the requester lifts the blocks for the data it covers (its what; all when absent).
 */
import { coversAllData, isActive, type Consent, type WhatItem, type WhoItem } from './model.js';

/** The requester as the consent rules see it (from the SecurityContext, SHAK/yder already mapped to SOR). */
export interface ConsentRequester {
  cprs: string[];
  authorizationCodes: string[];
  /** the requester's SOR unit and all its ancestors. */
  sorLineage: string[];
}

/** The parts of a document the data scope refers to. */
export interface DataItem {
  uniqueId: string;
  authorInstitutionSorIds: string[];
  classCode?: string;
}

export interface ConsentEvaluation {
  /** a block on all data applies and no positive consent lifts it. */
  denyAll: boolean;
  /** uniqueIds withheld by data-specific blocks (empty when denyAll). */
  blocked: Set<string>;
  /** a positive consent lifted at least one block (MinLog Addition "Samtykke"). */
  liftedByPositive: boolean;
}

export function whoMatches(who: WhoItem | undefined, r: ConsentRequester): boolean {
  if (!who) return true;
  if (who.kind === 'organisation') return r.sorLineage.includes(who.sorId);
  const byCpr = who.cpr !== undefined && r.cprs.includes(who.cpr);
  const byAuth = who.authorizationCode !== undefined && r.authorizationCodes.includes(who.authorizationCode);
  return byCpr || byAuth;
}

export function whatMatches(what: WhatItem | undefined, item: DataItem): boolean {
  if (coversAllData(what)) return true;
  if (what!.documentUniqueIds?.includes(item.uniqueId)) return true;
  if (what!.authorInstitutionSorIds?.some((s) => item.authorInstitutionSorIds.includes(s))) return true;
  return item.classCode !== undefined && (what!.classCodes?.includes(item.classCode) ?? false);
}

export function evaluateConsents(consents: Consent[], requester: ConsentRequester, items: DataItem[], at: Date): ConsentEvaluation {
  const active = consents.filter((c) => isActive(c, at) && whoMatches(c.who, requester));
  const blocks = active.filter((c) => c.consentType === 'negative');
  const positives = active.filter((c) => c.consentType === 'positive');
  const result: ConsentEvaluation = { denyAll: false, blocked: new Set(), liftedByPositive: false };
  if (blocks.length === 0) return result;

  const liftedAll = positives.some((p) => coversAllData(p.what));
  const lifted = (item: DataItem): boolean => liftedAll || positives.some((p) => whatMatches(p.what, item));

  if (blocks.some((b) => coversAllData(b.what))) {
    // A general block: everything is withheld unless a positive consent opens it. One that opens all
    // data opens the whole answer; otherwise only the data the positive consents cover is shown.
    if (liftedAll) return { ...result, liftedByPositive: true };
    if (positives.length === 0) return { ...result, denyAll: true };
    for (const item of items) {
      if (lifted(item)) result.liftedByPositive = true;
      else result.blocked.add(item.uniqueId);
    }
    return result;
  }
  for (const item of items) {
    if (!blocks.some((b) => whatMatches(b.what, item))) continue;
    if (lifted(item)) result.liftedByPositive = true;
    else result.blocked.add(item.uniqueId);
  }
  return result;
}
