/**
 * The demographics the registry keeps from PID for display (issue #2: name PID-5, birth date PID-7,
 * sex PID-8), with HL7 update semantics (HL7 v2.5 §2.5.3 "Fields": a field not sent leaves the stored
 * value, the explicit null `""` deletes it, a value replaces it). PID-5 is taken as a unit: a new name
 * replaces every name part.
 */
import type { Hl7Segment } from './hl7-message.js';

/** Demographic values from PID: a string sets, null (HL7 `""`) deletes, absent leaves unchanged. */
export type DemographicsUpdate = Record<string, string | null>;

const NAME_KEYS = ['familyName', 'givenName', 'secondNames', 'suffix', 'prefix'] as const;

export function readDemographics(pid: Hl7Segment): DemographicsUpdate {
  const update: DemographicsUpdate = {};
  const name = pid.repetitions(5)[0];
  if (name) {
    if (name.raw === '""') {
      for (const key of NAME_KEYS) update[key] = null;
    } else {
      // XPN: family name (v2.5 FN.1 surname is sub-component 1) ^ given ^ second names ^ suffix ^ prefix.
      NAME_KEYS.forEach((key, i) => {
        const value = name.value(i + 1, 1);
        update[key] = value === '' ? null : value;
      });
    }
  }
  const birth = pid.repetitions(7)[0];
  if (birth) update.birthDate = birth.raw === '""' ? null : birth.value(1);
  const sex = pid.repetitions(8)[0];
  if (sex) update.sex = sex.raw === '""' ? null : sex.value(1);
  return update;
}

export function applyDemographics(existing: Record<string, string> | undefined, update: DemographicsUpdate): Record<string, string> | undefined {
  const result: Record<string, string> = { ...existing };
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === '') delete result[key];
    else result[key] = value;
  }
  // {} clears what was stored; undefined (nothing before, nothing now) stores no demographics at all.
  return Object.keys(result).length > 0 ? result : existing === undefined ? undefined : {};
}
