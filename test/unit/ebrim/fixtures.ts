/** Shared test inputs: the official IHE samples and NIST metadata from $XDS_CONFORMANCE_DIR. */
import fs from 'node:fs';
import path from 'node:path';
import { parseXml } from '../../../src/xml/parse.js';
import type { XmlElement } from '../../../src/xml/tree.js';

export const CONFORMANCE_DIR = process.env.XDS_CONFORMANCE_DIR ?? path.resolve('../shared/conformance');
export const hasConformance = fs.existsSync(CONFORMANCE_DIR);

export function readConformance(rel: string): string {
  return fs.readFileSync(path.join(CONFORMANCE_DIR, rel), 'utf8');
}

/** Parses a conformance file after replacing NIST placeholders ($patientid$ ...) with concrete values. */
export function conformanceXml(rel: string, bindings: Record<string, string> = {}): XmlElement {
  let text = readConformance(rel);
  for (const [k, v] of Object.entries(bindings)) text = text.split(k).join(v);
  return parseXml(text);
}

export const PATIENT = 'P20261128.1^^^&amp;1.3.6.1.4.1.21367.2005.13.20.1000&amp;ISO';
