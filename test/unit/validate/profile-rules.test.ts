/**
 * Every rule of every shipped profile gets a test that breaks exactly that rule (on an otherwise valid
 * submission) and expects exactly the transaction's metadata error code for exactly that attribute.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import { ErrorCode, ErrorCollector, Severity } from '../../../src/xds/errors.js';
import type { Author, Code, Submission } from '../../../src/xds/model/types.js';
import type { AttributeValue, RuleObjectKind } from '../../../src/xds/validate/attributes.js';
import { loadProfile, optionalityFor, type AttributeRule, type SubmissionTransaction, type ValidationProfile } from '../../../src/xds/validate/profile.js';
import { validateSubmission } from '../../../src/xds/validate/validate-submission.js';
import { parseXml } from '../../../src/xml/parse.js';
import { submissionXml } from '../ebrim/builders.js';
import { dkCode, validSubmission } from './dk-submission.js';
import { setAttribute, targetOf } from './mutate.js';

const PROFILES_DIR = path.resolve('ihe-profiles');

/** A value of each format that violates only that format. */
const BAD: Record<string, string> = {
  DTM: '2004-12-24',
  OID: '1.2.abc',
  uniqueId: '1.2.3^' + 'x'.repeat(20),
  CX: 'P1^^^&1.2.3&DNS',
  CXsource: 'P1',
  XCN: '123^^^^^^^^&1.2.3&DNS',
  'XCN-DK': '^Andersen^^^',
  XON: '^^^',
  'XON-DK': 'Hospital^^^^^&1.2.3&ISO',
  XTN: 'a@b.dk',
  intendedRecipient: '|',
  SHA1: 'xyz',
  integer: '-1',
  mimeType: 'text',
  languageCode: 'en_us!',
  'languageCode-DK': 'da-dk',
  URI: 'no uri',
  homeCommunityId: '1.2.3',
  PID: 'PID5 Doe',
  objectType: 'urn:uuid:00000000-0000-0000-0000-000000000000',
  UUID: 'urn:uuid:zz',
};

function run(s: Submission, profile: ValidationProfile, transaction: SubmissionTransaction = 'ITI-42', codeValidation: 'off' | 'warn' | 'reject' = 'reject') {
  const c = new ErrorCollector();
  const logged: unknown[] = [];
  validateSubmission(s, profile, { transaction, codeValidation, errorCode: transaction === 'ITI-41' ? ErrorCode.RepositoryMetadataError : ErrorCode.RegistryMetadataError, log: (e) => logged.push(e) }, c);
  return { entries: c.entries, logged };
}

interface Break {
  name: string;
  values: (s: Submission) => AttributeValue[];
  /** rules that are necessarily broken together (format + values of one value). */
  expected?: number;
  /** a change elsewhere that makes the attribute's value wrong (On-Demand objectType). */
  prepare?: (s: Submission) => void;
}

function breaksFor(kind: RuleObjectKind, attr: string, rule: AttributeRule, transaction: SubmissionTransaction, profile: ValidationProfile): Break[] {
  const out: Break[] = [];
  const opt = optionalityFor(rule, transaction);
  if (opt === 'R') out.push({ name: 'missing', values: () => [], expected: 1 });
  if (opt === 'X') out.push({ name: 'present though not allowed', values: () => ['x'], expected: 1 });
  if (kind === 'DocumentEntry' && rule.onDemand === 'X') {
    out.push({
      name: 'present on an On-Demand DocumentEntry',
      values: (s) => [String((targetOf(s, kind) as Record<string, unknown>)[attr])],
      prepare: (s) => {
        s.documents[0]!.objectType = 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248';
        // the other attributes an On-Demand entry may not carry go, so only this one is wrong
        for (const [other, r] of Object.entries(profile.rules.DocumentEntry ?? {})) if (other !== attr && r.onDemand === 'X') setAttribute(s, kind, other, []);
      },
      expected: 1,
    });
  }
  // a list attribute keeps its valid values and gets one bad value more, so only the format rule breaks
  if (rule.format) out.push({ name: `bad ${rule.format}`, values: (s) => [...currentList(s, kind, attr), BAD[rule.format!]!], expected: rule.values ? 2 : 1 });
  if (rule.maxLength !== undefined) out.push({ name: `longer than ${rule.maxLength}`, values: () => ['x'.repeat(rule.maxLength! + 1)], expected: rule.format ? undefined : 1 });
  if (rule.values) out.push({ name: 'value outside the allowed values', values: () => ['en-GB'] });
  if (rule.precision !== undefined) out.push({ name: `less than ${rule.precision} digits`, values: () => ['20141225'], expected: 1 });
  if (rule.max !== undefined && kind !== 'Author' && ['confidentialityCode', 'eventCodeList'].includes(attr)) {
    out.push({ name: `more than ${rule.max} values`, values: (s) => { const c = (targetOf(s, kind)[attr === 'confidentialityCode' ? 'confidentialityCodes' : 'eventCodes'] as Code[])[0]!; return [c, c]; } });
  }
  if (rule.max !== undefined && kind === 'Author' && attr !== 'authorPerson') out.push({ name: 'too many values', values: () => Array(rule.max! + 1).fill('x') });
  if (rule.codeList) out.push({ name: 'code not in the code list', values: () => [{ code: 'nope', scheme: '9.9.9', display: 'x' }], expected: 1 });
  if (rule.displayRequired) out.push({ name: 'code without display name', values: () => [{ ...dkCode(profile, rule.codeList!), display: undefined } as unknown as Code], expected: 1 });
  if (rule.requiredPids) out.push({ name: `${rule.requiredPids[0]} missing`, values: (s) => (targetOf(s, kind)[attr === 'sourcePatientInfo' ? 'sourcePatientInfo' : attr] as string[]).filter((p) => !p.startsWith(`${rule.requiredPids![0]}|`)) });
  return out;
}

function currentList(s: Submission, kind: RuleObjectKind, attr: string): string[] {
  const listFields: Record<string, string> = { sourcePatientInfo: 'sourcePatientInfo', referenceIdList: 'referenceIds', intendedRecipient: 'intendedRecipients', authorInstitution: 'institutions', authorRole: 'roles', authorSpecialty: 'specialties', authorTelecommunication: 'telecoms' };
  const f = listFields[attr];
  return f ? [...((targetOf(s, kind)[f] as string[] | undefined) ?? [])] : [];
}

for (const name of ['xds-generic', 'dk']) {
  const profile = loadProfile(PROFILES_DIR, name);
  describe(`profile ${name}`, () => {
    for (const transaction of ['ITI-42', 'ITI-41'] as const) {
      const code = transaction === 'ITI-41' ? ErrorCode.RepositoryMetadataError : ErrorCode.RegistryMetadataError;
      it(`${transaction}: the valid submission has no findings`, () => {
        expect(run(validSubmission(profile), profile, transaction).entries).toEqual([]);
      });
      for (const [kind, rules] of Object.entries(profile.rules) as [RuleObjectKind, Record<string, AttributeRule>][]) {
        for (const [attr, rule] of Object.entries(rules)) {
          for (const b of breaksFor(kind, attr, rule, transaction, profile)) {
            it(`${transaction} ${kind}.${attr}: ${b.name} → ${code}`, () => {
              const s = validSubmission(profile);
              b.prepare?.(s);
              setAttribute(s, kind, attr, b.values(s));
              const { entries } = run(s, profile, transaction);
              expect(entries.length).toBeGreaterThan(0);
              if (b.expected !== undefined) expect(entries).toHaveLength(b.expected);
              for (const e of entries) {
                expect(e.errorCode).toBe(code);
                expect(e.severity).toBe(Severity.Error);
                expect(e.codeContext).toContain(`${attr}:`);
              }
            });
          }
        }
      }
    }
  });
}

describe('levels and code validation modes', () => {
  const dk = loadProfile(PROFILES_DIR, 'dk');
  const broken = (): Submission => {
    const s = validSubmission(dk);
    s.documents[0]!.title = { value: 'x'.repeat(200) };
    s.documents[0]!.classCode = { code: 'nope', scheme: '9.9.9', display: 'x' };
    return s;
  };

  it('REJECT: errors; codeValidation off skips code lists', () => {
    const r = run(broken(), dk, 'ITI-42', 'off');
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]!.codeContext).toContain('title');
  });

  it('codeValidation warn turns code-list findings into warnings', () => {
    const r = run(broken(), dk, 'ITI-42', 'warn');
    expect(r.entries.map((e) => e.severity).sort()).toEqual([Severity.Error, Severity.Warning]);
    expect(r.entries.find((e) => e.severity === Severity.Warning)!.codeContext).toContain('classCode');
  });

  it('WARNING level reports warnings only', () => {
    const p: ValidationProfile = { ...dk, levels: { 'ITI-42': 'WARNING' } };
    const r = run(broken(), p, 'ITI-42', 'reject');
    expect(r.entries).toHaveLength(2);
    expect(r.entries.every((e) => e.severity === Severity.Warning)).toBe(true);
  });

  it('LOG level only logs', () => {
    const p: ValidationProfile = { ...dk, levels: { 'ITI-42': 'LOG' } };
    const r = run(broken(), p, 'ITI-42', 'reject');
    expect(r.entries).toEqual([]);
    expect(r.logged).toHaveLength(2);
  });

  it('OFF checks nothing', () => {
    const p: ValidationProfile = { ...dk, levels: { 'ITI-42': 'OFF' } };
    const r = run(broken(), p, 'ITI-42', 'reject');
    expect(r.entries).toEqual([]);
    expect(r.logged).toEqual([]);
  });

  it('authors of the SubmissionSet are checked too', () => {
    const s = validSubmission(dk);
    (s.submissionSet.authors[0] as Author).institutions = [];
    const r = run(s, dk);
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]!.codeContext).toMatch(/SubmissionSet .*author\[1\] authorInstitution/);
  });
});
