/**
 * Loads a NIST XDS Toolkit test folder: index.idx (section order) and each section's testplan.xml,
 * into typed steps. Grammar: conformance ANALYSIS.md §2 (only the subset the corpus uses; anything
 * unknown inside a transaction is reported, never silently ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseXml, childElements, textOf, type Element } from './dom.js';

export interface UseId { testdir: string; step: string; section: string; id: string; symbol: string }
export interface UseReport { test?: string; section: string; step: string; reportName: string; useAs: string }
export interface ReportDef { name: string; section: string; xpath: string }
/** `DocumentEntries/MustOnlyInclude`: the returned DocumentEntries must be exactly these (12000.1a). */
export interface MustInclude { useId: UseId; objectType?: string }
export interface ContentCheck { check: string; count?: number; mustOnlyInclude?: MustInclude[] }
export interface AssertDef { id: string; xpath: string }
export interface ReferenceDocument { uid: string; file: string }

export interface Transaction {
  element: string;
  metadataFile?: string;
  documents: { id: string; file: string }[];
  flags: Set<string>;
  /** true = bare <NoAssignUids/>; otherwise the ids whose uniqueId is kept. */
  noAssignUidsAll: boolean;
  noAssignUidsIds: string[];
  useIds: UseId[];
  useReports: UseReport[];
  reports: ReportDef[];
  expectedContents: ContentCheck[];
  asserts: AssertDef[];
  referenceMetadata?: { testdir: string; step: string };
  referenceDocuments: ReferenceDocument[];
  expectedMimeType?: string;
  headers?: string;
  bodyFile?: string;
  parseMetadata: boolean;
  /** <WaitBefore>ms</WaitBefore>: pause before sending (12323 needs distinct lastUpdateTime values). */
  waitBeforeMs?: number;
  /** instructions the runner does not understand (reported as a failure of the step). */
  unknown: string[];
}

export interface Step {
  id: string;
  expectedStatus: string[];
  expectedErrorCode: string[];
  expectedErrorMessage: string[];
  altPatientId: boolean;
  newPatientId: boolean;
  tx?: Transaction;
}

export interface Section { name: string; dir: string; steps: Step[] }
export interface TestPlanSet {
  test: string;
  dir: string;
  sections: Section[];
  /** tests this one needs although no reference in its plans says so (lib/orchestration.ts). */
  extraDependencies?: string[];
}

const TX_ELEMENTS = new Set([
  'RegisterTransaction', 'ProvideAndRegisterTransaction', 'StoredQueryTransaction', 'RetrieveTransaction',
  'MuTransaction', 'RemoveMetadataTransaction', 'RdTransaction', 'MPQTransaction',
  'PatientIdentityFeedTransaction', 'HttpTransaction', 'NullTransaction',
]);

/** Flags: empty marker elements that only switch behaviour. */
const FLAG_ELEMENTS = new Set([
  'XDSb', 'AssignUuids', 'NoPatientId', 'NoMTOM', 'NoMetadata', 'CreateNewPatientId', 'CleanParams', 'SOAP11',
  'AssignNewUuid',
]);
/** Orchestration hints with no effect on a replay (ANALYSIS.md §2.2). */
const IGNORED_ELEMENTS = new Set(['InteractionSequence', 'Rule', 'Goal']);

export function readIndex(testDir: string): string[] {
  const file = path.join(testDir, 'index.idx');
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
}

export function loadTest(conformanceDir: string, test: string): TestPlanSet {
  const dir = path.join(conformanceDir, 'nist', test);
  if (!fs.existsSync(path.join(dir, 'index.idx'))) throw new Error(`no test folder ${dir} (index.idx missing)`);
  const sections = readIndex(dir).map((name) => loadSection(dir, test, name));
  return { test, dir, sections };
}

function loadSection(testDir: string, test: string, name: string): Section {
  const dir = path.join(testDir, name);
  const planFile = path.join(dir, 'testplan.xml');
  const doc = parseXml(fs.readFileSync(planFile, 'utf8'), `${test}/${name}/testplan.xml`);
  const root = doc.documentElement;
  if (!root || root.localName !== 'TestPlan') throw new Error(`${planFile}: root is not TestPlan`);
  const steps = childElements(root).filter((e) => e.localName === 'TestStep').map(parseStep);
  return { name, dir, steps };
}

function parseStep(el: Element): Step {
  const kids = childElements(el);
  const texts = (n: string): string[] => kids.filter((k) => k.localName === n).map((k) => textOf(k));
  const txEl = kids.find((k) => TX_ELEMENTS.has(k.localName ?? ''));
  return {
    id: el.getAttribute('id') ?? '',
    expectedStatus: texts('ExpectedStatus'),
    expectedErrorCode: texts('ExpectedErrorCode'),
    expectedErrorMessage: texts('ExpectedErrorMessage'),
    altPatientId: kids.some((k) => k.localName === 'AltPatientId'),
    newPatientId: kids.some((k) => k.localName === 'NewPatientId'),
    tx: txEl ? parseTransaction(txEl) : undefined,
  };
}

function attr(el: Element, name: string): string {
  return el.getAttribute(name) ?? '';
}

function parseTransaction(el: Element): Transaction {
  const tx: Transaction = {
    element: el.localName ?? '',
    documents: [], flags: new Set(), noAssignUidsAll: false, noAssignUidsIds: [], useIds: [], useReports: [],
    reports: [], expectedContents: [], asserts: [], referenceDocuments: [], parseMetadata: true, unknown: [],
  };
  for (const k of childElements(el)) {
    const n = k.localName ?? '';
    if (FLAG_ELEMENTS.has(n)) tx.flags.add(n);
    else if (IGNORED_ELEMENTS.has(n)) continue;
    else if (n === 'MetadataFile') tx.metadataFile = textOf(k);
    else if (n === 'WaitBefore') tx.waitBeforeMs = Number(textOf(k));
    else if (n === 'Document') tx.documents.push({ id: attr(k, 'id'), file: textOf(k) });
    else if (n === 'NoAssignUids') {
      const id = k.getAttribute('id');
      if (id) tx.noAssignUidsIds.push(id);
      else tx.noAssignUidsAll = true;
    } else if (n === 'UseId') {
      tx.useIds.push({ testdir: attr(k, 'testdir'), step: attr(k, 'step'), section: attr(k, 'section'), id: attr(k, 'id'), symbol: attr(k, 'symbol') });
    } else if (n === 'UseReport') {
      tx.useReports.push({ test: k.getAttribute('test') ?? undefined, section: attr(k, 'section'), step: attr(k, 'step'), reportName: attr(k, 'reportName'), useAs: attr(k, 'useAs') });
    } else if (n === 'Report') tx.reports.push({ name: attr(k, 'name'), section: attr(k, 'section'), xpath: textOf(k) });
    else if (n === 'ExpectedContents') tx.expectedContents.push(...parseContents(k));
    else if (n === 'Assertions') {
      for (const a of childElements(k)) {
        if (a.localName === 'Assert') tx.asserts.push({ id: attr(a, 'id'), xpath: textOf(a) });
        else if (a.localName === 'DataRef') {
          if (attr(a, 'file') !== 'THIS') tx.unknown.push(`DataRef file=${attr(a, 'file')}`);
        } else tx.unknown.push(`Assertions/${a.localName}`);
      }
    } else if (n === 'ReferenceMetadata') tx.referenceMetadata = { testdir: attr(k, 'testdir'), step: attr(k, 'step') };
    else if (n === 'ReferenceDocument') tx.referenceDocuments.push({ uid: attr(k, 'uid'), file: textOf(k) });
    else if (n === 'ExpectedMimeType') tx.expectedMimeType = textOf(k);
    else if (n === 'Headers') tx.headers = textOf(k);
    else if (n === 'BodyFile') tx.bodyFile = textOf(k);
    else if (n === 'ParseMetadata') tx.parseMetadata = textOf(k).toLowerCase() !== 'false';
    else tx.unknown.push(n);
  }
  return tx;
}

/** ExpectedContents children (ANALYSIS.md §6.2); nested checks such as DocumentEntries keep their name only. */
function parseContents(el: Element): ContentCheck[] {
  return childElements(el).map((c) => {
    if (c.localName === 'DocumentEntries') return { check: 'DocumentEntries', mustOnlyInclude: parseMustOnlyInclude(c) };
    const count = c.getAttribute('count');
    return { check: c.localName ?? '', count: count === null || count === '' ? undefined : Number(count) };
  });
}

function parseMustOnlyInclude(el: Element): MustInclude[] {
  const out: MustInclude[] = [];
  for (const m of childElements(el)) {
    if (m.localName !== 'MustOnlyInclude') throw new Error(`DocumentEntries/${m.localName} is not supported by the runner`);
    for (const de of childElements(m)) {
      const u = childElements(de).find((x) => x.localName === 'UseId');
      if (de.localName !== 'DocumentEntry' || !u) throw new Error('DocumentEntries/MustOnlyInclude expects DocumentEntry elements with a UseId');
      const type = childElements(de).find((x) => x.localName === 'DocumentEntryType');
      out.push({
        useId: { testdir: attr(u, 'testdir'), step: attr(u, 'step'), section: attr(u, 'section'), id: attr(u, 'id'), symbol: attr(u, 'symbol') },
        objectType: type ? textOf(type) : undefined,
      });
    }
  }
  return out;
}
