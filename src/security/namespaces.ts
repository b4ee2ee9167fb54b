/**
 * Namespace URIs of the NSP security headers (dk-nsp.md §1.1, §1.7, §1.8; Seal `NameSpaces.java`).
 */
export const NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  medcom: 'http://www.medcom.dk/dgws/2006/04/dgws-1.0.xsd',
  sosi: 'http://www.sosi.dk/sosi/2006/04/sosi-1.0.xsd',
  hsuid2016: 'http://www.nsi.dk/hsuid/2016/08/hsuid-1.1.xsd',
  hsuid2013: 'http://www.nsi.dk/hsuid/2013/01/hsuid-1.1.xsd',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsa2004: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  /** Liberty ID-WSF SOAP binding framework header (OIO IDWS, Seal `LibertyMessageDOMEnhancer.java`). */
  sbf: 'urn:liberty:sb',
  sbfprofile: 'urn:liberty:sb:profile',
  wst: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
  wst2005: 'http://schemas.xmlsoap.org/ws/2005/02/trust',
  wst14: 'http://docs.oasis-open.org/ws-sx/ws-trust/200802',
  wsp: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xmlns: 'http://www.w3.org/2000/xmlns/',
} as const;

export const HSUID_NAMESPACES: readonly string[] = [NS.hsuid2016, NS.hsuid2013];

/** XML Signature algorithm URIs the stack accepts (dk-nsp.md §1.3: rsa-sha1 in DGWS 1.0.1, rsa-sha256 in OCES3). */
export const ALG = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

export const HOLDER_OF_KEY = 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key';
