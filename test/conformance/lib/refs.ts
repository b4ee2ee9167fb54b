/**
 * Cross-step and cross-test references (conformance ANALYSIS.md §5): where a UseId/UseReport/ReferenceMetadata
 * points, and from that the order in which tests must run (dependencies first, each once).
 */
import path from 'node:path';
import type { TestPlanSet, UseId, UseReport } from './plan.js';

/** `test/section` key of the section a UseId/ReferenceMetadata testdir points at. */
export function resolveTestdir(test: string, section: string, testdir: string): string {
  if (testdir === '' || testdir === 'THIS') return `${test}/${section}`;
  // A bare name ("submit", 12021/retrieve) means a section of the same test (ANALYSIS.md §5).
  if (!testdir.includes('/')) return `${test}/${testdir}`;
  const joined = path.posix.normalize(path.posix.join(test, section, testdir));
  const parts = joined.split('/');
  if (parts.length !== 2 || parts[0] === '..') throw new Error(`testdir "${testdir}" in ${test}/${section} does not name a test section`);
  return joined;
}

export function resolveUseReport(test: string, section: string, u: UseReport): string {
  const t = u.test && u.test !== '' ? u.test : test;
  const s = u.section === 'THIS' || u.section === '' ? section : u.section;
  return `${t}/${s}`;
}

export function useIdKey(test: string, section: string, u: UseId): string {
  return resolveTestdir(test, section, u.testdir);
}

/** The other tests a test reads values from. */
export function dependenciesOf(plan: TestPlanSet): string[] {
  const deps = new Set<string>(plan.extraDependencies ?? []);
  for (const s of plan.sections) {
    for (const st of s.steps) {
      const tx = st.tx;
      if (!tx) continue;
      const keys = [
        ...tx.useIds.map((u) => useIdKey(plan.test, s.name, u)),
        ...tx.useReports.map((u) => resolveUseReport(plan.test, s.name, u)),
        ...(tx.referenceMetadata ? [resolveTestdir(plan.test, s.name, tx.referenceMetadata.testdir)] : []),
      ];
      for (const k of keys) {
        const t = k.split('/')[0];
        if (t !== plan.test) deps.add(t);
      }
    }
  }
  return [...deps];
}

/** Orders the requested tests so that every dependency runs before its user, each test once. */
export function orderWithDependencies(requested: string[], load: (test: string) => TestPlanSet): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string, chain: string[]): void => {
    const st = state.get(t);
    if (st === 'done') return;
    if (st === 'visiting') throw new Error(`dependency cycle: ${[...chain, t].join(' -> ')}`);
    state.set(t, 'visiting');
    for (const d of dependenciesOf(load(t))) visit(d, [...chain, t]);
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of requested) visit(t, []);
  return order;
}
