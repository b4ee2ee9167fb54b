/**
 * The Min Spærring ConsentHook (dk-nsp.md §2.4; HAPI FHIR "may this be seen / redact" interceptor, run by
 * src/hooks/runner.ts on every read path):
 *
 * - a citizen reading their own data always sees it all;
 * - a block on all data for the requester: "deny" — nothing is returned and nothing is logged, as DDS does;
 * - data-specific blocks: the blocked DocumentEntries are filtered out and the answer carries the warning
 *   `urn:dk:nsi:Consent Filter Applied`;
 * - ConsentOverride (værdispring, HSUID nsi:ConsentOverride=true) from a professional: the full result, and
 *   the read is logged with MinLog Addition "Værdispring" — every use the professional declared, whether or
 *   not a block was actually passed over, so the citizen sees each break-the-glass access;
 * - a positive consent that lifted a block: the data it covers, logged with Addition "Samtykke".
 *
 * A failing consent look-up fails the read (no answer is better than one the citizen forbade).
 */
import { Severity, type RegistryErrorEntry } from '../../xds/errors.js';
import type { DocumentEntry, RegistryObject } from '../../xds/model/types.js';
import { evaluateConsents, type DataItem } from '../../services/minspaerring/consent-evaluator.js';
import type { ConsentStore, SorHierarchy } from '../../services/minspaerring/ports.js';
import type { ConsentHook } from '../runner.js';
import type { ReadAccess, ReadDecision } from '../types.js';
import { citizenSelfCpr, consentRequester, cprOfPatientId, isCitizen } from './requester.js';

/** The codeContext DDS answers when consent filtered the result (dk-nsp.md §2.4). */
export const CONSENT_FILTER_APPLIED = 'urn:dk:nsi:Consent Filter Applied';
/**
 * The NSP material names the codeContext only, not an error code (dk-nsp.md §6); the generic registry
 * code keeps the entry valid for every XDS consumer, and severity Warning keeps the status Success/PartialSuccess.
 */
export const CONSENT_FILTER_ERROR_CODE = 'XDSRegistryError';

/** MinLog2 Addition values (dk-nsp.md §2.4, §3.2). */
export const ADDITION_OVERRIDE = 'Værdispring';
export const ADDITION_CONSENT = 'Samtykke';

export interface ConsentHookDeps {
  consents: Pick<ConsentStore, 'listForCitizen'>;
  sor: SorHierarchy;
  clock?: () => Date;
}

/** The SOR id in an XON author institution (XON.10, assigning authority SOR OID 1.2.208.176.1.1), else XON.3. */
export function institutionId(xon: string): string | undefined {
  const parts = xon.split('^');
  return parts[9] || parts[2] || undefined;
}

export function dataItemOf(entry: DocumentEntry): DataItem {
  const institutions = entry.authors.flatMap((a) => a.institutions.map(institutionId)).filter((x): x is string => !!x);
  return { uniqueId: entry.uniqueId, authorInstitutionSorIds: institutions, classCode: entry.classCode?.code };
}

export function createConsentHook(deps: ConsentHookDeps): ConsentHook {
  const clock = deps.clock ?? (() => new Date());
  return {
    name: 'minspaerring-consent',
    async authorize(access: ReadAccess): Promise<ReadDecision> {
      const sec = access.context.security;
      const self = citizenSelfCpr(sec);
      const at = clock();
      const entries = access.objects.filter((o): o is DocumentEntry => o.kind === 'DocumentEntry');
      const requester = await consentRequester(sec, deps.sor);
      // Værdispring is a professional's act; a citizen's token cannot pass over a block with it.
      const override = sec.hsuid?.consentOverride === true && !isCitizen(sec);

      const blocked = new Set<string>();
      let lifted = false;
      const citizens = new Set(access.patientIds.map(cprOfPatientId).filter((c): c is string => !!c));
      for (const e of entries) {
        const c = cprOfPatientId(e.patientId);
        if (c) citizens.add(c);
      }
      for (const cpr of citizens) {
        if (self === cpr) continue; // citizens always see their own data
        const consents = await deps.consents.listForCitizen(cpr);
        if (consents.length === 0) continue;
        const items = entries.filter((e) => cprOfPatientId(e.patientId) === cpr).map(dataItemOf);
        const ev = evaluateConsents(consents, requester, items, at);
        lifted ||= ev.liftedByPositive;
        if (ev.denyAll) {
          if (!override) return { outcome: 'deny', reason: `negative consent of the citizen for this requester (Min Spærring)` };
          continue;
        }
        if (!override) for (const u of ev.blocked) blocked.add(u);
      }

      const objects: RegistryObject[] = blocked.size === 0 ? access.objects : access.objects.filter((o) => !(o.kind === 'DocumentEntry' && blocked.has(o.uniqueId)));
      const warnings: RegistryErrorEntry[] =
        blocked.size === 0
          ? []
          : [{ errorCode: CONSENT_FILTER_ERROR_CODE, codeContext: CONSENT_FILTER_APPLIED, severity: Severity.Warning }];
      const addition = override ? ADDITION_OVERRIDE : lifted ? ADDITION_CONSENT : undefined;
      return { outcome: 'allow', objects, warnings, addition };
    },
  };
}
