/**
 * Regenerates ihe-profiles/dk/codes/*.json from the MedCom DK-IHE metadata FSH sources
 * (../shared/dk/dk-ihe-metadata). Only active content counts: block comments are dropped, and from each
 * file the first ValueSet/CodeSystem definition (the "core" one) is taken.
 *
 *   npx tsx ihe-profiles/dk/tools/fsh-to-json.ts <dk-ihe-metadata dir>
 */
import fs from 'node:fs';
import path from 'node:path';

interface CodeEntry {
  code: string;
  scheme: string;
  display: string;
}

const srcDir = path.resolve(process.argv[2] ?? '../shared/dk/dk-ihe-metadata');
const outDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'codes');

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '');
}

const aliases = new Map<string, string>();
for (const line of fs.readFileSync(path.join(srcDir, 'Alias.fsh'), 'utf8').split('\n')) {
  const m = /^Alias:\s*(\$\S+)\s*=\s*(\S+)/.exec(line.trim());
  // XDS carries codingScheme as a bare OID (ITI TF-3 §4.2.3.1.2), FSH writes urn:oid:.
  if (m) aliases.set(m[1]!, m[2]!.replace(/^urn:oid:/, ''));
}

/** Reads the first definition of a .fsh file into code entries. */
function readFsh(file: string): { title: string; codes: CodeEntry[] } {
  const text = stripComments(fs.readFileSync(path.join(srcDir, file), 'utf8'));
  const defs = text.split(/^\s*(?=(?:ValueSet|CodeSystem):)/m).filter((d) => /^(ValueSet|CodeSystem):/.test(d));
  const def = defs[0]!;
  const title = /^Title:\s*"([^"]*)"/m.exec(def)?.[1] ?? file;
  const systemId = /\^identifier\.value\s*=\s*"([^"]+)"/.exec(def)?.[1];
  const codes: CodeEntry[] = [];
  for (const raw of def.split('\n')) {
    const line = raw.trim();
    const vs = /^\*\s*(\$\w+)#(\S+)\s+"([^"]*)"/.exec(line);
    if (vs) {
      const scheme = aliases.get(vs[1]!);
      if (!scheme) throw new Error(`${file}: unknown alias ${vs[1]}`);
      codes.push({ code: vs[2]!, scheme, display: vs[3]!.trim() });
      continue;
    }
    const cs = /^\*\s*#(\S+)\s+"([^"]*)"/.exec(line);
    if (cs && systemId) codes.push({ code: cs[1]!, scheme: systemId, display: cs[2]!.trim() });
  }
  return { title, codes };
}

function write(attribute: string, sources: string[]): void {
  const parts = sources.map(readFsh);
  const seen = new Set<string>();
  const codes = parts.flatMap((p) => p.codes).filter((c) => {
    const k = `${c.scheme}|${c.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const out = {
    attribute,
    title: parts.map((p) => p.title).join(' + '),
    source: sources.map((s) => `dk-ihe-metadata/${s}`),
    codes,
  };
  fs.writeFileSync(path.join(outDir, `${attribute}.json`), JSON.stringify(out, null, 2) + '\n');
  console.log(`${attribute}: ${codes.length} codes`);
}

write('classCode', ['CodeSystem.ClassCode.fsh']);
write('formatCode', ['CodeSystem.FormatCode.fsh']);
write('typeCode', ['ValueSet.TypeCode.fsh', 'CodeSystem.TypeCode.fsh']);
write('confidentialityCode', ['ValueSet.ConfidentialityCode.fsh']);
write('eventCodeList', ['ValueSet.EventCodeLists.fsh']);
write('healthcareFacilityTypeCode', ['ValueSet.HealthcareFacilityType.fsh']);
write('practiceSettingCode', ['ValueSet.PracticeSettingCode.fsh']);
