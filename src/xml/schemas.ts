/**
 * The official XDS.b schemas (vendored in schemas/, see schemas/README.md), compiled ONCE at start-up into
 * libxml2-wasm XsdValidators and reused for every request (dependencies.md §11: recompiling per call is
 * what made libxmljs2 sixteen times slower).
 *
 * - 'registry'   ebRS 3.0 lcm + query + rs: the bodies of ITI-18, ITI-42, ITI-57, ITI-62 and their responses.
 * - 'repository' IHE XDS.b_DocumentRepository.xsd (imports all of ebRS): ITI-41, ITI-43.
 * - 'rmd'        IHE RMD.xsd: ITI-86 RemoveDocumentsRequest.
 * - 'minlog2'    NSP MinLog2 minlog2-registration_20250312.xsd: AddRegistrations RegistrationRequest/Response
 *                (self-contained, no imports; under 2 ms to compile, 0.7 ms warm).
 *
 * The schemas import each other relatively, and rim.xsd imports http://www.w3.org/2001/xml.xsd: an input
 * provider serves exactly the files under the schemas folder and maps that one URL to schemas/w3/xml.xsd.
 * Nothing else can be loaded (no network, no file outside the folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { XmlDocument, XmlElement as LxElement, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';
import type { SchemaName } from '../xds/transactions/descriptor.js';
import type { XmlElement } from './tree.js';
import { describeLibxmlError, rootOf, toTree, withXmlDocument, type ParseXmlOptions } from './parse.js';

export type CompiledSchemaName = Exclude<SchemaName, 'none'>;

const XML_XSD_URL = 'http://www.w3.org/2001/xml.xsd';
const XOP_NS = 'http://www.w3.org/2004/08/xop/include';

export const NS = {
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  xdsb: 'urn:ihe:iti:xds-b:2007',
  rmd: 'urn:ihe:iti:rmd:2017',
  minlog2: 'http://www.sundhedsdatastyrelsen.dk/minlog/xml.schema/2025/03/12/minlog2-registration.xsd',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
} as const;

/** Which element of the parsed document is validated. */
export type ValidationTarget = 'root' | 'soap-body';

export interface ValidateOptions extends ParseXmlOptions {
  /** 'soap-body': the document is a SOAP envelope and its Body's child is validated (default 'root'). */
  target?: ValidationTarget;
  /**
   * Remove xop:Include elements before validating (default true). XOP 1.0 §3: an Include stands for the
   * base64 content of its parent (an xs:base64Binary element such as xdsb:Document), which the schema
   * would otherwise refuse as element content in a simple type.
   */
  stripXopIncludes?: boolean;
}

export interface ParsedAndValidated {
  /** the whole document as a plain tree. */
  root: XmlElement;
  /** the schema chosen by `pick` (undefined: nothing validated). */
  schema?: SchemaName;
  /** schema messages, empty when valid or not validated. */
  errors: string[];
}

export interface SchemaSet {
  readonly dir: string;
  /** Validates a document (or, with target 'soap-body', an envelope's body child). Empty = valid. */
  validate(name: SchemaName, xml: Buffer | string, opts?: ValidateOptions): string[];
  /** Picks the schema by the (body child's) root element namespace; for tests and the conformance runner. */
  validateAny(xml: Buffer | string, opts?: ParseXmlOptions): string[];
  /**
   * One parse for the SOAP pipeline: builds the tree, lets `pick` choose the schema from it (dispatch by
   * action happens there), then validates the target element of the same libxml2 document.
   */
  parseAndValidate(
    xml: Buffer | string,
    opts: ValidateOptions,
    pick: (root: XmlElement) => SchemaName | undefined,
  ): ParsedAndValidated;
  /** Releases the compiled validators (wasm memory). */
  dispose(): void;
}

/** Raised at start-up when the schema folder is incomplete or a schema does not compile. */
export class SchemaSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaSetError';
  }
}

/** The entry document of each set, written as an importing wrapper where a set spans several namespaces. */
function entrySchemas(dir: string): Record<CompiledSchemaName, { url: string; text?: string }> {
  const ebrs = 'ihe/schema/ebRS';
  return {
    registry: {
      url: path.join(dir, '.registry-set.xsd'),
      text: `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="${NS.lcm}" schemaLocation="${ebrs}/lcm.xsd"/>
  <xs:import namespace="${NS.query}" schemaLocation="${ebrs}/query.xsd"/>
  <xs:import namespace="${NS.rs}" schemaLocation="${ebrs}/rs.xsd"/>
</xs:schema>`,
    },
    repository: { url: path.join(dir, 'ihe/schema/IHE/XDS.b_DocumentRepository.xsd') },
    rmd: { url: path.join(dir, 'ihe-rmd/schema/IHE/RMD.xsd') },
    minlog2: { url: path.join(dir, 'nsp/minlog2/xsd/minlog2-registration_20250312.xsd') },
  };
}

/** Resolves a libxml2 resource name to a file inside `dir`, or undefined when it must be refused. */
export function resolveSchemaResource(dir: string, name: string): string | undefined {
  if (name === XML_XSD_URL) return path.join(dir, 'w3', 'xml.xsd');
  let p = name;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      return undefined;
    }
  }
  if (!path.isAbsolute(p)) return undefined;
  const resolved = path.resolve(p);
  return resolved.startsWith(dir + path.sep) ? resolved : undefined;
}

/*
 * libxml2 keeps input providers in a process-wide table of about nine slots that cannot be unregistered
 * one by one (xmlRegisterInputProvider returns false when it is full). So this module registers ONE
 * provider, once, and points it at the folder of the schema set being compiled. Compilation is
 * synchronous and validators never load files afterwards, so outside createSchemaSet the provider serves
 * nothing at all. This is the only module-level state in src/xml, forced by the library's global table.
 */
const schemaProvider: { dir: string | undefined; registered: boolean } = { dir: undefined, registered: false };

function ensureProviderRegistered(): void {
  if (schemaProvider.registered) return;
  const ok = xmlRegisterInputProvider({
    match: (name) => schemaProvider.dir !== undefined && resolveSchemaResource(schemaProvider.dir, name) !== undefined,
    open: (name) => {
      const file = schemaProvider.dir === undefined ? undefined : resolveSchemaResource(schemaProvider.dir, name);
      if (file === undefined) return undefined;
      try {
        return fs.openSync(file, 'r');
      } catch {
        return undefined;
      }
    },
    read: (fd, buf) => {
      try {
        return fs.readSync(fd, buf, 0, buf.byteLength, null);
      } catch {
        return -1;
      }
    },
    close: (fd) => {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed: nothing to release
      }
      return true;
    },
  });
  if (!ok) throw new SchemaSetError('libxml2 refused to register the schema input provider (its provider table is full)');
  schemaProvider.registered = true;
}

export function createSchemaSet(schemasDir: string): SchemaSet {
  const dir = path.resolve(schemasDir);
  if (!fs.existsSync(path.join(dir, 'w3', 'xml.xsd'))) {
    throw new SchemaSetError(`schema folder ${dir} is incomplete: w3/xml.xsd is missing`);
  }
  let disposed = false;
  const validators = new Map<CompiledSchemaName, XsdValidator>();
  ensureProviderRegistered();
  schemaProvider.dir = dir;
  try {
    for (const [name, entry] of Object.entries(entrySchemas(dir)) as [CompiledSchemaName, { url: string; text?: string }][]) {
      let doc: XmlDocument;
      try {
        doc = entry.text !== undefined
          ? XmlDocument.fromString(entry.text, { url: entry.url })
          : XmlDocument.fromBuffer(fs.readFileSync(entry.url), { url: entry.url });
      } catch (err) {
        throw new SchemaSetError(`cannot read schema '${name}' (${entry.url}): ${describeLibxmlError(err)}`);
      }
      try {
        validators.set(name, XsdValidator.fromDoc(doc));
      } catch (err) {
        throw new SchemaSetError(`schema '${name}' does not compile: ${describeLibxmlError(err)}`);
      } finally {
        doc.dispose();
      }
    }
  } catch (err) {
    for (const v of validators.values()) v.dispose();
    disposed = true;
    throw err;
  } finally {
    schemaProvider.dir = undefined;
  }

  const validatorFor = (name: SchemaName): XsdValidator | undefined => {
    if (disposed) throw new SchemaSetError('schema set is disposed');
    if (name === 'none') return undefined;
    const v = validators.get(name);
    if (!v) throw new SchemaSetError(`unknown schema set '${name}'`);
    return v;
  };

  const validateElement = (name: SchemaName, el: LxElement, removeXop: boolean): string[] => {
    const v = validatorFor(name);
    if (!v) return [];
    if (removeXop) for (const inc of el.find('.//xop:Include', { xop: XOP_NS })) inc.remove();
    try {
      v.validate(el);
      return [];
    } catch (err) {
      return validationMessages(err);
    }
  };

  const set: SchemaSet = {
    dir,
    validate(name, xml, opts = {}) {
      return withXmlDocument(xml, opts, (doc) =>
        validateElement(name, targetElement(rootOf(doc), opts.target ?? 'root'), stripXop(xml, opts.stripXopIncludes)),
      );
    },
    validateAny(xml, opts = {}) {
      return withXmlDocument(xml, opts, (doc) => {
        const root = rootOf(doc);
        const target = isEnvelope(root) ? targetElement(root, 'soap-body') : root;
        const name = schemaForNamespace(target.namespaceUri ?? '');
        if (!name) return [`no schema known for root element {${target.namespaceUri ?? ''}}${target.name}`];
        return validateElement(name, target, stripXop(xml, true));
      });
    },
    parseAndValidate(xml, opts, pick) {
      return withXmlDocument(xml, opts, (doc) => {
        const nativeRoot = rootOf(doc);
        const root = toTree(nativeRoot);
        const schema = pick(root);
        if (schema === undefined || schema === 'none') return { root, schema, errors: [] };
        const target = targetElement(nativeRoot, opts.target ?? 'root');
        return { root, schema, errors: validateElement(schema, target, stripXop(xml, opts.stripXopIncludes)) };
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of validators.values()) v.dispose();
      validators.clear();
    },
  };
  return set;
}

/** Whether xop:Include elements must be removed: requested (default) and the XOP namespace occurs at all. */
function stripXop(xml: Buffer | string, requested: boolean | undefined): boolean {
  return (requested ?? true) && xml.includes(XOP_NS);
}

function isEnvelope(el: LxElement): boolean {
  return el.name === 'Envelope' && (el.namespaceUri === NS.soap11 || el.namespaceUri === NS.soap12);
}

/** The element to validate: the root, or the first element child of the envelope's Body. */
function targetElement(root: LxElement, target: ValidationTarget): LxElement {
  if (target === 'root') return root;
  if (!isEnvelope(root)) throw new SchemaSetError(`expected a SOAP Envelope, found ${root.name}`);
  const body = firstElementChild(root, (e) => e.name === 'Body' && e.namespaceUri === root.namespaceUri);
  const child = body && firstElementChild(body, () => true);
  if (!child) throw new SchemaSetError('the SOAP Body has no child element to validate');
  return child;
}

function firstElementChild(el: LxElement, accept: (e: LxElement) => boolean): LxElement | undefined {
  for (let n = el.firstChild; n !== null; n = n.next) {
    if (n instanceof LxElement && accept(n)) return n;
  }
  return undefined;
}

/** The schema set that declares elements of this namespace. */
export function schemaForNamespace(ns: string): CompiledSchemaName | undefined {
  switch (ns) {
    case NS.lcm:
    case NS.query:
    case NS.rs:
      return 'registry';
    case NS.xdsb:
      return 'repository';
    case NS.rmd:
      return 'rmd';
    case NS.minlog2:
      return 'minlog2';
    default:
      return undefined;
  }
}

/** libxml2 validation details as "line L: message" strings. */
function validationMessages(err: unknown): string[] {
  const details = (err as { details?: { message: string; line: number }[] }).details;
  if (details && details.length > 0) {
    return details.map((d) => (d.line > 0 ? `line ${d.line}: ${d.message.trim()}` : d.message.trim()));
  }
  return [describeLibxmlError(err)];
}
