/**
 * Outcome checks of a step (conformance ANALYSIS.md §6): status and error codes (§6.1), ExpectedContents
 * (§6.2) and XPath assertions over the section log (§6.3). Each returns the list of failure reasons
 * (empty = passed); nothing here can pass without looking at the response.
 */
import { byLocalName, childElements, parseXml, type Element } from './dom.js';
import type { ContentCheck, Step, UseId } from './plan.js';
import type { StepLog } from './state.js';
import { xpathBoolean } from './xpath.js';

const STATUS = {
  Success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  Failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  PartialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
} as const;

const SS_CLASS = 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd';
const FOL_CLASS = 'urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2';
const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
const DEPRECATED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated';
const HAS_MEMBER = 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember';

export interface RegistryErrorInfo { errorCode: string; codeContext: string; severity: string }

export interface Outcome { status: string; errors: RegistryErrorInfo[] }

/** Status and RegistryErrors of a response body (RegistryResponse, AdhocQueryResponse, RetrieveDocumentSetResponse). */
export function outcomeOf(bodyXml: string): Outcome {
  const root = parseXml(bodyXml, 'response body').documentElement!;
  const rr = root.localName === 'RetrieveDocumentSetResponse' || root.localName === 'RemoveDocumentsResponse'
    ? childElements(root).find((c) => c.localName === 'RegistryResponse') ?? root
    : root;
  const raw = rr.getAttribute('status') ?? '';
  const name = (Object.keys(STATUS) as (keyof typeof STATUS)[]).find((k) => STATUS[k] === raw);
  const errors = byLocalName(rr, 'RegistryError').map((e) => ({
    errorCode: e.getAttribute('errorCode') ?? '',
    codeContext: e.getAttribute('codeContext') ?? '',
    severity: e.getAttribute('severity') ?? '',
  }));
  return { status: name ?? (raw === '' ? '(no status)' : `(status not a standard URN: ${raw})`), errors };
}

const isErrorSeverity = (s: string): boolean => s.endsWith('Error');

function describeErrors(errors: RegistryErrorInfo[]): string {
  if (errors.length === 0) return 'no RegistryError';
  return errors.slice(0, 3).map((e) => `${e.errorCode}${e.codeContext ? ` (${e.codeContext.slice(0, 160)})` : ''}`).join('; ');
}

/** §6.1. `fault` is set when the response was a SOAP Fault. */
export function checkStatus(step: Step, outcome: Outcome | undefined, fault?: { code: string; reason: string }): string[] {
  const expected = step.expectedStatus.length > 0 ? step.expectedStatus : ['Success'];
  if (fault) {
    return expected.includes('Fault') ? [] : [`SOAP Fault ${fault.code}: ${fault.reason.slice(0, 200)} (expected ${expected.join('|')})`];
  }
  if (!outcome) return ['no response body'];
  const fails: string[] = [];
  if (!expected.includes(outcome.status)) {
    fails.push(`status ${outcome.status}, expected ${expected.join('|')}: ${describeErrors(outcome.errors)}`);
  }
  for (const code of step.expectedErrorCode) {
    if (!outcome.errors.some((e) => e.errorCode === code)) fails.push(`expected errorCode ${code}, got ${describeErrors(outcome.errors)}`);
  }
  for (const msg of step.expectedErrorMessage) {
    const hit = outcome.errors.some((e) => isErrorSeverity(e.severity) && (e.errorCode.includes(msg) || e.codeContext.includes(msg)));
    if (!hit) fails.push(`expected error message "${msg}", got ${describeErrors(outcome.errors)}`);
  }
  if (expected.length === 1 && expected[0] === 'Success') {
    const errs = outcome.errors.filter((e) => isErrorSeverity(e.severity));
    if (errs.length > 0 && fails.length === 0) fails.push(`Success response carries errors: ${describeErrors(errs)}`);
  }
  return fails;
}

interface Objects {
  docs: Element[]; ss: Element[]; fols: Element[]; assocs: Element[]; refs: Element[];
}

function classifiedAs(pkg: Element, node: string, topLevel: Element[]): boolean {
  const id = pkg.getAttribute('id');
  const nested = childElements(pkg).some((c) => c.localName === 'Classification' && c.getAttribute('classificationNode') === node);
  return nested || topLevel.some((c) => c.getAttribute('classifiedObject') === id && c.getAttribute('classificationNode') === node);
}

function objectsOf(bodyXml: string): Objects {
  const doc = parseXml(bodyXml, 'response body');
  const lists = byLocalName(doc, 'RegistryObjectList');
  const top = lists.flatMap((l) => childElements(l));
  const topClass = top.filter((e) => e.localName === 'Classification');
  const pkgs = top.filter((e) => e.localName === 'RegistryPackage');
  return {
    docs: top.filter((e) => e.localName === 'ExtrinsicObject'),
    ss: pkgs.filter((p) => classifiedAs(p, SS_CLASS, topClass)),
    fols: pkgs.filter((p) => classifiedAs(p, FOL_CLASS, topClass)),
    assocs: top.filter((e) => e.localName === 'Association'),
    refs: top.filter((e) => e.localName === 'ObjectRef'),
  };
}

const shortType = (t: string): string => t.replace(/^.*:/, '');

function hasMember(o: Objects, from: Element[], to: Element[]): Element[] {
  const fromIds = new Set(from.map((e) => e.getAttribute('id')));
  const toIds = new Set(to.map((e) => e.getAttribute('id')));
  return o.assocs.filter((a) => a.getAttribute('associationType') === HAS_MEMBER
    && fromIds.has(a.getAttribute('sourceObject')) && toIds.has(a.getAttribute('targetObject')));
}

function counts(o: Objects): string {
  return `SubmissionSets=${o.ss.length} Documents=${o.docs.length} Folders=${o.fols.length} Associations=${o.assocs.length} ObjectRefs=${o.refs.length}`;
}

/** Shape checks: exact counts plus the HasMember structure and an Approved SubmissionSet. */
function shape(o: Objects, name: string, ss: number, docs: number, fols: number, assocs: number, links: [Element[], Element[], number][]): string[] {
  const f: string[] = [];
  if (o.ss.length !== ss || o.docs.length !== docs || o.fols.length !== fols || o.assocs.length !== assocs) {
    f.push(`${name}: expected SubmissionSets=${ss} Documents=${docs} Folders=${fols} Associations=${assocs}, got ${counts(o)}`);
    return f;
  }
  for (const [from, to, n] of links) {
    const got = hasMember(o, from, to).length;
    if (got !== n) f.push(`${name}: expected ${n} HasMember association(s) ${from === o.ss ? 'SS' : 'Folder'}->${to === o.docs ? 'DocumentEntry' : to === o.fols ? 'Folder' : 'Association'}, got ${got}`);
  }
  if (o.ss.some((s) => s.getAttribute('status') !== APPROVED)) f.push(`${name}: SubmissionSet status is ${o.ss[0].getAttribute('status')}`);
  return f;
}

/**
 * DocApp/DocDep/FolApp/FolDep: every returned object has the status (none returned passes: the plans pair
 * `Documents count="0"` with `DocApp`, 20001/eval_deprecate_assoc). SSApproved needs a SubmissionSet.
 */
function allHaveStatus(name: string, els: Element[], what: string, status: string, required = false): string[] {
  if (required && els.length === 0) return [`${name}: no ${what} returned`];
  const bad = els.filter((e) => e.getAttribute('status') !== status);
  return bad.length === 0 ? [] : [`${name}: ${what} status ${els.map((e) => e.getAttribute('status')).join(', ')}`];
}

/** OneDocApp/OneDocDep: exactly one DocumentEntry has the status (the toolkit's count == 1). */
function exactlyOneWithStatus(name: string, els: Element[], status: string): string[] {
  const n = els.filter((e) => e.getAttribute('status') === status).length;
  return n === 1 ? [] : [`${name}: ${n} DocumentEntries with status ${status.replace(/^.*:/, '')}, expected exactly one`];
}

function relationCheck(o: Objects, name: string, type: string): string[] {
  const rel = o.assocs.filter((a) => shortType(a.getAttribute('associationType') ?? '') === type);
  if (rel.length === 0) return [`${name}: no ${type} association`];
  const targets = rel.map((a) => a.getAttribute('targetObject'));
  if (new Set(targets).size !== targets.length) return [`${name}: a document is the target of two ${type} associations`];
  return [];
}

/** §6.2 over the response's RegistryObjectList. */
export function checkContents(checks: ContentCheck[], bodyXml: string | undefined, resolveUseId?: (u: UseId) => string): string[] {
  if (checks.length === 0) return [];
  if (!bodyXml) return ['ExpectedContents: no response body'];
  const o = objectsOf(bodyXml);
  const fails: string[] = [];
  const exact = (name: string, got: number, want: number | undefined): void => {
    if (want === undefined) fails.push(`${name}: no count given`);
    else if (got !== want) fails.push(`expected ${name}=${want}, got ${counts(o)}`);
  };
  const assocToAssoc = (): Element[] => o.assocs; // SS -> (Folder->DE association) HasMember targets an Association
  for (const c of checks) {
    switch (c.check) {
      case 'Documents': exact('Documents', o.docs.length, c.count); break;
      case 'SubmissionSets': exact('SubmissionSets', o.ss.length, c.count); break;
      case 'Folders': exact('Folders', o.fols.length, c.count); break;
      case 'Associations': exact('Associations', o.assocs.length, c.count); break;
      case 'ObjectRefs':
        exact('ObjectRefs', o.refs.length, c.count);
        if (o.docs.length + o.ss.length + o.fols.length + o.assocs.length > 0) fails.push(`ObjectRefs: LeafClass objects returned as well (${counts(o)})`);
        break;
      case 'None':
        if (o.docs.length + o.ss.length + o.fols.length + o.assocs.length > 0) fails.push(`None: expected no objects, got ${counts(o)}`);
        break;
      case 'NoSubmissionSet': if (o.ss.length) fails.push(`NoSubmissionSet: got ${counts(o)}`); break;
      case 'NoDocument': if (o.docs.length) fails.push(`NoDocument: got ${counts(o)}`); break;
      case 'SSwithOneDoc': fails.push(...shape(o, c.check, 1, 1, 0, 1, [[o.ss, o.docs, 1]])); break;
      case 'SSwithTwoDoc': fails.push(...shape(o, c.check, 1, 2, 0, 2, [[o.ss, o.docs, 2]])); break;
      case 'SSwithOneFol': fails.push(...shape(o, c.check, 1, 0, 1, 1, [[o.ss, o.fols, 1]])); break;
      case 'SSwithOneDocOneFol':
        fails.push(...shape(o, c.check, 1, 1, 1, 4, [[o.ss, o.docs, 1], [o.ss, o.fols, 1], [o.fols, o.docs, 1], [o.ss, assocToAssoc(), 1]]));
        break;
      case 'SSwithTwoDocOneFol':
        fails.push(...shape(o, c.check, 1, 2, 1, 7, [[o.ss, o.docs, 2], [o.ss, o.fols, 1], [o.fols, o.docs, 2], [o.ss, assocToAssoc(), 2]]));
        break;
      case 'SSwithTwoDocOneFolOneDocInFol':
        fails.push(...shape(o, c.check, 1, 2, 1, 5, [[o.ss, o.docs, 2], [o.ss, o.fols, 1], [o.fols, o.docs, 1], [o.ss, assocToAssoc(), 1]]));
        break;
      case 'SSApproved': fails.push(...allHaveStatus(c.check, o.ss, 'SubmissionSet', APPROVED, true)); break;
      case 'DocApp': fails.push(...allHaveStatus(c.check, o.docs, 'DocumentEntry', APPROVED)); break;
      case 'DocDep': fails.push(...allHaveStatus(c.check, o.docs, 'DocumentEntry', DEPRECATED)); break;
      case 'FolApp': fails.push(...allHaveStatus(c.check, o.fols, 'Folder', APPROVED)); break;
      case 'FolDep': fails.push(...allHaveStatus(c.check, o.fols, 'Folder', DEPRECATED)); break;
      case 'OneDocApp': fails.push(...exactlyOneWithStatus(c.check, o.docs, APPROVED)); break;
      case 'OneDocDep': fails.push(...exactlyOneWithStatus(c.check, o.docs, DEPRECATED)); break;
      case 'HasRPLC': fails.push(...relationCheck(o, c.check, 'RPLC')); break;
      case 'HasAPND': fails.push(...relationCheck(o, c.check, 'APND')); break;
      case 'HasXFRM': fails.push(...relationCheck(o, c.check, 'XFRM')); break;
      case 'HasXFRM_RPLC': fails.push(...relationCheck(o, c.check, 'XFRM_RPLC')); break;
      case 'DocumentEntries': {
        if (!resolveUseId) { fails.push('DocumentEntries: no UseId resolver'); break; }
        const want = (c.mustOnlyInclude ?? []).map((m) => ({ id: resolveUseId(m.useId), type: m.objectType }));
        const got = o.docs.map((d) => ({ id: d.getAttribute('id') ?? '', type: d.getAttribute('objectType') ?? '' }));
        const extra = got.filter((g) => !want.some((w) => w.id === g.id));
        const missing = want.filter((w) => !got.some((g) => g.id === w.id));
        const wrongType = want.filter((w) => w.type && got.some((g) => g.id === w.id && g.type !== w.type));
        if (extra.length || missing.length || wrongType.length) {
          fails.push(`DocumentEntries MustOnlyInclude: missing [${missing.map((m) => m.id).join(', ')}], unexpected [${extra.map((e) => e.id).join(', ')}]${wrongType.length ? `, wrong objectType for ${wrongType.map((w) => w.id).join(', ')}` : ''}`);
        }
        break;
      }
      default: fails.push(`ExpectedContents check "${c.check}" is not implemented by the runner`);
    }
  }
  return fails;
}

/**
 * The section log the asserts run over (ANALYSIS.md §6.3), shaped like the toolkit's log because some
 * asserts address it by path (`//TestStep[@id="x"]/StoredQueryTransaction/Result/...`, 12323):
 * TestPlan/TestStep[@id]/<transaction element>/{InputMetadata, Result}.
 */
export function sectionLogXml(log: Map<string, StepLog>): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const steps = [...log].map(([id, s]) => {
    const tx = s.transaction ?? 'NullTransaction';
    return `<TestStep id="${esc(id)}"><${tx}><InputMetadata>${s.request ?? ''}</InputMetadata><Result>${s.response ?? ''}</Result></${tx}></TestStep>`;
  });
  return `<TestPlan>${steps.join('')}</TestPlan>`;
}

export function checkAsserts(asserts: { id: string; xpath: string }[], logXml: string): string[] {
  const fails: string[] = [];
  for (const a of asserts) {
    let ok: boolean;
    try {
      ok = xpathBoolean(logXml, a.xpath);
    } catch (e) {
      fails.push(`assert ${a.id}: XPath error ${(e as Error).message}`);
      continue;
    }
    if (!ok) fails.push(`assert ${a.id} is false: ${a.xpath.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  return fails;
}

const UUID_URN = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const REGISTRY_OBJECTS = ['ExtrinsicObject', 'RegistryPackage', 'Association', 'Classification', 'ExternalIdentifier', 'ObjectRef'];

/**
 * The part of the toolkit's metadata validation of returned objects that the TF states plainly
 * (ANALYSIS.md §6.1, §8 "useful extra checks"): every object a registry returns carries its entryUUID /
 * id as a UUID URN (ITI TF-3 §4.2.3.2.8, §4.2.3.3.4, §4.1.12.1), and every DocumentEntry, SubmissionSet and
 * Folder has an availabilityStatus (ITI TF-3 §4.2.3.2.2, §4.2.3.3.2, §4.2.3.4.2).
 */
export function checkReturnedMetadata(bodyXml: string | undefined): string[] {
  if (!bodyXml) return [];
  const doc = parseXml(bodyXml, 'response body');
  const fails: string[] = [];
  for (const list of byLocalName(doc, 'RegistryObjectList')) {
    for (const name of REGISTRY_OBJECTS) {
      for (const el of byLocalName(list, name)) {
        const id = el.getAttribute('id') ?? '';
        if (!UUID_URN.test(id)) fails.push(`returned ${name} id "${id}" is not a UUID URN`);
        if ((name === 'ExtrinsicObject' || name === 'RegistryPackage') && !el.getAttribute('status')) fails.push(`returned ${name} ${id} has no status`);
      }
    }
  }
  return fails.slice(0, 3);
}
