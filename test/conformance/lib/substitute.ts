/**
 * Placeholder binding and substitution (conformance ANALYSIS.md §3 steps 2, 4, 8 and §5.1). Only tokens
 * that were bound are replaced, literally: stored-query parameter names also start with `$`
 * (`$XDSDocumentEntryPatientId`), so a generic `$...$` regex would corrupt queries.
 */
import type { RunState, StepLog } from './state.js';
import type { Transaction } from './plan.js';
import { resolveUseReport, useIdKey } from './refs.js';

export type Bindings = Map<string, string>;

const ASSIGNMENT_MAPS: Record<string, keyof Pick<StepLog, 'assignedUuids' | 'assignedUids' | 'assignedPatientId'>> = {
  AssignedUuids: 'assignedUuids',
  AssignedUids: 'assignedUids',
  AssignedPatientId: 'assignedPatientId',
};

function stepLog(state: RunState, key: string, step: string, current?: Map<string, StepLog>): StepLog {
  const section = state.sectionLog(key) ?? current;
  if (!section) throw new Error(`no log for section ${key} (not run yet)`);
  const log = section.get(step);
  if (!log) throw new Error(`no step "${step}" in the log of ${key}`);
  return log;
}

/**
 * A UseId without testdir (12345/rplc) names a step of the same test: the current section's if it has
 * one, otherwise the latest section that logged a step of that id.
 */
function stepOfTest(state: RunState, test: string, section: string, step: string): StepLog {
  const own = state.sectionLog(`${test}/${section}`)?.get(step);
  if (own) return own;
  let found: StepLog | undefined;
  for (const [key, log] of state.sections) if (key.startsWith(`${test}/`) && log.get(step)) found = log.get(step);
  if (!found) throw new Error(`no step "${step}" logged in any section of ${test}`);
  return found;
}

/** UseReport values: `{useAs -> value}`. */
export function bindUseReports(state: RunState, test: string, section: string, tx: Transaction): Bindings {
  const b: Bindings = new Map();
  for (const u of tx.useReports) {
    const key = resolveUseReport(test, section, u);
    const log = stepLog(state, key, u.step);
    const v = log.reports[u.reportName];
    if (v === undefined) throw new Error(`UseReport: report "${u.reportName}" not published by ${key} step ${u.step}`);
    b.set(u.useAs, v);
  }
  return b;
}

/**
 * UseId values: `{symbol -> value}`. Returns the ones that can be resolved now; a UseId that points at the
 * step being prepared is left for the second pass (`deferred`).
 */
export function bindUseIds(
  state: RunState, test: string, section: string, stepId: string, tx: Transaction, current: StepLog | undefined,
): { bindings: Bindings; deferred: Transaction['useIds'] } {
  const b: Bindings = new Map();
  const deferred: Transaction['useIds'] = [];
  for (const u of tx.useIds) {
    const key = useIdKey(test, section, u);
    const mapName = ASSIGNMENT_MAPS[u.section];
    if (!mapName) throw new Error(`UseId: unknown section "${u.section}"`);
    const self = key === `${test}/${section}` && u.step === stepId;
    const log = self ? current : u.testdir === '' ? stepOfTest(state, test, section, u.step) : stepLog(state, key, u.step);
    const v = log?.[mapName][u.id];
    if (v === undefined) {
      if (self && !current) { deferred.push(u); continue; }
      throw new Error(`UseId: ${u.section}[${u.id}] not recorded by ${key} step ${u.step}`);
    }
    b.set(u.symbol, v);
  }
  return { bindings: b, deferred };
}

export function escapeXmlValue(v: string): string {
  return v.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Literal replacement of every bound token; values XML-escaped unless `raw` (XPath text). */
export function substitute(text: string, bindings: Bindings, raw = false): string {
  let out = text;
  // Longest tokens first, so a token that is a prefix of another cannot eat it.
  for (const [token, value] of [...bindings].sort((a, b) => b[0].length - a[0].length)) {
    if (token === '') continue;
    out = out.split(token).join(raw ? value : escapeXmlValue(value));
  }
  return out;
}

/** HL7 DTM (YYYYMMDDHHMMSS, UTC) for `$now$` / `$lastyear$`. */
export function hl7Time(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function standardTokens(now: Date = new Date()): Bindings {
  const lastYear = new Date(now.getTime());
  lastYear.setUTCFullYear(now.getUTCFullYear() - 1);
  return new Map([['$now$', hl7Time(now)], ['$lastyear$', hl7Time(lastYear)], ['$DATE$', hl7Time(now).slice(0, 8)]]);
}
