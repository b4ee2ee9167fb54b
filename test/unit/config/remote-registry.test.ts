/**
 * XDS_REMOTE_REGISTRY_STS_URL and friends (src/config/remote-registry.ts): the repository's credentials
 * for the remote registry are read and checked at start-up, and every mistake is a ConfigError naming the
 * variable and the file.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { createCertificate, type KeyAndCert } from '../../../src/services/sts/test-ca.js';

const URL_ = 'https://registry.example/ddsregistry';
const STS = 'https://sts.example/sts/services/NewSecurityTokenService';
let dir: string;
let system: KeyAndCert;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xds-remote-creds-'));
  system = createCertificate({ commonName: 'EPJ system (funktionscertifikat)', organisation: 'Region Test', serialNumberAttr: 'CVR:30808460-UID:1234', keyBits: 1024 });
  const other = createCertificate({ commonName: 'other', serialNumberAttr: 'CVR:30808460-UID:9', keyBits: 1024 });
  const noCvr = createCertificate({ commonName: 'no cvr', organisation: 'Org', keyBits: 1024 });
  const expired = createCertificate({ commonName: 'old', serialNumberAttr: 'CVR:30808460-UID:1', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z'), keyBits: 1024 });
  const encrypted = createPrivateKey(system.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
  await writeFile(file('cert.pem'), system.certPem);
  await writeFile(file('key.pem'), system.keyPem);
  await writeFile(file('key-encrypted.pem'), encrypted);
  await writeFile(file('other-key.pem'), other.keyPem);
  await writeFile(file('nocvr-cert.pem'), noCvr.certPem);
  await writeFile(file('nocvr-key.pem'), noCvr.keyPem);
  await writeFile(file('expired-cert.pem'), expired.certPem);
  await writeFile(file('expired-key.pem'), expired.keyPem);
  await writeFile(file('garbage.pem'), 'not a certificate');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function env(over: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    XDS_REMOTE_REGISTRY_URL: URL_,
    XDS_REMOTE_REGISTRY_STS_URL: STS,
    XDS_REMOTE_REGISTRY_CERT: file('cert.pem'),
    XDS_REMOTE_REGISTRY_KEY: file('key.pem'),
    ...over,
  };
}

function configError(e: NodeJS.ProcessEnv): string {
  try {
    loadConfig(e);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('remote registry credentials', () => {
  it('are absent without any of the variables (tokenless ITI-42, as before)', () => {
    expect(loadConfig({}).remoteRegistryCredentials).toBeUndefined();
    expect(loadConfig({ XDS_REMOTE_REGISTRY_URL: URL_ }).remoteRegistryCredentials).toBeUndefined();
  });

  it('take the CVR and organisation from the VOCES/FOCES certificate', () => {
    const c = loadConfig(env()).remoteRegistryCredentials!;
    expect(c).toMatchObject({
      stsUrl: STS,
      systemName: 'xds-hub',
      careProvider: { type: 'cvrnumber', id: '30808460', name: 'Region Test' },
      renewBeforeSeconds: 300,
    });
    expect(c.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(c.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('take the system name, CVR, organisation and renew margin that are set', () => {
    const c = loadConfig(
      env({
        XDS_REMOTE_REGISTRY_SYSTEM_NAME: 'Region Test EPJ',
        XDS_REMOTE_REGISTRY_CVR: '30808460',
        XDS_REMOTE_REGISTRY_ORGANISATION: 'Region Test, IT',
        XDS_REMOTE_REGISTRY_CARD_RENEW_SECONDS: '900',
      }),
    ).remoteRegistryCredentials!;
    expect(c).toMatchObject({ systemName: 'Region Test EPJ', careProvider: { id: '30808460', name: 'Region Test, IT' }, renewBeforeSeconds: 900 });
  });

  it('read an encrypted key with its passphrase', () => {
    const c = loadConfig(env({ XDS_REMOTE_REGISTRY_KEY: file('key-encrypted.pem'), XDS_REMOTE_REGISTRY_KEY_PASSPHRASE: 'secret' })).remoteRegistryCredentials!;
    expect(c.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('refuse incomplete, misplaced or wrong settings with a precise ConfigError', () => {
    expect(configError(env({ XDS_REMOTE_REGISTRY_URL: undefined }))).toBe(
      'XDS_REMOTE_REGISTRY_STS_URL, XDS_REMOTE_REGISTRY_CERT, XDS_REMOTE_REGISTRY_KEY only apply with XDS_REMOTE_REGISTRY_URL, which is not set',
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_KEY: undefined }))).toBe(
      'the remote registry credentials need XDS_REMOTE_REGISTRY_KEY as well (set: XDS_REMOTE_REGISTRY_STS_URL, XDS_REMOTE_REGISTRY_CERT)',
    );
    expect(configError({ XDS_REMOTE_REGISTRY_URL: URL_, XDS_REMOTE_REGISTRY_CVR: '30808460' })).toBe(
      'the remote registry credentials need XDS_REMOTE_REGISTRY_STS_URL, XDS_REMOTE_REGISTRY_CERT, XDS_REMOTE_REGISTRY_KEY as well (set: XDS_REMOTE_REGISTRY_CVR)',
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_STS_URL: 'sts.example:8080' }))).toBe('XDS_REMOTE_REGISTRY_STS_URL must be an http(s) URL, got "sts.example:8080"');
    expect(configError(env({ XDS_REMOTE_REGISTRY_CERT: file('missing.pem') }))).toBe(`XDS_REMOTE_REGISTRY_CERT: cannot read ${file('missing.pem')} (ENOENT)`);
    expect(configError(env({ XDS_REMOTE_REGISTRY_CERT: file('garbage.pem') }))).toBe(
      `XDS_REMOTE_REGISTRY_CERT: ${file('garbage.pem')} holds no PEM certificate: no "-----BEGIN CERTIFICATE-----" block`,
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_KEY: file('garbage.pem') }))).toMatch(
      new RegExp(`^XDS_REMOTE_REGISTRY_KEY: ${file('garbage.pem').replace(/[.]/g, '\\.')}: no PEM private key: `),
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_KEY: file('other-key.pem') }))).toBe(
      `XDS_REMOTE_REGISTRY_KEY: ${file('other-key.pem')} is not the private key of the certificate in XDS_REMOTE_REGISTRY_CERT (${file('cert.pem')})`,
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_KEY: file('key-encrypted.pem') }))).toBe(
      `XDS_REMOTE_REGISTRY_KEY: ${file('key-encrypted.pem')}: the key is encrypted; set XDS_REMOTE_REGISTRY_KEY_PASSPHRASE`,
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_KEY: file('key-encrypted.pem'), XDS_REMOTE_REGISTRY_KEY_PASSPHRASE: 'wrong' }))).toBe(
      `XDS_REMOTE_REGISTRY_KEY: ${file('key-encrypted.pem')}: the key cannot be decrypted with XDS_REMOTE_REGISTRY_KEY_PASSPHRASE`,
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_CERT: file('expired-cert.pem'), XDS_REMOTE_REGISTRY_KEY: file('expired-key.pem') }))).toMatch(
      /^XDS_REMOTE_REGISTRY_CERT: the certificate .*CN=old.* expired on 2021-01-01T00:00:00\.000Z$/,
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_CVR: '12345678' }))).toBe(
      'XDS_REMOTE_REGISTRY_CVR 12345678 differs from the CVR 30808460 of the certificate in XDS_REMOTE_REGISTRY_CERT',
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_CERT: file('nocvr-cert.pem'), XDS_REMOTE_REGISTRY_KEY: file('nocvr-key.pem') }))).toMatch(
      /^XDS_REMOTE_REGISTRY_CVR is not set and the certificate .* names no CVR/,
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_CERT: file('nocvr-cert.pem'), XDS_REMOTE_REGISTRY_KEY: file('nocvr-key.pem'), XDS_REMOTE_REGISTRY_CVR: '1234' }))).toBe(
      'XDS_REMOTE_REGISTRY_CVR must be an 8-digit CVR number, got "1234"',
    );
    expect(configError(env({ XDS_REMOTE_REGISTRY_CARD_RENEW_SECONDS: '5m' }))).toBe('XDS_REMOTE_REGISTRY_CARD_RENEW_SECONDS must be a whole number of seconds, got "5m"');
  });

  it('accept a certificate without CVR when XDS_REMOTE_REGISTRY_CVR names it', () => {
    const c = loadConfig(env({ XDS_REMOTE_REGISTRY_CERT: file('nocvr-cert.pem'), XDS_REMOTE_REGISTRY_KEY: file('nocvr-key.pem'), XDS_REMOTE_REGISTRY_CVR: '20921897' }))
      .remoteRegistryCredentials!;
    expect(c.careProvider).toEqual({ type: 'cvrnumber', id: '20921897', name: 'Org' });
  });
});
