/**
 * The configured trusted STS certificates (XDS_TRUSTED_STS_CERTS). ID card and IDWS token signatures are
 * checked against these keys only; a certificate in the message's KeyInfo is used solely to pick which
 * trusted key to try and, when it is not one of them, to answer invalid_certificate (issue #4).
 */
import { X509Certificate } from 'node:crypto';

export interface TrustedCertificate {
  pem: string;
  x509: X509Certificate;
  /** base64 DER without whitespace, as it appears in ds:X509Certificate. */
  derBase64: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface TrustStore {
  readonly certificates: readonly TrustedCertificate[];
  /** The trusted certificate whose DER equals this ds:X509Certificate text, if any. */
  byDerBase64(b64: string): TrustedCertificate | undefined;
}

/** Splits PEM text (one or many certificates per string) into single certificate PEMs. */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export function createTrustStore(pems: readonly string[]): TrustStore {
  const certificates: TrustedCertificate[] = pems.flatMap(splitPem).map((pem) => {
    const x509 = new X509Certificate(pem);
    return {
      pem,
      x509,
      derBase64: x509.raw.toString('base64'),
      subject: x509.subject.replace(/\n/g, ', '),
      notBefore: new Date(x509.validFrom),
      notAfter: new Date(x509.validTo),
    };
  });
  const byDer = new Map(certificates.map((c) => [c.derBase64, c]));
  return {
    certificates,
    byDerBase64: (b64) => byDer.get(b64.replace(/\s+/g, '')),
  };
}
