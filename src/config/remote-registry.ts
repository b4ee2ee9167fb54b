/**
 * How a repository authenticates to a remote registry (XDS_REMOTE_REGISTRY_URL): the STS and the
 * VOCES/FOCES system certificate for the DGWS system ID card (dk-nsp.md §1.2, §1.8) that every forwarded
 * ITI-42 carries. Read and checked once at start-up, so a wrong path, a key that does not match the
 * certificate or an expired certificate stops the hub with a ConfigError naming the variable, instead of
 * failing every ITI-41 later.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SystemIdCardSettings } from '../services/sts/system-id-card.js';
import { ConfigError } from './config.js';

/** Every variable of this group; any one of them set means "credentials wanted". */
export const REMOTE_REGISTRY_CREDENTIAL_VARIABLES = [
  'XDS_REMOTE_REGISTRY_STS_URL',
  'XDS_REMOTE_REGISTRY_CERT',
  'XDS_REMOTE_REGISTRY_KEY',
  'XDS_REMOTE_REGISTRY_KEY_PASSPHRASE',
  'XDS_REMOTE_REGISTRY_SYSTEM_NAME',
  'XDS_REMOTE_REGISTRY_CVR',
  'XDS_REMOTE_REGISTRY_ORGANISATION',
  'XDS_REMOTE_REGISTRY_CARD_RENEW_SECONDS',
] as const;

const REQUIRED = ['XDS_REMOTE_REGISTRY_STS_URL', 'XDS_REMOTE_REGISTRY_CERT', 'XDS_REMOTE_REGISTRY_KEY'] as const;

export const DEFAULT_REMOTE_REGISTRY_SYSTEM_NAME = 'xds-hub';
export const DEFAULT_CARD_RENEW_SECONDS = 300;

function readFile(variable: string, file: string): string {
  const resolved = path.resolve(file);
  try {
    return fs.readFileSync(resolved, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${variable}: cannot read ${resolved}${code ? ` (${code})` : ''}`);
  }
}

/**
 * The CVR number an OCES certificate names: OCES2 VOCES/FOCES subjects carry serialNumber
 * "CVR:12345678-UID:…", OCES3 organisation certificates organizationIdentifier "NTRDK-12345678".
 */
export function certificateCvr(cert: X509Certificate): string | undefined {
  const m = /(?:^|\n)serialNumber=[^\n]*?CVR:(\d{8})/.exec(cert.subject) ?? /(?:^|\n)(?:organizationIdentifier|2\.5\.4\.97)=NTRDK-(\d{8})/.exec(cert.subject);
  return m?.[1];
}

function certificateOrganisation(cert: X509Certificate): string | undefined {
  return /(?:^|\n)O=([^\n]+)/.exec(cert.subject)?.[1]?.trim() || undefined;
}

/**
 * The credentials from the environment, undefined when none of the variables is set (the client then
 * sends ITI-42 without a security header and warns at start-up unless XDS_INSECURE_DEV).
 */
export function remoteRegistryCredentialsFromEnv(
  env: NodeJS.ProcessEnv,
  remoteRegistryUrl: string | undefined,
  now: Date = new Date(),
): SystemIdCardSettings | undefined {
  const v = (name: string): string | undefined => env[name]?.trim() || undefined;
  const given = REMOTE_REGISTRY_CREDENTIAL_VARIABLES.filter((n) => v(n) !== undefined);
  if (given.length === 0) return undefined;
  if (!remoteRegistryUrl) throw new ConfigError(`${given.join(', ')} only apply with XDS_REMOTE_REGISTRY_URL, which is not set`);
  const missing = REQUIRED.filter((n) => v(n) === undefined);
  if (missing.length > 0) throw new ConfigError(`the remote registry credentials need ${missing.join(', ')} as well (set: ${given.join(', ')})`);

  const stsUrl = v('XDS_REMOTE_REGISTRY_STS_URL')!;
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(stsUrl);
  } catch {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_STS_URL must be an http(s) URL, got "${stsUrl}"`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_STS_URL must be an http(s) URL, got "${stsUrl}"`);
  }

  const certFile = v('XDS_REMOTE_REGISTRY_CERT')!;
  const certText = readFile('XDS_REMOTE_REGISTRY_CERT', certFile);
  let cert: X509Certificate;
  try {
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(certText)?.[0];
    if (!pem) throw new Error('no "-----BEGIN CERTIFICATE-----" block');
    cert = new X509Certificate(pem);
  } catch (err) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_CERT: ${path.resolve(certFile)} holds no PEM certificate: ${(err as Error).message}`);
  }
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_CERT: the certificate ${cert.subject.replace(/\n/g, ', ')} expired on ${new Date(cert.validTo).toISOString()}`);
  }
  if (new Date(cert.validFrom).getTime() > now.getTime()) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_CERT: the certificate ${cert.subject.replace(/\n/g, ', ')} is not valid before ${new Date(cert.validFrom).toISOString()}`);
  }

  const keyFile = v('XDS_REMOTE_REGISTRY_KEY')!;
  const keyText = readFile('XDS_REMOTE_REGISTRY_KEY', keyFile);
  const passphrase = env.XDS_REMOTE_REGISTRY_KEY_PASSPHRASE || undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: keyText, format: 'pem' } : { key: keyText, format: 'pem', passphrase });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const encrypted = /ENCRYPTED/.test(keyText) || e.code === 'ERR_MISSING_PASSPHRASE';
    const why =
      encrypted && passphrase === undefined ? 'the key is encrypted; set XDS_REMOTE_REGISTRY_KEY_PASSPHRASE'
      : encrypted ? 'the key cannot be decrypted with XDS_REMOTE_REGISTRY_KEY_PASSPHRASE'
      : `no PEM private key: ${e.message}`;
    throw new ConfigError(`XDS_REMOTE_REGISTRY_KEY: ${path.resolve(keyFile)}: ${why}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    // DGWS 1.0.1 cards and their requests are signed rsa-sha1 (dk-nsp.md §1.3).
    throw new ConfigError(`XDS_REMOTE_REGISTRY_KEY: ${path.resolve(keyFile)} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; DGWS needs an RSA key`);
  }
  if (!cert.checkPrivateKey(key)) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_KEY: ${path.resolve(keyFile)} is not the private key of the certificate in XDS_REMOTE_REGISTRY_CERT (${path.resolve(certFile)})`);
  }

  // The STS issues a card only for the CVR the certificate belongs to; a mismatch is found here, not by
  // every ITI-41 failing with the STS's refusal.
  const certCvr = certificateCvr(cert);
  const cvr = v('XDS_REMOTE_REGISTRY_CVR') ?? certCvr;
  if (!cvr) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_CVR is not set and the certificate ${cert.subject.replace(/\n/g, ', ')} names no CVR (serialNumber CVR:… or organizationIdentifier NTRDK-…)`);
  }
  if (!/^\d{8}$/.test(cvr)) throw new ConfigError(`XDS_REMOTE_REGISTRY_CVR must be an 8-digit CVR number, got "${cvr}"`);
  if (certCvr && cvr !== certCvr) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_CVR ${cvr} differs from the CVR ${certCvr} of the certificate in XDS_REMOTE_REGISTRY_CERT`);
  }
  const organisation = v('XDS_REMOTE_REGISTRY_ORGANISATION') ?? certificateOrganisation(cert);
  if (!organisation) throw new ConfigError('XDS_REMOTE_REGISTRY_ORGANISATION is not set and the certificate names no organisation (O=)');

  const renewRaw = v('XDS_REMOTE_REGISTRY_CARD_RENEW_SECONDS');
  const renewBeforeSeconds = renewRaw === undefined ? DEFAULT_CARD_RENEW_SECONDS : Number(renewRaw);
  if (!Number.isInteger(renewBeforeSeconds) || renewBeforeSeconds < 0) {
    throw new ConfigError(`XDS_REMOTE_REGISTRY_CARD_RENEW_SECONDS must be a whole number of seconds, got "${renewRaw}"`);
  }

  return {
    stsUrl,
    certificatePem: cert.toString(),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    systemName: v('XDS_REMOTE_REGISTRY_SYSTEM_NAME') ?? DEFAULT_REMOTE_REGISTRY_SYSTEM_NAME,
    careProvider: { type: 'cvrnumber', id: cvr, name: organisation },
    renewBeforeSeconds,
  };
}
