/**
 * The one HookRunner every read path calls (architecture.md "Hooks"; issue #5). Consent hooks run in
 * order, each seeing what the previous one let through: the first "deny" ends the chain (nothing is
 * returned and nothing is logged, as DDS does for a negative consent, dk-nsp.md §2.5). Recorders run for
 * every completed read; if one fails the read fails, so no access goes unrecorded.
 */
import type { RegistryErrorEntry } from '../xds/errors.js';
import type { HookRunner, ReadAccess, ReadDecision, ReadRecord } from './types.js';

/** Decides and redacts (HAPI FHIR's "may this be seen" + "redact what is shown"). */
export interface ConsentHook {
  readonly name: string;
  authorize(access: ReadAccess): Promise<ReadDecision>;
}

/** Writes an access durably (audit, MinLog outbox, BRS follow-up); must not change data. */
export interface ReadRecorder {
  readonly name: string;
  record(record: ReadRecord): Promise<void>;
}

export function createHookRunner(hooks: { consent: ConsentHook[]; recorders: ReadRecorder[] }): HookRunner {
  return {
    async authorizeRead(access: ReadAccess): Promise<ReadDecision> {
      let objects = access.objects;
      const warnings: RegistryErrorEntry[] = [];
      let addition: string | undefined;
      for (const hook of hooks.consent) {
        const decision = await hook.authorize({ ...access, objects });
        if (decision.outcome === 'deny') return decision;
        objects = decision.objects;
        warnings.push(...decision.warnings);
        addition = decision.addition ?? addition;
      }
      return { outcome: 'allow', objects, warnings, addition };
    },
    async recordRead(record: ReadRecord): Promise<void> {
      for (const recorder of hooks.recorders) await recorder.record(record);
    },
  };
}
