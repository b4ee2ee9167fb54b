import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaSet, resolveSchemaResource, SchemaSetError } from '../../../src/xml/schemas.js';
import { XmlParseError } from '../../../src/xml/parse.js';

const schemasDir = path.resolve('schemas');
const examples = '/work/shared/conformance/ihe-examples';
const conformanceDir = process.env.XDS_CONFORMANCE_DIR ?? '/work/shared/conformance';
const haveExamples = fs.existsSync(path.join(conformanceDir, 'ihe-examples'));
const example = (p: string): Buffer => fs.readFileSync(path.join(conformanceDir, 'ihe-examples', p));

const set = createSchemaSet(schemasDir);
afterAll(() => set.dispose());

const PNR_MIN = `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="urn:ihe:iti:xds-b:2007"
  xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
  <lcm:SubmitObjectsRequest><rim:RegistryObjectList/></lcm:SubmitObjectsRequest>
  <xdsb:Document id="Document01">aGVsbG8=</xdsb:Document>
</xdsb:ProvideAndRegisterDocumentSetRequest>`;

const QUERY_MIN = `<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
  xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
  <query:ResponseOption returnType="LeafClass" returnComposedObjects="true"/>
  <rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"/>
</query:AdhocQueryRequest>`;

describe('createSchemaSet', () => {
  it('validates a minimal P&R against the repository schema and a query against the registry schema', () => {
    expect(set.validate('repository', PNR_MIN)).toEqual([]);
    expect(set.validate('registry', QUERY_MIN)).toEqual([]);
    expect(set.validate('none', 'anything goes <r/>'.slice(13))).toEqual([]);
  });

  it('names the problem when one element is wrong', () => {
    const bad = PNR_MIN.replace('<xdsb:Document id="Document01">aGVsbG8=</xdsb:Document>', '<xdsb:Documnt id="Document01">x</xdsb:Documnt>');
    const errors = set.validate('repository', bad);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/line 4: Element '\{urn:ihe:iti:xds-b:2007\}Documnt': This element is not expected/);
    const badAttr = QUERY_MIN.replace('returnType="LeafClass"', 'returnType="Leaf"');
    expect(set.validate('registry', badAttr).join()).toMatch(/returnType.*Leaf/);
  });

  it('validates an MTOM body: xop:Include stands for the base64 content (XOP 1.0 §3)', () => {
    const xop = PNR_MIN.replace('aGVsbG8=', '<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:1.doc@x"/>');
    expect(set.validate('repository', xop)).toEqual([]);
    expect(set.validate('repository', xop, { stripXopIncludes: false })[0]).toMatch(/Element content is not allowed|not expected/);
  });

  it('refuses a root element the schema set does not declare', () => {
    expect(set.validate('registry', PNR_MIN)[0]).toMatch(/No matching global declaration/);
  });

  it('validates the body child of a SOAP envelope', () => {
    const env = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header/><s:Body>${QUERY_MIN}</s:Body></s:Envelope>`;
    expect(set.validate('registry', env, { target: 'soap-body' })).toEqual([]);
    const bad = env.replace('<rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"/>', '');
    expect(set.validate('registry', bad, { target: 'soap-body' })[0]).toMatch(/Missing child element/);
    expect(() => set.validate('registry', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>', { target: 'soap-body' })).toThrow(SchemaSetError);
  });

  it('parseAndValidate builds the tree and validates the schema picked from it', () => {
    const env = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${PNR_MIN}</s:Body></s:Envelope>`;
    const seen: string[] = [];
    const r = set.parseAndValidate(env, { target: 'soap-body' }, (root) => {
      seen.push(root.children[0].children[0].name);
      return 'repository';
    });
    expect(seen).toEqual(['ProvideAndRegisterDocumentSetRequest']);
    expect(r.errors).toEqual([]);
    expect(r.root.name).toBe('Envelope');
    const skipped = set.parseAndValidate(env, { target: 'soap-body' }, () => undefined);
    expect(skipped.schema).toBeUndefined();
    const wrong = set.parseAndValidate(env, { target: 'soap-body' }, () => 'registry');
    expect(wrong.errors[0]).toMatch(/No matching global declaration/);
  });

  it('applies the size limit and the hardened parser', () => {
    expect(() => set.validate('registry', QUERY_MIN, { maxBytes: 10 })).toThrow(XmlParseError);
    expect(() => set.validate('registry', '<!DOCTYPE r><r/>')).toThrow(/DOCTYPE/);
  });

  it('validateAny picks the schema by the root namespace, inside or outside an envelope', () => {
    expect(set.validateAny(PNR_MIN)).toEqual([]);
    expect(set.validateAny('<x:Foo xmlns:x="urn:other"/>')[0]).toMatch(/no schema known for root element \{urn:other\}Foo/);
    const rs = '<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/>';
    expect(set.validateAny(rs)).toEqual([]);
    expect(set.validateAny(rs.replace(' status=', ' statuz=')).join('\n')).toMatch(/'statuz' is not allowed/);
  });

  it.skipIf(!haveExamples)('accepts every official IHE XDS.b sample message', () => {
    const dir = path.join(conformanceDir, 'ihe-examples', 'XDS.b');
    for (const f of fs.readdirSync(dir)) {
      expect([f, set.validateAny(example(`XDS.b/${f}`))]).toEqual([f, []]);
    }
    expect(set.validate('rmd', example('RMD/RemoveDocumentsRequest.xml'))).toEqual([]);
  });

  it('serves only files under the schemas folder to libxml2', () => {
    expect(resolveSchemaResource(schemasDir, 'http://www.w3.org/2001/xml.xsd')).toBe(path.join(schemasDir, 'w3', 'xml.xsd'));
    expect(resolveSchemaResource(schemasDir, path.join(schemasDir, 'ihe/schema/ebRS/rim.xsd'))).toBeDefined();
    expect(resolveSchemaResource(schemasDir, `file://${schemasDir}/ihe/schema/ebRS/rs.xsd`)).toBeDefined();
    expect(resolveSchemaResource(schemasDir, path.join(schemasDir, '../package.json'))).toBeUndefined();
    expect(resolveSchemaResource(schemasDir, '/etc/passwd')).toBeUndefined();
    expect(resolveSchemaResource(schemasDir, 'http://example.org/evil.xsd')).toBeUndefined();
    expect(resolveSchemaResource(schemasDir, 'relative.xsd')).toBeUndefined();
  });

  it('fails at start-up when a schema imports a file outside the folder', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-schemas-'));
    try {
      fs.cpSync(schemasDir, tmp, { recursive: true });
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-outside-'));
      // a readable, valid schema: only the input provider's refusal can make the import fail
      fs.cpSync(path.join(schemasDir, 'ihe-rmd/schema'), outside, { recursive: true });
      const rmd = path.join(tmp, 'ihe-rmd/schema/IHE/RMD.xsd');
      fs.writeFileSync(rmd, fs.readFileSync(rmd, 'utf8').replace('schemaLocation="XDSb.xsd"', `schemaLocation="${outside}/IHE/XDSb.xsd"`));
      expect(() => createSchemaSet(tmp)).toThrow(SchemaSetError);
      fs.rmSync(outside, { recursive: true, force: true });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses an incomplete folder', () => {
    expect(() => createSchemaSet(os.tmpdir())).toThrow(/incomplete/);
  });
});
void examples;

describe('many schema sets in one process', () => {
  it('compiles more sets than libxml2 has input-provider slots (one shared provider)', () => {
    for (let i = 0; i < 20; i++) {
      const s = createSchemaSet(schemasDir);
      expect(s.validate('registry', QUERY_MIN)).toEqual([]);
      s.dispose();
    }
    expect(set.validate('registry', QUERY_MIN)).toEqual([]);
  });
});
