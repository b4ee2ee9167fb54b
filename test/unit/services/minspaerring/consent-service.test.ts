import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsentService, ConsentValidationError } from '../../../../src/services/minspaerring/consent-service.js';
import { SqliteConsentStore } from '../../../../src/services/minspaerring/sqlite-consent-store.js';

const CITIZEN = '0101801234';
const NOW = new Date('2026-11-28T09:00:00Z');

describe('ConsentService validations and verification', () => {
  let store: SqliteConsentStore;
  let service: ConsentService;
  beforeEach(async () => {
    store = new SqliteConsentStore(':memory:');
    await store.upsertSorUnits([{ sorId: '100001' }, { sorId: '100002', parentSorId: '100001', yder: '012345' }]);
    service = new ConsentService({ store, sor: store, clock: () => NOW });
  });
  afterEach(() => store.close());

  const code = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof ConsentValidationError) return e.code;
      throw e;
    }
    return 'ok';
  };

  it('accepts ValidFrom within the 60 s tolerance and rejects older', async () => {
    expect(await code(service.addConstraint({ citizenCpr: CITIZEN, validFrom: '2026-11-28T08:59:30Z' }, {}))).toBe('ok');
    expect(await code(service.addConstraint({ citizenCpr: CITIZEN, validFrom: '2026-11-28T08:58:30Z' }, {}))).toBe('validfrom_in_past');
  });

  it('rejects unknown organisations and maps yder to SOR', async () => {
    expect(await code(service.addConstraint({ citizenCpr: CITIZEN, who: { kind: 'organisation', org: { type: 'sor', id: '999' } }, validFrom: NOW.toISOString() }, {}))).toBe('unknown_organisation');
    const c = await service.addConstraint({ citizenCpr: CITIZEN, who: { kind: 'organisation', org: { type: 'medcom:ynumber', id: '012345' } }, validFrom: NOW.toISOString() }, {});
    expect(c.who).toEqual({ kind: 'organisation', sorId: '100002' });
  });

  it('requires a period and a who for positive consents; checks CPRs and ownership', async () => {
    const from = NOW.toISOString();
    expect(await code(service.addPositive({ citizenCpr: CITIZEN, who: { kind: 'professional', cpr: '1111111118' }, validFrom: from }, {}))).toBe('missing_validto');
    expect(await code(service.addPositive({ citizenCpr: CITIZEN, validFrom: from, validTo: '2027-01-01T00:00:00Z' }, {}))).toBe('missing_who');
    expect(await code(service.addConstraint({ citizenCpr: '12345', validFrom: from }, {}))).toBe('invalid_cpr');
    expect(await code(service.addConstraint({ citizenCpr: CITIZEN, validFrom: from, validTo: from }, {}))).toBe('invalid_period');
    expect(await code(service.addConstraint({ citizenCpr: CITIZEN, validFrom: from }, { citizenCpr: '0202801234' }))).toBe('not_own_registration');
  });

  it('modify and revoke keep the history and record who changed it', async () => {
    const c = await service.addConstraint({ citizenCpr: CITIZEN, validFrom: NOW.toISOString() }, { systemName: 'sundhed.dk', user: CITIZEN });
    const m = await service.modify({ id: c.id, what: { classCodes: ['001'] } }, { systemName: 'sundhed.dk', user: CITIZEN });
    expect(m.what).toEqual({ classCodes: ['001'] });
    expect(m.modifyingSystemName).toBe('sundhed.dk');
    await service.revoke(c.id, {});
    expect(await code(service.revoke(c.id, {}))).toBe('revoked');
    const all = await service.registrationsGet(CITIZEN, {});
    expect(all).toHaveLength(1);
    expect(all[0]!.revokedAt).toBe(NOW.toISOString());
    expect(await code(service.modify({ id: 'nope' }, {}))).toBe('unknown_consent');
  });

  it('ConsentForUserCheck and ConsentForDataCheck', async () => {
    const requester = { cprs: ['1111111118'], authorizationCodes: [], sorLineage: ['100002', '100001'] };
    expect(await service.forUserCheck(CITIZEN, requester)).toBe('positive');
    await service.addConstraint({ citizenCpr: CITIZEN, what: { documentUniqueIds: ['1.2.3'] }, validFrom: NOW.toISOString() }, {});
    const items = [{ uniqueId: '1.2.3', authorInstitutionSorIds: [] }, { uniqueId: '1.2.4', authorInstitutionSorIds: [] }];
    expect(await service.forDataCheck(CITIZEN, requester, items)).toEqual({ allowed: [items[1]], denied: [items[0]] });
    await service.addConstraint({ citizenCpr: CITIZEN, who: { kind: 'organisation', org: { type: 'sor', id: '100001' } }, validFrom: NOW.toISOString() }, {});
    expect(await service.forUserCheck(CITIZEN, requester)).toBe('negative');
    expect(await service.forUserCheck(CITIZEN, { ...requester, sorLineage: [] })).toBe('positive');
  });
});
