/**
 * The Danish profile's own rules through the real RegistryService (ITI-42 and ITI-41 in process), each
 * broken alone on a valid DK submission, with exactly the transaction's metadata error code, and the
 * validation level chosen per transaction (OFF / WARNING / LOG / REJECT, as DROS has).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { ErrorCode, Severity, XdsError, type RegistryErrorEntry } from '../../../src/xds/errors.js';
import type { Submission } from '../../../src/xds/model/types.js';
import { RegistryService } from '../../../src/xds/registry/register-service.js';
import { loadProfile, type SubmissionTransaction, type ValidationLevel, type ValidationProfile } from '../../../src/xds/validate/profile.js';
import { FORMATS } from '../../../src/xds/validate/formats.js';
import { context } from '../registry/harness.js';
import { DK_PATIENT, validSubmission } from './dk-submission.js';

const dk = loadProfile(path.resolve('ihe-profiles'), 'dk');
let stores: SqliteStores | undefined;
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

function registry(levels: Partial<Record<SubmissionTransaction, ValidationLevel>> = {}, log: RegistryErrorEntry[] = []): RegistryService {
  stores = openSqliteStores(':memory:');
  const profile: ValidationProfile = { ...dk, levels: { ...dk.levels, ...levels } };
  return new RegistryService({ store: stores.metadata, patients: { isKnown: async (p) => p === DK_PATIENT }, profile, codeValidation: 'reject', log: (e) => log.push(e) });
}

async function errorsOf(r: RegistryService, s: Submission, transaction: SubmissionTransaction = 'ITI-42'): Promise<RegistryErrorEntry[]> {
  try {
    await r.registerSubmission(s, context(), { transaction });
  } catch (e) {
    if (e instanceof XdsError) return e.errors;
    throw e;
  }
  return [];
}

const broken = (change: (s: Submission) => void): Submission => {
  const s = validSubmission(dk);
  change(s);
  return s;
};

describe('DK profile rules, one at a time (ITI-42 → XDSRegistryMetadataError)', () => {
  it('the valid DK submission registers', async () => {
    expect(await errorsOf(registry(), validSubmission(dk))).toEqual([]);
  });

  const cases: [string, (s: Submission) => void, string][] = [
    ['title of 128 characters (must be under 128)', (s) => void (s.documents[0]!.title = { value: 'x'.repeat(128) }), 'title'],
    ['languageCode en-US (must be da-DK)', (s) => void (s.documents[0]!.languageCode = 'en-US'), 'languageCode'],
    ['sourcePatientId with CX.2 (only CX.1 and CX.4)', (s) => void (s.documents[0]!.sourcePatientId = '2512489996^7^^&1.2.208.176.1.2&ISO'), 'sourcePatientId'],
    ['sourcePatientId with CX.3', (s) => void (s.documents[0]!.sourcePatientId = '2512489996^^M11^&1.2.208.176.1.2&ISO'), 'sourcePatientId'],
    ['sourcePatientId with CX.5', (s) => void (s.documents[0]!.sourcePatientId = '2512489996^^^&1.2.208.176.1.2&ISO^PI'), 'sourcePatientId'],
    ['authorInstitution without XON.10 (restricted XON)', (s) => void (s.documents[0]!.authors[0]!.institutions = ['Odense Universitetshospital^^^^^&1.2.208.176.1.1&ISO']), 'XON.10'],
    ['authorInstitution with XON.6 not &OID&ISO (restricted XON)', (s) => void (s.documents[0]!.authors[0]!.institutions = ['Odense Universitetshospital^^^^^^^^^8071000016009']), 'XON.6'],
    ['classCode outside the DK value set', (s) => void (s.documents[0]!.classCode = { code: '999', scheme: '1.2.208.184.100.9', display: 'x' }), 'classCode'],
    ['typeCode in the right value set but the wrong code system', (s) => void (s.documents[0]!.typeCode = { ...s.documents[0]!.typeCode!, scheme: '9.9.9' }), 'typeCode'],
    ['creationTime not to the second', (s) => void (s.documents[0]!.creationTime = '201412252120'), 'creationTime'],
  ];
  for (const [name, change, attr] of cases) {
    it(`${name} → exactly one XDSRegistryMetadataError naming ${attr}`, async () => {
      const errors = await errorsOf(registry(), broken(change));
      expect(errors, JSON.stringify(errors)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ errorCode: ErrorCode.RegistryMetadataError, severity: Severity.Error });
      expect(errors[0]!.codeContext).toContain(attr);
    });
  }

  it('a title of 127 characters is accepted', async () => {
    expect(await errorsOf(registry(), broken((s) => void (s.documents[0]!.title = { value: 'x'.repeat(127) })))).toEqual([]);
  });

  it('the CX format itself: CX.1 + CX.4 &OID&ISO only', () => {
    expect(FORMATS.CX!('2512489996^^^&1.2.208.176.1.2&ISO')).toEqual([]);
    for (const bad of ['2512489996^7^^&1.2.208.176.1.2&ISO', '2512489996^^M11^&1.2.208.176.1.2&ISO', '2512489996^^^&1.2.208.176.1.2&ISO^PI', '2512489996^^^&1.2.208.176.1.2&ISO^^^^^x']) {
      expect(FORMATS.CX!(bad)).not.toEqual([]);
    }
  });
});

describe('validation level per transaction', () => {
  const tooLongTitle = () => broken((s) => void (s.documents[0]!.title = { value: 'x'.repeat(200) }));

  it('ITI-42 REJECT and ITI-41 WARNING on one profile: the same submission fails on one, passes with a warning on the other', async () => {
    const r = registry({ 'ITI-42': 'REJECT', 'ITI-41': 'WARNING' });
    const rejected = await errorsOf(r, tooLongTitle(), 'ITI-42');
    expect(rejected.map((e) => [e.errorCode, e.severity])).toEqual([[ErrorCode.RegistryMetadataError, Severity.Error]]);
    const ok = await r.registerSubmission(tooLongTitle(), context(), { transaction: 'ITI-41' });
    expect(ok.warnings.map((e) => [e.errorCode, e.severity])).toEqual([[ErrorCode.RepositoryMetadataError, Severity.Warning]]);
    expect(await stores!.metadata.countObjects()).toMatchObject({ DocumentEntry: 1 });
  });

  it('ITI-41 REJECT → XDSRepositoryMetadataError, nothing stored', async () => {
    const r = registry({ 'ITI-41': 'REJECT' });
    const errors = await errorsOf(r, tooLongTitle(), 'ITI-41');
    expect(errors.map((e) => e.errorCode)).toEqual([ErrorCode.RepositoryMetadataError]);
    expect(await stores!.metadata.countObjects()).toMatchObject({ DocumentEntry: 0 });
  });

  it('LOG: registered without warnings, the finding goes to the log', async () => {
    const log: RegistryErrorEntry[] = [];
    const r = registry({ 'ITI-42': 'LOG' }, log);
    const ok = await r.registerSubmission(tooLongTitle(), context(), { transaction: 'ITI-42' });
    expect(ok.warnings).toEqual([]);
    expect(log).toHaveLength(1);
    expect(log[0]!.codeContext).toContain('title');
  });

  it('OFF: registered, nothing reported or logged', async () => {
    const log: RegistryErrorEntry[] = [];
    const r = registry({ 'ITI-42': 'OFF' }, log);
    const ok = await r.registerSubmission(tooLongTitle(), context(), { transaction: 'ITI-42' });
    expect(ok.warnings).toEqual([]);
    expect(log).toEqual([]);
  });
});
