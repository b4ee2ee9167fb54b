/**
 * Parameters the NIST toolkit's conformance orchestration passes to a test instead of the test plan
 * itself. They are given here as the UseReport the plan would have carried, so the substitution and
 * dependency ordering treat them like any other reference.
 *
 * - 12361 (MPQ data): "This test data set consists of two submissions each with a unique Patient ID"
 *   (12361/readme.txt); the plans leave `$patient_id1$` (multi_doc) and `$patient_id2$` (single_doc)
 *   to the orchestration, whose ids come from 15819 and 15820 (12364/readme.txt). 12364/one_pid expects
 *   exactly one entry for the 15820 id, which fixes single_doc = 15820 and multi_doc = 15819.
 */
import type { TestPlanSet, UseReport } from './plan.js';

const pif = (test: string, useAs: string): UseReport => ({ test, section: 'pif', step: 'step', reportName: '$patientid$', useAs });

const PARAMETERS: Record<string, UseReport[]> = {
  '12361': [pif('15819', '$patient_id1$'), pif('15820', '$patient_id2$')],
};

/** 12364: "This test relies on test 12361 to load the necessary test data" (12364/readme.txt). */
const DEPENDENCIES: Record<string, string[]> = {
  '12364': ['12361'],
};

export function applyOrchestration(plan: TestPlanSet): TestPlanSet {
  if (DEPENDENCIES[plan.test]) plan.extraDependencies = DEPENDENCIES[plan.test];
  const extra = PARAMETERS[plan.test];
  if (!extra) return plan;
  for (const s of plan.sections) for (const st of s.steps) if (st.tx?.metadataFile) st.tx.useReports.push(...extra);
  return plan;
}
