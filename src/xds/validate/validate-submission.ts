/**
 * The rule-table engine: checks a decoded Submission against a ValidationProfile and reports each
 * violation into an ErrorCollector with the transaction's metadata error code (XDSRegistryMetadataError
 * for ITI-42, XDSRepositoryMetadataError for ITI-41; ITI TF-3 §4.2.4.1 Table 4.2.4.1-2).
 *
 * The profile's level for the transaction decides what a violation does: REJECT = error, WARNING = a
 * warning in the response, LOG = only the `log` callback, OFF = nothing is checked. Code-list checks are
 * further gated by config.codeValidation (off / warn / reject).
 */
import type { CodeValidationMode } from '../../config/config.js';
import type { ErrorCollector, RegistryErrorEntry } from '../errors.js';
import { Severity } from '../errors.js';
import { parseDtm } from '../model/hl7.js';
import type { Author, Code, Submission } from '../model/types.js';
import { DocumentEntryType } from '../model/types.js';
import { ACCESSORS, type AttributeValue, type RuleObjectKind } from './attributes.js';
import { FORMATS } from './formats.js';
import { codeKey, optionalityFor, type AttributeRule, type SubmissionTransaction, type ValidationProfile } from './profile.js';

export interface ValidateOptions {
  transaction: SubmissionTransaction;
  codeValidation: CodeValidationMode;
  /** the transaction's metadata error code. */
  errorCode: string;
  /** receives LOG-level findings (and nothing else). */
  log?: (entry: RegistryErrorEntry) => void;
}

type Finding = 'rule' | 'code';

function isCode(v: AttributeValue): v is Code {
  return typeof v === 'object' && 'code' in v && 'scheme' in v;
}

export function validateSubmission(
  submission: Submission,
  profile: ValidationProfile,
  options: ValidateOptions,
  collector: ErrorCollector,
): void {
  const level = profile.levels[options.transaction] ?? 'REJECT';
  if (level === 'OFF') return;

  const report = (finding: Finding, context: string, location: string): void => {
    let severity: 'error' | 'warning' | 'log' = level === 'REJECT' ? 'error' : level === 'WARNING' ? 'warning' : 'log';
    if (finding === 'code') {
      if (options.codeValidation === 'off') return;
      if (options.codeValidation === 'warn' && severity === 'error') severity = 'warning';
    }
    if (severity === 'error') collector.error(options.errorCode, context, location);
    else if (severity === 'warning') collector.warning(options.errorCode, context, location);
    else options.log?.({ errorCode: options.errorCode, codeContext: context, severity: Severity.Warning, location });
  };

  const checkObject = <K extends RuleObjectKind>(kind: K, obj: unknown, label: string, location: string): void => {
    const rules: Record<string, AttributeRule> = profile.rules[kind] ?? {};
    const accessors = ACCESSORS[kind] as Record<string, (o: unknown) => AttributeValue[]>;
    for (const [attr, rule] of Object.entries(rules)) {
      const values = accessors[attr]!(obj);
      const say = (finding: Finding, problem: string): void =>
        report(finding, `${label} ${attr}: ${problem} (profile ${profile.name}${rule.ref ? `, ${rule.ref}` : ''})`, location);
      const onDemand = kind === 'DocumentEntry' && (obj as { objectType?: string }).objectType === DocumentEntryType.OnDemand;
      checkAttribute(rule, values, options.transaction, onDemand, profile, say);
    }
  };

  const checkAuthors = (authors: Author[], owner: string, location: string): void => {
    authors.forEach((a, i) => checkObject('Author', a, `${owner} author[${i + 1}]`, location));
  };

  const ss = submission.submissionSet;
  const ssLabel = `SubmissionSet "${ss.entryUuid}"`;
  checkObject('SubmissionSet', ss, ssLabel, ss.entryUuid);
  checkAuthors(ss.authors, ssLabel, ss.entryUuid);
  for (const d of submission.documents) {
    const label = `DocumentEntry "${d.entryUuid}"`;
    checkObject('DocumentEntry', d, label, d.entryUuid);
    checkAuthors(d.authors, label, d.entryUuid);
  }
  for (const f of submission.folders) checkObject('Folder', f, `Folder "${f.entryUuid}"`, f.entryUuid);
  for (const a of submission.associations) checkObject('Association', a, `Association "${a.entryUuid}"`, a.entryUuid);
}

function checkAttribute(
  rule: AttributeRule,
  values: AttributeValue[],
  transaction: SubmissionTransaction,
  onDemand: boolean,
  profile: ValidationProfile,
  say: (finding: Finding, problem: string) => void,
): void {
  const opt = optionalityFor(rule, transaction, onDemand);
  if (opt === 'R' && values.length === 0) say('rule', `required attribute is missing (${transaction})`);
  if (opt === 'X' && values.length > 0) say('rule', `attribute is not allowed (${transaction}${onDemand ? ', On-Demand DocumentEntry' : ''})`);
  if (rule.max !== undefined && values.length > rule.max) say('rule', `has ${values.length} values, at most ${rule.max} allowed`);

  const strings = values.filter((v): v is string => typeof v === 'string');
  for (const v of strings) {
    if (rule.format) for (const p of FORMATS[rule.format]!(v)) say('rule', p);
    if (rule.maxLength !== undefined && v.length > rule.maxLength) say('rule', `"${v.slice(0, 40)}…" is longer than ${rule.maxLength} characters`);
    if (rule.values && !rule.values.includes(v)) say('rule', `"${v}" is not one of ${rule.values.join(', ')}`);
    if (rule.precision !== undefined && parseDtm(v) && v.length < rule.precision) {
      say('rule', `"${v}" must have at least ${rule.precision} digits (precision)`);
    }
  }
  if (rule.requiredPids && values.length > 0) {
    for (const pid of rule.requiredPids) {
      if (!strings.some((s) => s.startsWith(`${pid}|`))) say('rule', `${pid} is missing`);
    }
  }
  for (const c of values.filter(isCode)) {
    if (rule.displayRequired && !c.display) say('rule', `code "${c.code}" has no display name`);
    if (rule.codeList) {
      const list = profile.codeLists[rule.codeList]!;
      if (!list.has(codeKey(c.scheme, c.code))) say('code', `code "${c.code}" of scheme "${c.scheme}" is not in code list ${rule.codeList}`);
    }
  }
}
