/**
 * `npm run bench [-- NAME...]`: runs the benchmarks one after another, each in its own process, and prints
 * their figures. Speed and memory targets live here, never in timed unit tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all: Record<string, string[]> = {
  core: ['core-xds.ts'],
  'core-s3-redis': ['core-xds.ts', '--backends', 's3+redis', '--entries', '20000', '--patients', '2000', '--registrations', '300', '--queries', '1000', '--big-mb', '50'],
  // MongoDB (issue #7): need XDS_TEST_MONGODB_URL (a replica set); without it they print SKIPPED and exit 0.
  'core-mongodb': ['core-xds.ts', '--backends', 'mongodb'],
  'core-mongodb-s3-redis': ['core-xds.ts', '--backends', 'mongodb+s3+redis', '--entries', '20000', '--patients', '2000', '--registrations', '300', '--queries', '1000', '--big-mb', '50'],
  store: ['store-finddocuments.ts'],
  million: ['core-xds.ts', '--entries', '1000000', '--patients', '100000', '--registrations', '200', '--queries', '5000', '--big-mb', '10'],
  // The same with the real read path: a DGWS ID card from the development STS on every request, so consent,
  // MinLog and BRS records are made (the presets above run anonymous in XDS_INSECURE_DEV, no MinLog).
  'core-dgws': ['core-xds.ts', '--security', 'dgws'],
  'million-dgws': ['core-xds.ts', '--security', 'dgws', '--entries', '1000000', '--patients', '100000', '--registrations', '200', '--queries', '5000', '--big-mb', '10'],
  // The hub as a cluster, one HTTP worker per core (XDS_HTTP_PROCESSES=auto); compare with million / million-dgws.
  'million-cluster': ['core-xds.ts', '--processes', 'auto', '--entries', '1000000', '--patients', '100000', '--registrations', '200', '--queries', '5000', '--big-mb', '10'],
  'million-dgws-cluster': ['core-xds.ts', '--processes', 'auto', '--security', 'dgws', '--entries', '1000000', '--patients', '100000', '--registrations', '200', '--queries', '5000', '--big-mb', '10'],
  security: ['security-verify.ts'],
  // the cluster's shared state in cluster-state.db (sessions, login failures, activity) against memory
  'cluster-state': ['admin-stores.ts'],
  backends: ['backends.ts'],
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ['core', 'core-s3-redis', 'core-mongodb', 'core-mongodb-s3-redis', 'security', 'backends'];
let failed = 0;
for (const name of names) {
  const spec = all[name];
  if (!spec) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(all).join(', ')}`);
    failed++;
    continue;
  }
  const file = path.join(here, spec[0]);
  if (!existsSync(file)) {
    console.error(`benchmark ${name}: ${spec[0]} is not there`);
    failed++;
    continue;
  }
  console.log(`\n=== bench ${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...spec.slice(1)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
