/**
 * What the registry needs to know about patients (ITI TF-2a §3.42.4.1.3.1: the patientId must be known
 * to the registry from the Patient Identity Feed, else XDSUnknownPatientId). Implemented elsewhere
 * (PatientStore + ITI-8 feed + auto-accepted assigning authorities + later the CPR register).
 */
export interface PatientIdentity {
  /** true when `patientId` (an HL7 CX `id^^^&oid&ISO`) is known to the affinity domain. */
  isKnown(patientId: string): Promise<boolean>;
}
