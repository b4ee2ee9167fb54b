/**
 * Benchmark (issue #4 "GW"): DGWS ID-card verifications per second through the full security stack
 * (`authenticate`: structure, signature, attributes, validity, medcom:Header, HSUID, policy, replay),
 * cold (every request carries a card not seen before: one XML-DSig check each) and cached (the same
 * card again, as a client reuses its card for 24 h: the verified-card cache answers).
 * Target: at least 5 000 cached verifications/s on 2 cores; judged on one core's CPU time.
 *
 *   npx tsx bench/security-verify.ts [--cold 400] [--cached 5000] [--rounds 3] [--sha256] [--replay sqlite]
 * `--replay sqlite` puts the MessageID replay store in a SQLite file (as the worker processes of cluster
 * mode share it) instead of process memory; each stack gets a file of its own.
 * Prints one human line and one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestCa } from '../src/services/sts/test-ca.js';
import { issueIdCard, type IdCardSpec } from '../src/services/sts/id-card-issuer.js';
import { buildDgwsEnvelope } from '../src/services/sts/dgws-envelope.js';
import { createSecurityStack, defaultPolicies } from '../src/security/index.js';
import { soapRequestFromXml } from '../src/security/soap-request-from-xml.js';
import type { SoapRequest } from '../src/soap/types.js';
import { createSqliteReplayStore } from '../src/storage/sqlite/replay-store.js';
import { openWalDatabase } from '../src/storage/sqlite/wal-database.js';

const { values } = parseArgs({
  options: {
    cold: { type: 'string', default: '400' },
    cached: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    sha256: { type: 'boolean', default: false },
    replay: { type: 'string', default: 'memory' },
  },
});
const coldN = Number(values.cold);
const cachedN = Number(values.cached);
const rounds = Number(values.rounds);
if (values.replay !== 'memory' && values.replay !== 'sqlite') throw new Error(`--replay must be memory or sqlite, got "${values.replay}"`);
const replayDir = values.replay === 'sqlite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-')) : undefined;
if (replayDir) process.on('exit', () => fs.rmSync(replayDir, { recursive: true, force: true }));
let stacks = 0;

const ca = createTestCa();
const spec: IdCardSpec = {
  type: 'user',
  cpr: '0101011234',
  givenName: 'Karen',
  surName: 'Jensen',
  role: 'Læge',
  authorizationCode: 'NS363',
  systemName: 'EPJ',
  careProvider: { type: 'cvrnumber', id: '12345678', name: 'Region' },
  signatureAlgorithm: values.sha256 ? 'rsa-sha256' : 'rsa-sha1',
};
const BODY = '<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"><query:ResponseOption returnType="LeafClass"/></query:AdhocQueryRequest>';
const hsuid = { userType: 'nsi:HealthcareProfessional' as const, actingUserCpr: '0101011234', citizenCpr: '2512489996', systemName: 'EPJ' };
const toRequest = (card: string): SoapRequest =>
  soapRequestFromXml(buildDgwsEnvelope({ idCardXml: card, medcom: { securityLevel: 4 }, hsuid, bodyXml: BODY }), '/xds/registry');
const newStack = () =>
  createSecurityStack({
    trustedCertificatesPem: [ca.sts.certPem],
    clockSkewSeconds: 300,
    policies: defaultPolicies(),
    insecureDevelopment: false,
    replay: replayDir ? createSqliteReplayStore(openWalDatabase(path.join(replayDir, `replay-${stacks++}.db`)), { clock: Date.now }) : undefined,
  });

async function timed(stack: ReturnType<typeof newStack>, reqs: SoapRequest[]): Promise<{ perSecond: number; cpuUsPer: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const r of reqs) await stack.authenticate(r, 'xds-read');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: reqs.length / secs, cpuUsPer: (cpu.user + cpu.system) / reqs.length };
}

// cold: distinct cards (prepared outside the timer)
const coldReqs = Array.from({ length: coldN }, () => toRequest(issueIdCard(ca, spec)));
await timed(newStack(), coldReqs.slice(0, Math.min(20, coldN)).map((r) => r)); // warm-up (JIT) on a throwaway stack
const coldResults = [];
for (let i = 0; i < rounds; i++) coldResults.push(await timed(newStack(), coldReqs));

// cached: one card, fresh medcom MessageIDs
const card = issueIdCard(ca, spec);
const cachedReqs = Array.from({ length: cachedN }, () => toRequest(card));
const cachedResults = [];
for (let i = 0; i < rounds; i++) {
  const stack = newStack();
  await stack.authenticate(toRequest(card), 'xds-read'); // the one cold check that fills the cache
  cachedResults.push(await timed(stack, cachedReqs));
  const s = stack.stats();
  if (s.verifications !== 1 || s.cacheHits !== cachedN) throw new Error(`cache not used as expected: ${JSON.stringify(s)}`);
}

const best = (xs: { perSecond: number; cpuUsPer: number }[]) => xs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
const cold = best(coldResults);
const cached = best(cachedResults);
// CPU time per verification is the figure that stays meaningful on a busy machine (wall rates drop
// with the load of other processes). The hub runs its JavaScript on one core, so the target (5 000/s
// on a 2-core machine) is judged on the one-core CPU rate.
const cachedByCpu = 1e6 / cached.cpuUsPer;
const result = {
  benchmark: 'security-verify',
  algorithm: spec.signatureAlgorithm,
  replayStore: values.replay,
  coldPerSecondWall: Math.round(cold.perSecond),
  coldCpuUsPerVerification: Math.round(cold.cpuUsPer),
  coldPerSecondByCpu: Math.round(1e6 / cold.cpuUsPer),
  cachedPerSecondWall: Math.round(cached.perSecond),
  cachedCpuUsPerVerification: Math.round(cached.cpuUsPer),
  cachedPerSecondByCpu: Math.round(cachedByCpu),
  targetCachedPerSecond: 5000,
  targetMet: cachedByCpu >= 5000,
};
console.log(
  `security-verify (${result.algorithm}, replay store ${result.replayStore}): cold ${result.coldPerSecondByCpu}/s per core (${result.coldCpuUsPerVerification} µs CPU each; wall ${result.coldPerSecondWall}/s), ` +
    `cached ${result.cachedPerSecondByCpu}/s per core (${result.cachedCpuUsPerVerification} µs CPU each; wall ${result.cachedPerSecondWall}/s); ` +
    `target ≥ 5000/s cached: ${result.targetMet ? 'met' : 'NOT met'}`,
);
console.log(JSON.stringify(result));
process.exitCode = result.targetMet ? 0 : 1;
