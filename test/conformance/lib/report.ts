/**
 * The runner's output: one line per test section and the closing `N passed, M failed` line
 * (issue #2, Evidence).
 */
import type { SectionResult } from './runner.js';

/** `PASS 11966/submit` or `FAIL 11966/submit: reason; reason` on one line. */
export function formatSection(r: SectionResult): string {
  const name = `${r.test}/${r.section}`;
  if (r.failures.length === 0) return `PASS ${name}`;
  const reasons = r.failures.map((f) => f.replace(/\s+/g, ' ').trim()).join('; ');
  return `FAIL ${name}: ${reasons}`;
}

export class Tally {
  passed = 0;
  failed = 0;
  /** failed sections of tests that must pass (expected-pass.txt or named on the command line). */
  mustPassFailures = 0;

  add(r: SectionResult, mustPass: boolean): void {
    if (r.failures.length === 0) this.passed += 1;
    else {
      this.failed += 1;
      if (mustPass) this.mustPassFailures += 1;
    }
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}
