/**
 * The admin login's parts on their own: scrypt hashes (no plain passwords accepted), XDS_ADMIN_USERS
 * parsing, bounded expiring sessions, the lockout counter, the hash CLI, and the activity log's response
 * sniffing and ring buffer.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { callerOf, createActivityLog } from '../../src/admin/activity-log.js';
import { sniffSoapResponse } from '../../src/soap/outcome.js';
import { adminConfigFromEnv } from '../../src/admin/admin-config.js';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../src/admin/auth/password.js';
import { csrfMatches } from '../../src/admin/auth/sessions.js';
import { parseAdminUsers } from '../../src/admin/auth/users.js';
import { createLogger } from '../../src/util/logger.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('passwords', () => {
  it('verifies the right password only; every hash is salted', async () => {
    const h = await hashPassword('s3cret-password', FAST);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('s3cret-password', h)).toBe(true);
    expect(await verifyPassword('s3cret-passwore', h)).toBe(false);
    expect(await hashPassword('s3cret-password', FAST)).not.toBe(h);
  });

  it('refuses short passwords and malformed hashes', async () => {
    await expect(hashPassword('short')).rejects.toThrow(/at least 8/);
    expect(() => parsePasswordHash('plaintext')).toThrow(/scrypt\$N/);
    expect(() => parsePasswordHash('scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==')).toThrow(/power of two/);
  });

  it('the CLI prints a hash that verifies', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/admin/auth/hash-password.ts', 'cli-password-1'], { cwd: process.cwd() });
    expect(await verifyPassword('cli-password-1', stdout.trim())).toBe(true);
  });
});

describe('XDS_ADMIN_USERS', () => {
  it('parses user:hash pairs and refuses plain passwords, bad names and duplicates', async () => {
    const h = await hashPassword('password-one', FAST);
    expect(parseAdminUsers(` alice:${h} , bob.ops:${h}`)).toEqual([
      { name: 'alice', passwordHash: h },
      { name: 'bob.ops', passwordHash: h },
    ]);
    expect(parseAdminUsers(undefined)).toEqual([]);
    expect(() => parseAdminUsers('alice:hunter22')).toThrow(/plain passwords are not accepted/);
    expect(() => parseAdminUsers(`al ice:${h}`)).toThrow(/user name/);
    expect(() => parseAdminUsers(`a:${h},a:${h}`)).toThrow(/twice/);
    expect(() => parseAdminUsers('nocolon')).toThrow(/user:hash/);
  });

  it('takes an optional CPR per user (MinLog registration of admin reads) and refuses a malformed one', async () => {
    const h = await hashPassword('password-one', FAST);
    expect(parseAdminUsers(`alice:${h}:0101701234,bob:${h}`)).toEqual([
      { name: 'alice', passwordHash: h, cpr: '0101701234' },
      { name: 'bob', passwordHash: h },
    ]);
    expect(() => parseAdminUsers(`alice:${h}:12345`)).toThrow(/CPR of user "alice" must be 10 digits/);
  });
});

describe('admin configuration', () => {
  it('reads users, the Secure cookie mode and the idle timeout from the environment', async () => {
    const h = await hashPassword('password-one', FAST);
    expect(adminConfigFromEnv({ XDS_ADMIN_USERS: `ops:${h}` })).toEqual({ users: [{ name: 'ops', passwordHash: h }], secureCookies: 'auto', sessionIdleMs: 30 * 60_000 });
    expect(adminConfigFromEnv({ XDS_ADMIN_SECURE_COOKIE: 'true', XDS_ADMIN_SESSION_IDLE_MINUTES: '5' })).toMatchObject({ users: [], secureCookies: true, sessionIdleMs: 300_000 });
    expect(() => adminConfigFromEnv({ XDS_ADMIN_SECURE_COOKIE: 'yes' })).toThrow(/auto, true or false/);
    expect(() => adminConfigFromEnv({ XDS_ADMIN_SESSION_IDLE_MINUTES: '0' })).toThrow(/positive/);
  });
});

describe('sessions', () => {
  // expiry, bounds and the original idle/absolute/bounded sequence: test/contract/admin-session-store.contract.ts
  it('compares CSRF tokens exactly', () => {
    expect(csrfMatches('abc', 'abc')).toBe(true);
    expect(csrfMatches('abc', 'abd')).toBe(false);
    expect(csrfMatches('abc', 'ab')).toBe(false);
    expect(csrfMatches('abc', undefined)).toBe(false);
  });
});

// login guard: test/contract/admin-login-guard-store.contract.ts (memory and SQLite stores)

describe('activity log', () => {
  it('reads the ebRS status and error codes, and SOAP fault codes', () => {
    expect(
      sniffSoapResponse(
        '<rs:RegistryResponse status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"><rs:RegistryErrorList><rs:RegistryError errorCode="XDSUnknownPatientId"/><rs:RegistryError errorCode="XDSRegistryMetadataError"/></rs:RegistryErrorList></rs:RegistryResponse>',
      ),
    ).toEqual({ outcome: 'Failure', errorCodes: ['XDSUnknownPatientId', 'XDSRegistryMetadataError'] });
    expect(sniffSoapResponse('<s:Envelope><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault></s:Body></s:Envelope>')).toEqual({
      outcome: 'Fault',
      errorCodes: ['SOAP:s:Sender'],
    });
    expect(sniffSoapResponse('<x/>')).toEqual({ errorCodes: [] });
  });

  it('reads a query answer only up to its object list (status and errors precede it in ebRS 3.0)', () => {
    const objects = `<rim:ExtrinsicObject id="a"><rim:Slot name="note"><rim:ValueList><rim:Value>errorCode="NotAnError"</rim:Value></rim:ValueList></rim:Slot></rim:ExtrinsicObject>`;
    const answer =
      '<query:AdhocQueryResponse status="urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"><rs:RegistryErrorList>' +
      '<rs:RegistryError errorCode="XDSResultNotSinglePatient" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"/>' +
      `</rs:RegistryErrorList><rim:RegistryObjectList>${objects.repeat(5000)}</rim:RegistryObjectList></query:AdhocQueryResponse>`;
    expect(sniffSoapResponse(answer)).toEqual({ outcome: 'PartialSuccess', errorCodes: ['XDSResultNotSinglePatient'] });
  });

  it('keeps the newest entries within its capacity, joins the audit caller, counts error codes', () => {
    const lines: string[] = [];
    const a = createActivityLog({ capacity: 3 });
    const log = a.logger(createLogger('info', (l) => lines.push(l)));
    log.info('audit', { audit: { requestId: 'r1', user: 'Dr. Who', outcome: 'success' } });
    log.info('soap request', { requestId: 'r1', transaction: 'ITI-43', status: 200, path: '/xds/repository', ms: 5 });
    for (let i = 2; i <= 4; i++) log.info('soap request', { requestId: `r${i}`, transaction: 'ITI-18', status: 500, path: '/xds/registry' });
    expect(lines).toHaveLength(5); // the inner logger still gets everything
    expect(a.recent().map((e) => e.requestId)).toEqual(['r4', 'r3', 'r2']);
    a.record({ time: 't', outcome: 'Failure', errorCodes: ['XDSRegistryError', 'XDSRegistryError'] });
    expect(a.recent(1)[0].outcome).toBe('Failure');
    expect(a.errorsByCode()).toEqual([{ code: 'XDSRegistryError', count: 2, lastSeen: 't', lastTransaction: undefined }]);
    const b = createActivityLog();
    b.logger(createLogger('silent')).info('audit', { audit: { requestId: 'x', user: 'Dr. Who', outcome: 'partial' } });
    b.logger(createLogger('silent')).info('soap request', { requestId: 'x', transaction: 'ITI-43', status: 200 });
    expect(b.recent()[0]).toMatchObject({ caller: 'Dr. Who', outcome: 'partial' });
  });

  it('names the caller from either audit record shape', () => {
    expect(callerOf({ idCardAttributes: { actingUserName: 'Læge Hansen', actingUserCpr: '0202802345', organisation: 'sor:123' } })).toBe('Læge Hansen (sor:123)');
    expect(callerOf({ idCardAttributes: { systemName: 'EPJ' } })).toBe('EPJ');
    expect(callerOf({ idCardAttributes: {}, access: { tokenType: 'none' } })).toBe('anonymous');
    expect(callerOf({ user: 'anonymous' })).toBe('anonymous');
    expect(callerOf({ user: '0101', organisation: '123' })).toBe('0101 (123)');
  });
});
