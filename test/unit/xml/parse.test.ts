import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARDENED_PARSE_OPTIONS, parseXml, XmlParseError } from '../../../src/xml/parse.js';
import { ParseOption, XmlDocument } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { child, deepText } from '../../../src/xml/tree.js';

function parseError(input: string | Buffer, maxBytes?: number): XmlParseError {
  try {
    parseXml(input, { maxBytes });
  } catch (err) {
    expect(err).toBeInstanceOf(XmlParseError);
    return err as XmlParseError;
  }
  throw new Error('expected parseXml to throw');
}

describe('parseXml', () => {
  it('builds the plain tree with namespaces, attributes, text and CDATA', () => {
    const root = parseXml(
      '<r xmlns="u:d" xmlns:x="u:x" a="1" xml:lang="da" x:b="2">t&amp;<![CDATA[<c>]]><x:k id="7">v</x:k><k2/></r>',
    );
    expect(root.ns).toBe('u:d');
    expect(root.name).toBe('r');
    expect(root.attrs).toEqual({ a: '1' });
    expect(root.nsAttrs).toEqual({ '{http://www.w3.org/XML/1998/namespace}lang': 'da', '{u:x}b': '2' });
    expect(root.text).toBe('t&<c>');
    expect(root.children.map((c) => `${c.ns}|${c.name}`)).toEqual(['u:x|k', 'u:d|k2']);
    expect(child(root, 'u:x', 'k')?.attrs.id).toBe('7');
    expect(deepText(root)).toBe('t&<c>v');
  });

  it('copies attribute values and text as libxml2 resolved them (references, empty values, non-ASCII, long text)', () => {
    const long = 'x'.repeat(70_000);
    const root = parseXml(
      `<r a="&amp;&lt;&#x41;&#233;" e="" u="æøå ☃" xmlns:p="u:p" p:q="&quot;1&quot;"><s n="1">&#10;a&amp;b</s><s n="2"/><s n="3">${long}</s>ø<![CDATA[]]>z</r>`,
    );
    expect(root.attrs).toEqual({ a: '&<Aé', e: '', u: 'æøå ☃' });
    expect(root.nsAttrs).toEqual({ '{u:p}q': '"1"' });
    expect(root.children.map((c) => [c.name, c.attrs.n, c.text.length])).toEqual([
      ['s', '1', 4],
      ['s', '2', 0],
      ['s', '3', 70_000],
    ]);
    expect(root.children[0].text).toBe('\na&b');
    expect(root.text).toBe('øz');
  });

  it('accepts a Buffer with an encoding declaration', () => {
    const root = parseXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r>\xe6\xf8\xe5</r>', 'latin1'));
    expect(root.text).toBe('æøå');
  });

  it('refuses a document over the size limit before parsing', () => {
    const err = parseError('<r>' + 'x'.repeat(100) + '</r>', 50);
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/107 bytes exceeds the limit of 50 bytes/);
  });

  it('reports not well-formed input with line and column', () => {
    const err = parseError('<r>\n<a></r>');
    expect(err.kind).toBe('not-well-formed');
    expect(err.message).toMatch(/^XML is not well-formed: line 2/);
    expect(parseError('not xml at all').kind).toBe('not-well-formed');
    expect(parseError('').kind).toBe('empty');
  });

  it('does not expand an external entity (XXE) and refuses the DOCTYPE', () => {
    const err = parseError('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]><r>&e;</r>');
    expect(err.kind).toBe('dtd');
    expect(err.message).not.toContain(hostname());
  });

  it('defence in depth: the hardened libxml2 options alone neither expand XXE nor load an external DTD', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-xxe-'));
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'TOP-SECRET-42');
    fs.writeFileSync(path.join(dir, 'evil.dtd'), '<!ATTLIST r injected CDATA "from-dtd">');
    // A provider that CAN read the files (this test file runs in its own module graph), so the control
    // parse below proves the attack would work with unsafe options.
    xmlRegisterFsInputProviders();
    const xml = `<?xml version="1.0"?><!DOCTYPE r SYSTEM "file://${dir}/evil.dtd" [<!ENTITY e SYSTEM "file://${secret}">]><r>&e;</r>`;
    const contentWith = (option: number): { text: string; injected: string | undefined } => {
      const doc = XmlDocument.fromString(xml, { option });
      try {
        return { text: doc.root.content, injected: doc.root.attr('injected')?.value };
      } finally {
        doc.dispose();
      }
    };
    try {
      const unsafe = contentWith(ParseOption.XML_PARSE_NOENT | ParseOption.XML_PARSE_DTDATTR);
      expect(unsafe.text).toContain('TOP-SECRET-42');
      expect(unsafe.injected).toBe('from-dtd');
      const hardened = contentWith(HARDENED_PARSE_OPTIONS);
      expect(hardened.text).not.toContain('TOP-SECRET');
      expect(hardened.injected).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not load an external DTD', () => {
    const err = parseError('<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>');
    expect(err.kind).toBe('dtd');
  });

  it('refuses billion laughs', () => {
    const ents = ['<!ENTITY l0 "lol">'];
    for (let i = 1; i < 10; i++) ents.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
    const started = Date.now();
    const err = parseError(`<?xml version="1.0"?><!DOCTYPE r [${ents.join('')}]><r>&l9;</r>`);
    expect(['not-well-formed', 'dtd']).toContain(err.kind);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

function hostname(): string {
  // what an expanded entity would leak
  const h = fs.existsSync('/etc/hostname') ? fs.readFileSync('/etc/hostname', 'utf8').trim() : '';
  return h.length > 0 ? h : '\u0000never';
}

describe('parseXml limits', () => {
  it('accepts a text node over libxml2\'s 10 MB default (a large inline base64 document)', () => {
    const big = `<?xml version="1.0"?><!-- c --><r>${'QUFB'.repeat(4 * 1024 * 1024)}</r>`;
    expect(parseXml(big).text.length).toBe(16 * 1024 * 1024);
  });

  it('refuses a DOCTYPE found after comments and PIs, and a UTF-16 document with one', () => {
    expect(parseError('<?xml version="1.0"?>\n<!-- x --><?pi y?>\n<!DOCTYPE r><r/>').kind).toBe('dtd');
    const utf16 = Buffer.from('\uFEFF<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', 'utf16le');
    expect(parseError(utf16).kind).toBe('dtd');
    expect(parseXml(Buffer.from('\uFEFF<r>ok</r>', 'utf16le')).text).toBe('ok');
  });
});
