import { describe, expect, it } from 'vitest';
import { defaultPolicies, enforcePolicy, parsePolicies, type SecurityPolicy } from '../../../src/security/policies.js';
import { SecurityError } from '../../../src/security/faults.js';
import type { SecurityContext } from '../../../src/security/context.js';

const user: SecurityContext = { tokenType: 'dgws-user', authLevel: 4, subjectCpr: '0101011234', role: 'Læge', authorizationCode: 'NS363', systemName: 'EPJ', careProvider: { type: 'cvrnumber', id: '12345678' } };
const system: SecurityContext = { tokenType: 'dgws-system', authLevel: 3, systemName: 'EPJ', careProvider: { type: 'cvrnumber', id: '12345678' } };

function code(policy: SecurityPolicy, ctx: SecurityContext, hsuid = true): string {
  try {
    enforcePolicy(policy, ctx, hsuid);
    return 'ok';
  } catch (e) {
    return (e as SecurityError).faultCode;
  }
}

describe('security policies', () => {
  const base: SecurityPolicy = { id: 'p', accept: ['dgws-user', 'dgws-system', 'idws'] };

  it('maps xds-read and xds-write with the NSP levels', () => {
    const p = defaultPolicies();
    expect(code(p['xds-read'], user)).toBe('ok');
    expect(code(p['xds-read'], system, false)).toBe('missing_required_header');
    expect(code(p['xds-write'], system, false)).toBe('ok');
    expect(code(p['xds-read'], { ...user, authLevel: 3 })).toBe('security_level_failed');
    expect(p['xds-read'].audience).toBe('https://audience.nspop.dk/dds');
  });

  it('checks token types, person, roles, authorisation code and whitelists', () => {
    expect(code({ ...base, accept: ['dgws-user'] }, system)).toBe('not_authorized');
    expect(code({ ...base, requirePerson: true }, system)).toBe('security_level_failed');
    expect(code({ ...base, requirePerson: true }, { tokenType: 'idws', authLevel: 3, subjectCpr: '0101011234' })).toBe('ok');
    expect(code({ ...base, roles: ['Sygeplejerske'] }, user)).toBe('not_authorized');
    expect(code({ ...base, roles: ['Læge'] }, user)).toBe('ok');
    expect(code({ ...base, requireAuthorizationCode: true }, { ...user, authorizationCode: undefined })).toBe('not_authorized');
    expect(code({ ...base, whitelistedCvrs: ['87654321'] }, system)).toBe('not_authorized');
    expect(code({ ...base, whitelistedCvrs: ['12345678'] }, system)).toBe('ok');
    expect(code({ ...base, whitelistedSystemNames: ['Other'] }, system)).toBe('not_authorized');
    expect(code({ ...base, whitelistedSystemNames: ['EPJ'] }, system)).toBe('ok');
    expect(code({ ...base, minLevel: { system: 4 } }, system)).toBe('security_level_failed');
    expect(code({ ...base, requireHsuid: 'always' }, user, false)).toBe('missing_required_header');
  });

  it('reads policies from JSON and rejects unknown fields and token types', () => {
    const p = parsePolicies(JSON.stringify({ brs: { accept: ['dgws-system'], whitelistedCvrs: ['12345678'] } }));
    expect(p.brs).toMatchObject({ id: 'brs', accept: ['dgws-system'] });
    expect(() => parsePolicies(JSON.stringify([{ id: 'x', accept: ['saml'] }]))).toThrow(/accept/);
    expect(() => parsePolicies(JSON.stringify([{ id: 'x', accept: ['idws'], minlevel: 3 }]))).toThrow(/unknown field "minlevel"/);
  });
});
