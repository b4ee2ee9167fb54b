/**
 * Replays the NIST Stored Query tests (11897 .. 11909, 12368, 15803; ITI-51 12364) against the 12346 data
 * set (12374 for a second patient, 12361 for the multi-patient data) loaded into SQLite, using the request files, UseId references and expected
 * outcomes of $XDS_CONFORMANCE_DIR as they are. Skipped (loudly) when the corpus is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { StoredQueryService } from '../../../src/xds/queries/stored-query-service.js';
import { parseXml } from '../../../src/xml/parse.js';
import { child, childrenNamed, descendants, type XmlElement } from '../../../src/xml/tree.js';
import { context, parseResponse, RecordingHooks, RIM } from './harness.js';
import { hasNist, hl7Now, loadNistTest, minimalRegistration, NIST, xmlEscape, type Register, type Registry } from './nist-loader.js';
import { RegistryService } from '../../../src/xds/registry/register-service.js';
import { loadProfile } from '../../../src/xds/validate/profile.js';

const stamp = Date.now();
const PATIENTS: Record<string, string> = {
  '12346': `sq${stamp}^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`,
  '12374': `sq2${stamp}^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`,
};
const MPQ_PATIENTS: Record<string, string> = {
  multi_doc: `mpq1${stamp}^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`,
  single_doc: `mpq2${stamp}^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`,
};
const SS_NODE = 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd';
const TESTS = ['11897', '11898', '11899', '11901', '11902', '11903', '11904', '11905', '11906', '11907', '11908', '11909', '12368', '15803'];
/** ITI-51 tests, run on the multi-patient action. */
const MPQ_TESTS = ['12364'];

if (!hasNist) console.warn(`SKIPPED: NIST stored-query replay, no conformance corpus at ${NIST}`);

interface Step {
  id: string;
  dir: string;
  tx: XmlElement;
  expectedStatus: string;
  expectedErrorCode?: string;
}

/** The query of a TestStep: StoredQueryTransaction (ITI-18) or MPQTransaction (ITI-51). */
function queryTransaction(step: XmlElement): XmlElement | undefined {
  return descendants(step, '', 'StoredQueryTransaction')[0] ?? descendants(step, '', 'MPQTransaction')[0];
}

function steps(test: string): { name: string; steps: Step[] }[] {
  const dir = path.join(NIST, test);
  return fs
    .readFileSync(path.join(dir, 'index.idx'), 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map((section) => {
      const plan = parseXml(fs.readFileSync(path.join(dir, section, 'testplan.xml')));
      return {
        name: `${test}/${section}`,
        // NullTransaction steps (XPath assertions on the previous output) are the conformance runner's job
        steps: descendants(plan, '', 'TestStep')
          .filter((step) => queryTransaction(step) !== undefined)
          .map((step) => ({
          id: step.attrs.id,
          dir: path.join(dir, section),
          tx: queryTransaction(step)!,
          expectedStatus: descendants(step, '', 'ExpectedStatus')[0]?.text.trim() ?? 'Success',
          expectedErrorCode: descendants(step, '', 'ExpectedErrorCode')[0]?.text.trim(),
        })),
      };
    });
}

function counts(list: XmlElement | undefined): Record<string, number> {
  const items = list?.children ?? [];
  const isSs = (e: XmlElement) => e.children.some((c) => c.ns === RIM && c.name === 'Classification' && c.attrs.classificationNode === SS_NODE);
  return {
    Documents: items.filter((e) => e.name === 'ExtrinsicObject').length,
    ObjectRefs: items.filter((e) => e.name === 'ObjectRef').length,
    SubmissionSets: items.filter((e) => e.name === 'RegistryPackage' && isSs(e)).length,
    Folders: items.filter((e) => e.name === 'RegistryPackage' && !isSs(e)).length,
    Associations: items.filter((e) => e.name === 'Association').length,
    None: items.length,
  };
}

/** The composite ExpectedContents checks used by these tests, as counts. */
const COMPOSITES: Record<string, Record<string, number>> = {
  SSwithOneDocOneFol: { SubmissionSets: 1, Documents: 1, Folders: 1 },
  SSwithTwoDocOneFol: { SubmissionSets: 1, Documents: 2, Folders: 1 },
};

/**
 * Two ways to load the data: the minimal in-test registration (depends only on the decoder and the store),
 * and the real ITI-42 RegistryService (id assignment, RPLC, Folder lastUpdateTime as the hub does them).
 */
const LOADERS: Record<string, (stores: SqliteStores, now: Date) => Register> = {
  'minimal registration': (stores, now) => minimalRegistration(stores.metadata, now),
  'ITI-42 RegistryService': (stores, now) => {
    const service = new RegistryService({
      store: stores.metadata,
      patients: { isKnown: async () => true },
      profile: loadProfile(path.resolve('ihe-profiles'), 'xds-generic'),
      clock: () => now,
    });
    return async (sub) => (await service.registerSubmission(sub, context(), { transaction: 'ITI-42' })).assignedUuids;
  },
};

describe.skipIf(!hasNist).each(Object.keys(LOADERS))('NIST Stored Query replay, data loaded by %s', (loader) => {
  let stores: SqliteStores;
  let service: StoredQueryService;
  let now: Date;
  const registry: Registry = new Map();
  beforeAll(async () => {
    stores = openSqliteStores(':memory:');
    service = new StoredQueryService({ store: stores.metadata, hooks: new RecordingHooks(), config: { maxResults: 1000 } });
    now = new Date();
    const register = LOADERS[loader](stores, now);
    for (const [test, patient] of Object.entries(PATIENTS)) await loadNistTest(register, test, patient, registry);
    await loadNistTest(register, '12361', (section) => MPQ_PATIENTS[section], registry);
  });
  afterAll(async () => stores.close());

  const sections = hasNist ? [...TESTS, ...MPQ_TESTS].flatMap(steps) : [];
  it.each(sections.map((s) => [s.name, s] as const))('%s', async (_name, section) => {
    expect(section.steps.length).toBeGreaterThan(0);
    for (const step of section.steps) {
      // $now$ is read when the query is sent, after the load ($lastyear$ a year before it)
      const later = new Date(now.getTime() + 1000);
      const lastYear = new Date(later);
      lastYear.setUTCFullYear(later.getUTCFullYear() - 1);
      let text = fs
        .readFileSync(path.join(step.dir, child(step.tx, '', 'MetadataFile')!.text.trim()), 'utf8')
        .replaceAll('$now$', hl7Now(later))
        .replaceAll('$lastyear$', hl7Now(lastYear));
      for (const use of childrenNamed(step.tx, '', 'UseId')) {
        const target = path.resolve(step.dir, use.attrs.testdir);
        const key = `${path.basename(path.dirname(target))}/${path.basename(target)}`;
        const assigned = registry.get(key);
        const value =
          use.attrs.section === 'AssignedPatientId'
            ? assigned?.patientId
            : use.attrs.section === 'AssignedUids'
              ? assigned?.uids.get(use.attrs.id)
              : assigned?.uuids.get(use.attrs.id);
        if (!value) throw new Error(`${section.name}/${step.id}: cannot resolve UseId ${use.attrs.id} of ${key}`);
        text = text.replaceAll(use.attrs.symbol, xmlEscape(value));
      }
      // the ITI-51 tests name their patients by the PIF tests 15819 / 15820 (12364/readme.txt), which fed
      // the two 12361 submissions: multi_doc = 15819, single_doc = 15820 (12364/one_pid expects one entry)
      for (const use of childrenNamed(step.tx, '', 'UseReport')) {
        const section = { '15819': 'multi_doc', '15820': 'single_doc' }[use.attrs.test];
        if (section) text = text.replaceAll(use.attrs.useAs, xmlEscape(MPQ_PATIENTS[section]));
      }
      const left = /\$[A-Za-z_0-9]+\$/.exec(text);
      if (left) throw new Error(`${section.name}/${step.id}: placeholder ${left[0]} left unresolved`);
      const multiPatient = MPQ_TESTS.includes(section.name.split('/')[0]);
      const r = parseResponse(await service.run(parseXml(text), context(), { multiPatient }));
      const label = `${section.name}/${step.id}`;
      expect({ label, status: r.status }).toEqual({ label, status: step.expectedStatus });
      if (step.expectedErrorCode) expect({ label, errors: r.errorCodes }).toEqual({ label, errors: [step.expectedErrorCode] });
      const got = counts(r.root.children.find((c) => c.name === 'RegistryObjectList'));
      for (const e of child(step.tx, '', 'ExpectedContents')?.children ?? []) {
        const want = COMPOSITES[e.name] ?? { [e.name]: e.name === 'None' ? 0 : Number(e.attrs.count) };
        for (const [k, v] of Object.entries(want)) {
          if (!(k in got)) throw new Error(`${label}: unhandled ExpectedContents ${e.name}`);
          expect({ label, [k]: got[k] }).toEqual({ label, [k]: v });
        }
      }
    }
  });
});
