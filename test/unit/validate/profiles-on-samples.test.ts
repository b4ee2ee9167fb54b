import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import { ErrorCode, ErrorCollector } from '../../../src/xds/errors.js';
import { loadProfile, ProfileError } from '../../../src/xds/validate/profile.js';
import { validateSubmission } from '../../../src/xds/validate/validate-submission.js';
import { conformanceXml, hasConformance, PATIENT } from '../ebrim/fixtures.js';

const generic = loadProfile(path.resolve('ihe-profiles'), 'xds-generic');
const options = { transaction: 'ITI-42' as const, codeValidation: 'off' as const, errorCode: ErrorCode.RegistryMetadataError };

describe.skipIf(!hasConformance)('xds-generic on real metadata', () => {
  it.each(['single_doc/single_doc.xml', 'doc_w_fol/single_doc_w_fol.xml', 'two_doc_w_fol/two_doc_w_fol.xml', 'doc_for_rplc/single_doc_for_rplc.xml', 'rplc/rplc.xml'])(
    'NIST 12346 %s is valid for ITI-42',
    (f) => {
      const s = decodeSubmission(conformanceXml(`nist/12346/${f}`, { $patientid$: PATIENT, $rplc_doc_uuid$: 'urn:uuid:0d6a3c3e-0000-4000-8000-00000000000a' }));
      // the NIST toolkit overwrites every uniqueId with a fresh OID before sending (ANALYSIS.md §3 step 5)
      [s.submissionSet, ...s.documents, ...s.folders].forEach((o, i) => (o.uniqueId = `1.2.42.1.${i + 1}`));
      const c = new ErrorCollector();
      validateSubmission(s, generic, options, c);
      expect(c.entries).toEqual([]);
    },
  );

  it('the IHE RegisterDocumentSet-b sample lacks the ITI-42 attributes hash, size and repositoryUniqueId', () => {
    const s = decodeSubmission(conformanceXml('ihe-examples/XDS.b/RegisterDocumentSet-bRequest.xml'));
    const c = new ErrorCollector();
    validateSubmission(s, generic, options, c);
    const missing = c.entries.filter((e) => e.codeContext.includes('required attribute is missing')).map((e) => e.codeContext.split(' ')[2]);
    expect(missing.sort()).toEqual(['hash:', 'repositoryUniqueId:', 'size:']);
    // ITI-41 does not require them (the repository computes them, ITI TF-3 Table 4.3.1-3)
    const c41 = new ErrorCollector();
    validateSubmission(s, generic, { ...options, transaction: 'ITI-41', errorCode: ErrorCode.RepositoryMetadataError }, c41);
    expect(c41.entries.filter((e) => e.codeContext.includes('missing'))).toEqual([]);
  });
});

describe('loadProfile', () => {
  const tmp = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    return dir;
  };

  it('merges an extending profile and lets it drop a rule with null', () => {
    const dir = tmp({
      'base/profile.json': JSON.stringify({ rules: { DocumentEntry: { title: { opt: 'R' }, comments: { opt: 'O' } } } }),
      'child/profile.json': JSON.stringify({ extends: 'base', levels: { 'ITI-42': 'WARNING' }, rules: { DocumentEntry: { comments: null, URI: { opt: 'X' } } } }),
    });
    const p = loadProfile(dir, 'child');
    expect(Object.keys(p.rules.DocumentEntry!).sort()).toEqual(['URI', 'title']);
    expect(p.levels['ITI-42']).toBe('WARNING');
  });

  it.each([
    ['unknown attribute', { rules: { DocumentEntry: { nope: { opt: 'R' } } } }],
    ['unknown format', { rules: { DocumentEntry: { title: { opt: 'R', format: 'nope' } } } }],
    ['bad optionality', { rules: { DocumentEntry: { title: { opt: 'Q' } } } }],
    ['bad level', { levels: { 'ITI-42': 'LOUD' } }],
    ['missing code list', { rules: { DocumentEntry: { classCode: { opt: 'R', codeList: 'none' } } } }],
  ])('rejects a profile with %s', (_n, json) => {
    const dir = tmp({ 'p/profile.json': JSON.stringify(json) });
    expect(() => loadProfile(dir, 'p')).toThrow(ProfileError);
  });

  it('rejects an unknown profile and a cycle', () => {
    const dir = tmp({ 'a/profile.json': JSON.stringify({ extends: 'b' }), 'b/profile.json': JSON.stringify({ extends: 'a' }) });
    expect(() => loadProfile(dir, 'zz')).toThrow(ProfileError);
    expect(() => loadProfile(dir, 'a')).toThrow(/extends itself/);
  });
});
