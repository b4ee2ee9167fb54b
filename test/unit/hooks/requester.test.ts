import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { citizenSelfCpr, consentRequester, cprOfPatientId } from '../../../src/hooks/consent/requester.js';
import { institutionId } from '../../../src/hooks/consent/consent-hook.js';
import { SqliteConsentStore } from '../../../src/services/minspaerring/sqlite-consent-store.js';

describe('requester and patient helpers', () => {
  let sor: SqliteConsentStore;
  beforeEach(async () => {
    sor = new SqliteConsentStore(':memory:');
    await sor.upsertSorUnits([{ sorId: 'R' }, { sorId: 'H', parentSorId: 'R', shak: '1301' }, { sorId: 'D', parentSorId: 'H', yder: '012345' }]);
  });
  afterEach(() => sor.close());

  it('reads the CPR only from CPR-domain patient ids', () => {
    expect(cprOfPatientId('0101801234^^^&1.2.208.176.1.2&ISO')).toBe('0101801234');
    expect(cprOfPatientId('0101801234^^^&1.3.6.1.4.1.21367&ISO')).toBeUndefined();
    expect(cprOfPatientId('12345^^^&1.2.208.176.1.2&ISO')).toBeUndefined();
  });

  it('the citizen\'s own CPR is the acting user, not the data subject', () => {
    expect(citizenSelfCpr({ tokenType: 'idws', authLevel: 3, hsuid: { userType: 'CITIZEN', actingUserCpr: 'A', citizenCivilRegistrationNumber: 'B' } })).toBe('A');
    expect(citizenSelfCpr({ tokenType: 'idws', authLevel: 3, hsuid: { userType: 'HEALTHCAREPROFESSIONAL', actingUserCpr: 'A' } })).toBeUndefined();
  });

  it('maps OrgUsingID (SOR, SHAK, yder) and the care provider to the SOR lineage', async () => {
    const base = { tokenType: 'dgws-system' as const, authLevel: 3 };
    expect((await consentRequester({ ...base, hsuid: { orgUsingId: { type: 'ynumber', id: '012345' }, actingUserCpr: 'X', responsibleUserCpr: 'Y', responsibleUserAuthorizationCode: 'Z1' } }, sor))).toEqual({
      cprs: ['X', 'Y'],
      authorizationCodes: ['Z1'],
      sorLineage: ['D', 'H', 'R'],
    });
    expect((await consentRequester({ ...base, hsuid: { orgUsingId: { type: 'skskode', id: '1301' } } }, sor)).sorLineage).toEqual(['H', 'R']);
    expect((await consentRequester({ ...base, careProvider: { type: 'medcom:cvrnumber', id: '30808460' } }, sor)).sorLineage).toEqual([]);
  });

  it('a cycle in the SOR data cannot hang the lineage walk', async () => {
    await sor.upsertSorUnits([{ sorId: 'R', parentSorId: 'D' }]);
    const lineage = await sor.lineage('D');
    expect(lineage.length).toBeLessThanOrEqual(33);
    expect(lineage.slice(0, 3)).toEqual(['D', 'H', 'R']);
  });

  it('takes the SOR id of an XON author institution', () => {
    expect(institutionId('Hospital^^^^^&1.2.208.176.1.1&ISO^^^^123456789012345')).toBe('123456789012345');
    expect(institutionId('Hospital^^654321')).toBe('654321');
    expect(institutionId('Hospital')).toBeUndefined();
  });
});
