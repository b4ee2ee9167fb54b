/**
 * `npm run conformance [-- [--all] TEST...]`: replays the NIST XDS Toolkit test plans of
 * $XDS_CONFORMANCE_DIR against a fresh hub on temporary storage.
 *
 *   no arguments   every test of test/conformance/expected-pass.txt
 *   --all          every test folder; tests outside expected-pass.txt are reported but do not fail the run
 *   TEST...        just these tests (plus the tests they depend on)
 *
 * Output: `PASS test/section` or `FAIL test/section: reason` per section, then `N passed, M failed`.
 * XDS_CONFORMANCE_APP_MODULE=<module> replays against that module's startHub instead of src/app.ts.
 * XDS_CONFORMANCE_DUMP=<dir> writes every step's request, response and log below <dir> (debugging).
 * Exit code 1 when a section of a test in expected-pass.txt (or of a test named on the command line) fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTest, type TestPlanSet } from './lib/plan.js';
import { orderWithDependencies } from './lib/refs.js';
import { applyOrchestration } from './lib/orchestration.js';
import { formatSection, Tally } from './lib/report.js';
import { planHubs } from './lib/isolation.js';
import { runTest } from './lib/runner.js';
import { RunState } from './lib/state.js';
import { startTestHub } from './lib/hub.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function readExpectedPass(): string[] {
  const text = fs.readFileSync(path.join(HERE, 'expected-pass.txt'), 'utf8');
  return text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).flatMap((l) => l.split(/\s+/));
}

async function main(): Promise<number> {
  // The hub logs to stderr; keep a replay's stderr to warnings unless asked otherwise.
  process.env.XDS_LOG_LEVEL ??= 'warn';
  const dir = process.env.XDS_CONFORMANCE_DIR;
  if (!dir || !fs.existsSync(path.join(dir, 'nist'))) {
    console.log('='.repeat(72));
    console.log(`CONFORMANCE SKIPPED: XDS_CONFORMANCE_DIR not set${dir ? ` (or ${dir}/nist missing)` : ''}`);
    console.log('='.repeat(72));
    return 0;
  }
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const all = args.includes('--all');
  const named = args.filter((a) => !a.startsWith('--'));
  const expected = readExpectedPass();
  const requested = named.length > 0 ? named
    : all ? fs.readdirSync(path.join(dir, 'nist')).filter((t) => fs.existsSync(path.join(dir, 'nist', t, 'index.idx'))).sort()
      : expected;
  const mustPass = new Set([...expected, ...named]);

  const plans = new Map<string, TestPlanSet>();
  const load = (t: string): TestPlanSet => {
    let p = plans.get(t);
    if (!p) { p = applyOrchestration(loadTest(dir, t)); plans.set(t, p); }
    return p;
  };
  const tally = new Tally();
  let order: string[];
  try {
    order = orderWithDependencies(requested, load);
  } catch (e) {
    console.log(`FAIL (plan): ${(e as Error).message}`);
    return 1;
  }

  // Ctrl-C / a CI timeout: stop the running hub so its temporary data directory is removed.
  // (`on`, not `once`: a second signal must not fall back to Node's default exit mid-cleanup.)
  let current: { stop(): Promise<void> } | undefined;
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (interrupted) return;
      interrupted = true;
      console.log(`CONFORMANCE INTERRUPTED (${sig})`);
      void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }

  for (const group of planHubs(order, load)) {
    let hub;
    try {
      hub = await startTestHub();
      current = hub;
    } catch (e) {
      for (const t of group) for (const s of load(t).sections) {
        const r = { test: t, section: s.name, failures: [`hub did not start: ${(e as Error).message}`] };
        console.log(formatSection(r));
        tally.add(r, mustPass.has(t));
      }
      continue;
    }
    try {
      const state = new RunState();
      for (const t of group) {
        await runTest(load(t), {
          hub, state,
          onSection: (r) => { console.log(formatSection(r)); tally.add(r, mustPass.has(r.test)); },
          note: (m) => console.error(`NOTE ${m}`),
          dumpDir: process.env.XDS_CONFORMANCE_DUMP || undefined,
        });
      }
    } finally {
      current = undefined;
      await hub.stop();
    }
  }
  console.log(tally.summary());
  return tally.mustPassFailures > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(2);
});
