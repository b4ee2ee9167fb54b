import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentService } from '../../../../src/services/minspaerring/consent-service.js';
import { createMinSpaerringDescriptors } from '../../../../src/services/minspaerring/descriptors.js';
import { MINSPAERRING_NS } from '../../../../src/services/minspaerring/soap-xml.js';
import { SqliteConsentStore } from '../../../../src/services/minspaerring/sqlite-consent-store.js';
import { allNamed, nspSoapHarness, PROFESSIONAL_HSUID, textOf, type NspSoapHarness } from '../../hooks/support/nsp-soap.js';

const CITIZEN = '0101801234';
const ms = (op: string, inner: string) => `<ms:${op}Request xmlns:ms="${MINSPAERRING_NS}">${inner}</ms:${op}Request>`;
const CITIZEN_HSUID = { userType: 'nsi:Citizen' as const, actingUserCpr: CITIZEN, citizenCpr: CITIZEN, systemName: 'sundhed.dk' };

describe('Min Spærring SOAP service (DGWS + HSUID)', () => {
  let store: SqliteConsentStore;
  let h: NspSoapHarness;
  beforeAll(async () => {
    store = new SqliteConsentStore(':memory:');
    await store.upsertSorUnits([{ sorId: '100001' }, { sorId: '100002', parentSorId: '100001', shak: '1301011' }]);
    h = nspSoapHarness([{ path: '/minspaerring', descriptors: createMinSpaerringDescriptors(new ConsentService({ store, sor: store }), store) }]);
  });
  afterAll(async () => {
    h.dispose();
    await store.close();
  });

  it('adds a constraint for an organisation (SHAK mapped to SOR), lists it, and the user check turns negative', async () => {
    const from = new Date().toISOString();
    const add = await h.call(
      '/minspaerring',
      'ConsentAddConstraintV2',
      ms('ConsentAddConstraintV2', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr><ms:Who><ms:Organisation NameFormat="skskode">1301011</ms:Organisation></ms:Who><ms:ValidFrom>${from}</ms:ValidFrom>`),
      { hsuid: CITIZEN_HSUID },
    );
    expect(add.status).toBe(200);
    expect(add.body.name).toBe('ConsentAddConstraintV2Response');
    expect(textOf(add.body, 'ConsentType')).toBe('negative');
    expect(textOf(add.body, 'Organisation')).toBe('100002');
    expect(textOf(add.body, 'CreatingSystemName')).toBe('sundhed.dk');
    const id = textOf(add.body, 'Id')!;

    const list = await h.call('/minspaerring', 'ConsentRegistrationsGetV2', ms('ConsentRegistrationsGetV2', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr>`), { hsuid: CITIZEN_HSUID });
    expect(allNamed(list.body, 'Consent').map((c) => textOf(c, 'Id'))).toEqual([id]);

    const check = await h.call('/minspaerring', 'ConsentForUserCheck', ms('ConsentForUserCheck', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr>`), { hsuid: PROFESSIONAL_HSUID });
    expect(textOf(check.body, 'Result')).toBe('negative');

    const revoke = await h.call('/minspaerring', 'ConsentRevoke', ms('ConsentRevoke', `<ms:Id>${id}</ms:Id>`), { hsuid: CITIZEN_HSUID });
    expect(textOf(revoke.body, 'RevokedAt')).toBeDefined();
    const again = await h.call('/minspaerring', 'ConsentForUserCheck', ms('ConsentForUserCheck', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr>`), { hsuid: PROFESSIONAL_HSUID });
    expect(textOf(again.body, 'Result')).toBe('positive');
  });

  it('ConsentForDataCheck filters the listed metadata elements', async () => {
    const from = new Date().toISOString();
    await h.call('/minspaerring', 'ConsentAddConstraintV2', ms('ConsentAddConstraintV2', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr><ms:What><ms:ClassCode>001</ms:ClassCode></ms:What><ms:ValidFrom>${from}</ms:ValidFrom>`), { hsuid: CITIZEN_HSUID });
    const items = '<ms:DataItem><ms:DocumentUniqueId>1.2.1</ms:DocumentUniqueId><ms:ClassCode>001</ms:ClassCode></ms:DataItem><ms:DataItem><ms:DocumentUniqueId>1.2.2</ms:DocumentUniqueId><ms:ClassCode>002</ms:ClassCode></ms:DataItem>';
    const r = await h.call('/minspaerring', 'ConsentForDataCheck', ms('ConsentForDataCheck', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr>${items}`), { hsuid: PROFESSIONAL_HSUID });
    const allowed = r.body.children.find((c) => c.name === 'Allowed')!;
    const denied = r.body.children.find((c) => c.name === 'Denied')!;
    expect(allNamed(allowed, 'DocumentUniqueId').map((e) => e.text)).toEqual(['1.2.2']);
    expect(allNamed(denied, 'DocumentUniqueId').map((e) => e.text)).toEqual(['1.2.1']);
  });

  it('rejects ValidFrom in the past, unknown organisations and other citizens\' registrations with a Sender fault', async () => {
    const past = new Date(Date.now() - 5 * 60_000).toISOString();
    const r1 = await h.call('/minspaerring', 'ConsentAddConstraintV2', ms('ConsentAddConstraintV2', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr><ms:ValidFrom>${past}</ms:ValidFrom>`), { hsuid: CITIZEN_HSUID });
    expect(r1.status).toBe(500);
    expect(r1.text).toContain('code="validfrom_in_past"');
    const r2 = await h.call('/minspaerring', 'ConsentAddConstraintV2', ms('ConsentAddConstraintV2', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr><ms:Who><ms:Organisation NameFormat="sor">999999</ms:Organisation></ms:Who><ms:ValidFrom>${new Date().toISOString()}</ms:ValidFrom>`), { hsuid: CITIZEN_HSUID });
    expect(r2.text).toContain('code="unknown_organisation"');
    const r3 = await h.call('/minspaerring', 'ConsentRegistrationsGetV2', ms('ConsentRegistrationsGetV2', '<ms:CitizenCpr>0202801234</ms:CitizenCpr>'), { hsuid: CITIZEN_HSUID });
    expect(r3.text).toContain('code="not_own_registration"');
  });

  it('refuses a request without the HSUID header (DGWS + HSUID transport)', async () => {
    const r = await h.call('/minspaerring', 'ConsentForUserCheck', ms('ConsentForUserCheck', `<ms:CitizenCpr>${CITIZEN}</ms:CitizenCpr>`));
    expect(r.status).toBe(500);
    expect(r.body.name).toBe('Fault');
    expect(r.text).not.toContain('ConsentForUserCheckResponse');
  });
});
