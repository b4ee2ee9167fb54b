/**
 * The outcome of a SOAP answer as the request log and the admin activity view report it (issue #8 "errors
 * by code"): the ebRS status (ITI TF-3 §4.2.4: Success / PartialSuccess / Failure), the RegistryError codes,
 * or the SOAP fault code. Read from the start of the envelope the endpoint sent: in ebRS 3.0 a
 * RegistryResponse's RegistryErrorList precedes any RegistryObjectList, so status and errors come first.
 */
export interface SoapOutcome {
  outcome?: string;
  errorCodes: string[];
}

/** The most of an answer read when it has no object list (e.g. a long error list). */
const MAX_SNIFF_CHARS = 256 * 1024;

export function sniffSoapResponse(answer: string): SoapOutcome {
  // Status and RegistryErrorList precede any RegistryObjectList: a query answer is read up to its objects,
  // so a large LeafClass answer costs no more to log than a small one.
  const objects = answer.indexOf('RegistryObjectList');
  const text = answer.slice(0, objects === -1 ? MAX_SNIFF_CHARS : Math.min(objects, MAX_SNIFF_CHARS));
  const errorCodes = [...text.matchAll(/\berrorCode="([^"]{1,200})"/g)].map((m) => m[1]);
  const status = /\bstatus="urn:(?:oasis:names:tc:ebxml-regrep:ResponseStatusType|ihe:iti:2007:ResponseStatusType):([A-Za-z]+)"/.exec(text);
  if (status) return { outcome: status[1], errorCodes };
  if (/<(?:[\w-]+:)?Fault[\s>]/.test(text)) {
    const code = /<(?:[\w-]+:)?(?:Subcode>\s*<(?:[\w-]+:)?Value|Value|faultcode)>([^<]{1,200})</.exec(text);
    return { outcome: 'Fault', errorCodes: code ? [`SOAP:${code[1].trim()}`] : ['SOAP:Fault'] };
  }
  return { errorCodes };
}
