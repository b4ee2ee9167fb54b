/**
 * Validation profiles as data (ihe-profiles/<name>/profile.json, format in ihe-profiles/README.md):
 * per object kind, per attribute, an optionality (R / R2 / O / X, optionally per transaction), a maximum
 * count, a value format, a maximum length, allowed values, a DTM precision and a code list. A profile may
 * `extends` another and override single attributes. A level per transaction (OFF / WARNING / LOG / REJECT)
 * says what a violation does, as DROS has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACCESSORS, type RuleObjectKind } from './attributes.js';
import { isKnownFormat } from './formats.js';

export type Optionality = 'R' | 'R2' | 'O' | 'X';
export type ValidationLevel = 'OFF' | 'WARNING' | 'LOG' | 'REJECT';
export type SubmissionTransaction = 'ITI-41' | 'ITI-42';

export interface AttributeRule {
  opt: Optionality | Partial<Record<SubmissionTransaction, Optionality>>;
  /** optionality for On-Demand DocumentEntries, when it differs (ITI TF-3 Table 4.3.1-3: hash, size X). */
  onDemand?: Optionality;
  /** most values allowed (1 for single-valued attributes). */
  max?: number;
  format?: string;
  maxLength?: number;
  /** allowed values (exact match). */
  values?: string[];
  /** smallest number of DTM digits (14 = to the second). */
  precision?: number;
  /** name of a code list in <profile>/codes/<name>.json (code + codingScheme must be listed). */
  codeList?: string;
  /** the code's display name (rim:Name) must be present. */
  displayRequired?: boolean;
  /** sourcePatientInfo: PID fields that must be present, e.g. ["PID-5","PID-7","PID-8"]. */
  requiredPids?: string[];
  /** where the rule comes from, quoted in error messages. */
  ref?: string;
}

export interface CodeListEntry {
  code: string;
  scheme: string;
  display?: string;
}

export interface ValidationProfile {
  name: string;
  title: string;
  levels: Partial<Record<SubmissionTransaction, ValidationLevel>>;
  rules: Partial<Record<RuleObjectKind, Record<string, AttributeRule>>>;
  /** code list name → "scheme|code" keys. */
  codeLists: Record<string, ReadonlySet<string>>;
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const LEVELS = new Set(['OFF', 'WARNING', 'LOG', 'REJECT']);
const OPTS = new Set(['R', 'R2', 'O', 'X']);

interface RawProfile {
  name?: string;
  title?: string;
  extends?: string;
  levels?: Record<string, string>;
  rules?: Record<string, Record<string, AttributeRule | null>>;
}

export function codeKey(scheme: string, code: string): string {
  return `${scheme}|${code}`;
}

function checkRule(profile: string, kind: string, attr: string, rule: AttributeRule): void {
  const where = `${profile}: ${kind}.${attr}`;
  const opts = typeof rule.opt === 'string' ? [rule.opt] : Object.values(rule.opt ?? {});
  if (opts.length === 0 || opts.some((o) => !OPTS.has(o as string))) throw new ProfileError(`${where}: opt must be R, R2, O or X`);
  if (typeof rule.opt === 'object') {
    for (const t of Object.keys(rule.opt)) if (t !== 'ITI-41' && t !== 'ITI-42') throw new ProfileError(`${where}: unknown transaction ${t}`);
  }
  if (rule.onDemand !== undefined && !OPTS.has(rule.onDemand)) throw new ProfileError(`${where}: onDemand must be R, R2, O or X`);
  if (rule.format !== undefined && !isKnownFormat(rule.format)) throw new ProfileError(`${where}: unknown format ${rule.format}`);
  if (rule.max !== undefined && !(Number.isInteger(rule.max) && rule.max >= 0)) throw new ProfileError(`${where}: max must be a non-negative integer`);
}

/** Reads ihe-profiles/<name>/profile.json (following `extends`) and its code lists. */
export function loadProfile(baseDir: string, name: string, seen: string[] = []): ValidationProfile {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new ProfileError(`invalid profile name "${name}"`);
  if (seen.includes(name)) throw new ProfileError(`profile ${[...seen, name].join(' → ')} extends itself`);
  const dir = path.join(baseDir, name);
  const file = path.join(dir, 'profile.json');
  if (!fs.existsSync(file)) throw new ProfileError(`profile "${name}" not found: ${file} is missing`);
  let raw: RawProfile;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as RawProfile;
  } catch (e) {
    throw new ProfileError(`${file}: ${(e as Error).message}`);
  }
  const base: ValidationProfile = raw.extends
    ? loadProfile(baseDir, raw.extends, [...seen, name])
    : { name, title: '', levels: {}, rules: {}, codeLists: {} };

  const levels = { ...base.levels };
  for (const [t, l] of Object.entries(raw.levels ?? {})) {
    if (t !== 'ITI-41' && t !== 'ITI-42') throw new ProfileError(`${name}: unknown transaction ${t} in levels`);
    if (!LEVELS.has(l)) throw new ProfileError(`${name}: level ${l} must be OFF, WARNING, LOG or REJECT`);
    levels[t] = l as ValidationLevel;
  }
  const rules: ValidationProfile['rules'] = {};
  for (const k of Object.keys(base.rules) as RuleObjectKind[]) rules[k] = { ...base.rules[k] };
  for (const [kind, attrs] of Object.entries(raw.rules ?? {})) {
    if (!(kind in ACCESSORS)) throw new ProfileError(`${name}: unknown object kind ${kind}`);
    const k = kind as RuleObjectKind;
    const target = (rules[k] ??= {});
    for (const [attr, rule] of Object.entries(attrs)) {
      if (!(attr in ACCESSORS[k])) throw new ProfileError(`${name}: ${kind} has no attribute ${attr}`);
      if (rule === null) {
        delete target[attr]; // an extending profile may drop a rule
        continue;
      }
      checkRule(name, kind, attr, rule);
      target[attr] = rule;
    }
  }
  const codeLists = { ...base.codeLists };
  const codesDir = path.join(dir, 'codes');
  if (fs.existsSync(codesDir)) {
    for (const f of fs.readdirSync(codesDir).filter((f) => f.endsWith('.json'))) {
      const list = JSON.parse(fs.readFileSync(path.join(codesDir, f), 'utf8')) as { codes?: CodeListEntry[] };
      if (!Array.isArray(list.codes)) throw new ProfileError(`${name}: codes/${f} has no "codes" array`);
      codeLists[f.slice(0, -5)] = new Set(list.codes.map((c) => codeKey(c.scheme, c.code)));
    }
  }
  for (const [kind, attrs] of Object.entries(rules)) {
    for (const [attr, rule] of Object.entries(attrs ?? {})) {
      if (rule.codeList && !codeLists[rule.codeList]) throw new ProfileError(`${name}: ${kind}.${attr} names missing code list ${rule.codeList}`);
    }
  }
  return { name, title: raw.title ?? base.title, levels, rules, codeLists };
}

/** The optionality of a rule for one transaction (a per-transaction map falls back to "O"). */
export function optionalityFor(rule: AttributeRule, transaction: SubmissionTransaction, onDemand = false): Optionality {
  if (onDemand && rule.onDemand !== undefined) return rule.onDemand;
  return typeof rule.opt === 'string' ? rule.opt : (rule.opt[transaction] ?? 'O');
}
