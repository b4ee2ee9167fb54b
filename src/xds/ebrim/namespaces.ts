/** Namespaces of the ebXML RegRep 3.0 messages XDS.b uses (ITI TF-2a §3.18/§3.42, ITI TF-2b §3.43). */
export const NS = {
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  xdsb: 'urn:ihe:iti:xds-b:2007',
  xop: 'http://www.w3.org/2004/08/xop/include',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** RegistryResponse status URNs (ebRS 3.0 §2.1.4; PartialSuccess from ITI TF-3 §4.2.4.2). */
export const ResponseStatus = {
  Success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  Failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  PartialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
} as const;
export type ResponseStatusValue = (typeof ResponseStatus)[keyof typeof ResponseStatus];
