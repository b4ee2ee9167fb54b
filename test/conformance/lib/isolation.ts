/**
 * Which tests share a hub. Most tests run on one hub, in dependency order, because later tests read what
 * earlier ones stored. Two kinds cannot share it (conformance README "Quirks", ANALYSIS.md §5.2 item 7):
 * - tests that post pre-built raw bodies (HttpTransaction): their uniqueIds and patient ids are hard-coded,
 *   and PnrXop/Xop and PnrNoXop/submit carry the same SubmissionSet uniqueId, so on a shared registry the
 *   second is (rightly) rejected as XDSDuplicateUniqueIdInRegistry;
 * - the MPQ tests (ITI-51 is not restricted to one patient): they need a registry without other data.
 * Each of those runs on its own fresh hub together with the tests it depends on.
 */
import type { TestPlanSet } from './plan.js';
import { dependenciesOf } from './refs.js';

const MPQ_TESTS = new Set(['12361', '12364']);

export function needsOwnHub(plan: TestPlanSet): boolean {
  if (MPQ_TESTS.has(plan.test)) return true;
  return plan.sections.some((s) => s.steps.some((st) => st.tx?.element === 'HttpTransaction'));
}

/** Splits a dependency-ordered list into hub groups: the shared one first, then one per isolated test. */
export function planHubs(order: string[], load: (t: string) => TestPlanSet): string[][] {
  const isolated = order.filter((t) => needsOwnHub(load(t)));
  const closure = (t: string): string[] => {
    const out: string[] = [];
    const visit = (x: string): void => {
      if (out.includes(x)) return;
      for (const d of dependenciesOf(load(x))) visit(d);
      out.push(x);
    };
    visit(t);
    return out;
  };
  const groups = isolated.map(closure);
  // A group wholly contained in another (12361 inside 12364's) needs no hub of its own.
  const kept = groups.filter((g, i) => !groups.some((h, j) => j !== i && h.length > g.length && g.every((t) => h.includes(t))));
  const inIsolated = new Set(isolated);
  const shared = order.filter((t) => !inIsolated.has(t));
  return [...(shared.length > 0 ? [shared] : []), ...kept];
}
