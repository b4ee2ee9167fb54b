/**
 * The development STS's key material: a local test CA and an STS signing certificate issued by it,
 * generated at first start under `<dataDir>/sts/` (issue #4: never committed). RSA keys come from
 * node:crypto; node-forge builds the X.509 certificates because node:crypto cannot issue them and the
 * `openssl` CLI is not on every image.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

export interface KeyAndCert {
  /** PKCS#8 PEM private key. */
  keyPem: string;
  /** X.509 certificate PEM. */
  certPem: string;
}

export interface TestCa {
  dir?: string;
  ca: KeyAndCert;
  /** The STS signing certificate: the one a hub trusts (XDS_TRUSTED_STS_CERTS). */
  sts: KeyAndCert;
  /** A client (holder-of-key / VOCES-like) certificate for IDWS requests in demos and tests. */
  client: KeyAndCert;
  /** The STS name written as saml:Issuer. */
  issuer: string;
}

export interface CertOptions {
  commonName: string;
  organisation?: string;
  /** CVR-style serialNumber attribute, as OCES certificates carry (e.g. "CVR:12345678-UID:..."). */
  serialNumberAttr?: string;
  notBefore?: Date;
  notAfter?: Date;
  isCa?: boolean;
  /** issuer key and cert; omitted = self-signed. */
  issuer?: KeyAndCert;
  keyBits?: number;
}

export const DEFAULT_TEST_STS_ISSUER = 'XDS-HUB-TEST-STS';

/** Generates an RSA key and an X.509 v3 certificate (self-signed or issued by `issuer`), SHA-256. */
export function createCertificate(opts: CertOptions): KeyAndCert {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: opts.keyBits ?? 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pubPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pubPem);
  // positive serial: first hex digit below 8
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 5 * 365 * 24 * 3600 * 1000);
  const subject: forge.pki.CertificateField[] = [
    { name: 'countryName', value: 'DK' },
    { name: 'organizationName', value: opts.organisation ?? 'xds-hub test' },
    { name: 'commonName', value: opts.commonName },
  ];
  if (opts.serialNumberAttr) subject.push({ name: 'serialNumber', value: opts.serialNumberAttr });
  cert.setSubject(subject);
  const issuerCert = opts.issuer ? forge.pki.certificateFromPem(opts.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: !!opts.isCa, critical: true },
    opts.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  cert.setExtensions(extensions);
  const signingKey = forge.pki.privateKeyFromPem(opts.issuer ? opts.issuer.keyPem : keyPem);
  cert.sign(signingKey, forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** A complete in-memory test CA (tests make a fresh one; nothing touches disk). */
export function createTestCa(issuer = DEFAULT_TEST_STS_ISSUER, keyBits = 2048): TestCa {
  const ca = createCertificate({ commonName: 'xds-hub Test CA', isCa: true, keyBits });
  const sts = createCertificate({ commonName: `${issuer} signing`, issuer: ca, serialNumberAttr: 'CVR:00000000-UID:STS', keyBits });
  const client = createCertificate({
    commonName: 'xds-hub test client (VOCES)',
    issuer: ca,
    serialNumberAttr: 'CVR:12345678-UID:CLIENT',
    keyBits,
  });
  return { ca, sts, client, issuer };
}

const FILES = {
  caKey: 'ca-key.pem',
  caCert: 'ca-cert.pem',
  stsKey: 'sts-key.pem',
  stsCert: 'sts-cert.pem',
  clientKey: 'client-key.pem',
  clientCert: 'client-cert.pem',
} as const;

/**
 * Loads the test CA from `dir` (normally `<dataDir>/sts`), generating and writing it on first start.
 * Private keys are written 0600. A certificate that has expired is regenerated with its key.
 */
export function loadOrCreateTestCa(dir: string, issuer = DEFAULT_TEST_STS_ISSUER): TestCa {
  const p = (f: string): string => path.join(dir, f);
  const all = Object.values(FILES).every((f) => fs.existsSync(p(f)));
  if (all) {
    const read = (f: string): string => fs.readFileSync(p(f), 'utf8');
    const loaded: TestCa = {
      dir,
      issuer,
      ca: { keyPem: read(FILES.caKey), certPem: read(FILES.caCert) },
      sts: { keyPem: read(FILES.stsKey), certPem: read(FILES.stsCert) },
      client: { keyPem: read(FILES.clientKey), certPem: read(FILES.clientCert) },
    };
    const stillValid = [loaded.ca, loaded.sts, loaded.client].every(
      (kc) => new Date(new X509Certificate(kc.certPem).validTo).getTime() > Date.now(),
    );
    if (stillValid) return loaded;
  }
  const fresh = { ...createTestCa(issuer), dir };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (f: string, s: string, mode: number): void => fs.writeFileSync(p(f), s, { mode });
  write(FILES.caKey, fresh.ca.keyPem, 0o600);
  write(FILES.caCert, fresh.ca.certPem, 0o644);
  write(FILES.stsKey, fresh.sts.keyPem, 0o600);
  write(FILES.stsCert, fresh.sts.certPem, 0o644);
  write(FILES.clientKey, fresh.client.keyPem, 0o600);
  write(FILES.clientCert, fresh.client.certPem, 0o644);
  return fresh;
}

/** The STS certificate file a hub should list in XDS_TRUSTED_STS_CERTS. */
export function stsCertificatePath(dir: string): string {
  return path.join(dir, FILES.stsCert);
}

/** The certificate's base64 DER (the ds:X509Certificate text). */
export function certBase64(certPem: string): string {
  return certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}
