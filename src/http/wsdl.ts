/**
 * Serves the official IHE WSDL of an endpoint (`GET <endpoint>?wsdl`) with its soap:address /
 * soap12:address location rewritten to this server, and the XSDs it imports (`GET <endpoint>?xsd=<path>`),
 * each with its schemaLocation references rewritten to that same `?xsd=` form. Only files inside the
 * schemas folder are ever served.
 */
import fs from 'node:fs';
import path from 'node:path';

const XML_XSD_URL = 'http://www.w3.org/2001/xml.xsd';

export class WsdlFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WsdlFileError';
  }
}

/** A path relative to `schemasDir` with forward slashes, or undefined when it leaves the folder. */
export function schemaRelative(schemasDir: string, file: string): string | undefined {
  const resolved = path.resolve(file);
  if (!resolved.startsWith(path.resolve(schemasDir) + path.sep)) return undefined;
  return path.relative(schemasDir, resolved).split(path.sep).join('/');
}

function escapeAttrValue(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Rewrites `schemaLocation="..."` values (relative to `file`) to `${endpointUrl}?xsd=<relative path>`;
 * the remote xml.xsd import becomes the local copy.
 */
function rewriteSchemaLocations(text: string, schemasDir: string, file: string, endpointUrl: string): string {
  return text.replace(/schemaLocation\s*=\s*(["'])([^"']*)\1/g, (whole, _q: string, loc: string) => {
    const target = loc === XML_XSD_URL ? path.join(schemasDir, 'w3', 'xml.xsd') : path.resolve(path.dirname(file), loc);
    const rel = /^[a-z][a-z0-9+.-]*:/i.test(loc) && loc !== XML_XSD_URL ? undefined : schemaRelative(schemasDir, target);
    if (rel === undefined) return whole;
    return `schemaLocation="${escapeAttrValue(`${endpointUrl}?xsd=${encodeURIComponent(rel)}`)}"`;
  });
}

/** The WSDL text with its service address and schema locations pointing at `endpointUrl`. */
export function renderWsdl(schemasDir: string, wsdlFile: string, endpointUrl: string): string {
  if (schemaRelative(schemasDir, wsdlFile) === undefined) throw new WsdlFileError(`WSDL ${wsdlFile} is outside ${schemasDir}`);
  const text = fs.readFileSync(wsdlFile, 'utf8');
  const addressed = text.replace(
    /(<(?:[A-Za-z_][\w.-]*:)?address\b[^>]*?\blocation\s*=\s*)(["'])[^"']*\2/g,
    (_m, head: string) => `${head}"${escapeAttrValue(endpointUrl)}"`,
  );
  return rewriteSchemaLocations(addressed, schemasDir, wsdlFile, endpointUrl);
}

/**
 * An imported XSD by its path relative to the schemas folder, or undefined when the path is not an .xsd
 * file inside the folder.
 */
export function renderXsd(schemasDir: string, relative: string, endpointUrl: string): string | undefined {
  if (!/^[\w./-]+\.xsd$/.test(relative)) return undefined;
  const file = path.resolve(schemasDir, relative);
  if (schemaRelative(schemasDir, file) === undefined || !fs.existsSync(file)) return undefined;
  return rewriteSchemaLocations(fs.readFileSync(file, 'utf8'), schemasDir, file, endpointUrl);
}
