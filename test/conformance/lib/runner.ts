/**
 * Replays tests against one hub: sections in index.idx order, steps in document order (conformance
 * ANALYSIS.md §5.2), with the session patient id the toolkit's orchestration would use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestPlanSet } from './plan.js';
import { adtA01, sendMllp } from './mllp.js';
import { RunState, type StepLog } from './state.js';
import { rawBodyPatientIds, runStep, type HubEndpoints } from './transactions.js';

export interface SectionResult { test: string; section: string; failures: string[] }

/** PIF tests publish `$patientid$`; a test that binds `$patientid$` from one submits under that id. */
function pifPatientId(plan: TestPlanSet, state: RunState): string | undefined {
  for (const s of plan.sections) {
    for (const st of s.steps) {
      for (const u of st.tx?.useReports ?? []) {
        if (u.reportName !== '$patientid$' || u.useAs !== '$patientid$' || !u.test || u.test === plan.test) continue;
        const v = state.sectionLog(`${u.test}/${u.section}`)?.get(u.step)?.reports.$patientid$;
        if (v) return v;
      }
    }
  }
  return undefined;
}

function hasOwnFeed(plan: TestPlanSet): boolean {
  return plan.sections.some((s) => s.steps.some((st) => st.tx?.element === 'PatientIdentityFeedTransaction'));
}

async function feedFresh(hub: HubEndpoints, state: RunState, why: string): Promise<string> {
  const pid = state.newPatientId();
  const ack = await sendMllp(hub.mllpHost, hub.mllpPort, adtA01(pid, `runner-${Date.now()}`));
  if (ack.ackCode !== 'AA') throw new Error(`feeding ${why} patient id ${pid}: MSA-1=${ack.ackCode || '(none)'} ${ack.text}`);
  state.registeredPatients.add(pid);
  return pid;
}

export interface RunOptions {
  hub: HubEndpoints;
  state: RunState;
  onSection: (r: SectionResult) => void;
  note: (msg: string) => void;
  /** when set, every step's request and response are written below this directory (debugging). */
  dumpDir?: string;
}

function dumpStep(dir: string, test: string, section: string, step: string, log: StepLog | undefined): void {
  if (!log) return;
  const d = path.join(dir, test, section);
  fs.mkdirSync(d, { recursive: true });
  if (log.request) fs.writeFileSync(path.join(d, `${step}.request.xml`), log.request);
  if (log.response) fs.writeFileSync(path.join(d, `${step}.response.xml`), log.response);
  fs.writeFileSync(path.join(d, `${step}.log.json`), JSON.stringify({ ...log, request: undefined, response: undefined, sentDocuments: Object.keys(log.sentDocuments) }, null, 1));
}

export async function runTest(plan: TestPlanSet, opts: RunOptions): Promise<void> {
  const { hub, state } = opts;
  if (state.done.has(plan.test)) return;
  state.done.add(plan.test);
  const rawBodies = plan.sections.flatMap((s) => s.steps.flatMap((st) =>
    st.tx?.element === 'HttpTransaction' && st.tx.bodyFile ? [fs.readFileSync(path.join(s.dir, st.tx.bodyFile), 'utf8')] : []));
  const feedIds = (): string[] => [...new Set(rawBodies.flatMap(rawBodyPatientIds))];

  let setupError: string | undefined;
  let sessionPid = pifPatientId(plan, state);
  if (!sessionPid && !hasOwnFeed(plan)) {
    try {
      sessionPid = await feedFresh(hub, state, 'session');
    } catch (e) {
      setupError = (e as Error).message;
    }
  }
  if (sessionPid) state.sessionPatientId.set(plan.test, sessionPid);

  for (const section of plan.sections) {
    const sectionLog = state.startSection(`${plan.test}/${section.name}`);
    const failures: string[] = [];
    if (setupError) failures.push(setupError);
    for (const step of section.steps) {
      if (setupError) break;
      try {
        if (step.newPatientId) state.sessionPatientId.set(plan.test, await feedFresh(hub, state, 'NewPatientId'));
        // AltPatientId: an id the registry was never fed (11996 expects XDSUnknownPatientId).
        const patientId = step.altPatientId ? state.newPatientId() : state.sessionPatientId.get(plan.test) ?? state.newPatientId();
        const fails = await runStep({
          state, test: plan.test, section: section.name, sectionDir: section.dir, step, patientId,
          hub, sectionLog, feedPatientIds: feedIds, note: opts.note,
        });
        failures.push(...fails.map((f) => (section.steps.length > 1 ? `${step.id}: ${f}` : f)));
        if (opts.dumpDir) dumpStep(opts.dumpDir, plan.test, section.name, step.id, sectionLog.get(step.id));
      } catch (e) {
        failures.push(`${section.steps.length > 1 ? `${step.id}: ` : ''}${(e as Error).message}`);
      }
    }
    opts.onSection({ test: plan.test, section: section.name, failures });
  }
}
