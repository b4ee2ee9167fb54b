import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsentHook, CONSENT_FILTER_APPLIED } from '../../../src/hooks/consent/consent-hook.js';
import { createHookRunner } from '../../../src/hooks/runner.js';
import type { SecurityContext } from '../../../src/security/context.js';
import { ConsentService, type ConsentActor } from '../../../src/services/minspaerring/consent-service.js';
import { SqliteConsentStore } from '../../../src/services/minspaerring/sqlite-consent-store.js';
import { Severity } from '../../../src/xds/errors.js';
import type { RequestContext } from '../../../src/xds/transactions/descriptor.js';
import { author, documentEntry, submissionSet } from '../../support/domain-builders.js';

const CITIZEN = '0101801234';
const PID = `${CITIZEN}^^^&1.2.208.176.1.2&ISO`;
const DOCTOR = '1111111118';
const HOSPITAL = '100001';
const DEPARTMENT = '100002';
const OTHER_ORG = '200001';
const NOW = new Date('2026-11-28T09:00:00Z');
const ACTOR: ConsentActor = { systemName: 'test', user: CITIZEN, citizenCpr: CITIZEN };

function professional(extra: Partial<NonNullable<SecurityContext['hsuid']>> = {}, org = DEPARTMENT): RequestContext {
  return {
    requestId: 'r1',
    receivedAt: NOW,
    transaction: 'ITI-18',
    security: {
      tokenType: 'dgws-user',
      authLevel: 3,
      hsuid: { userType: 'HEALTHCAREPROFESSIONAL', actingUserCpr: DOCTOR, orgUsingId: { type: 'sor', id: org }, ...extra },
    },
  };
}

function citizen(cpr: string): RequestContext {
  return { requestId: 'r2', receivedAt: NOW, transaction: 'ITI-18', security: { tokenType: 'dgws-user', authLevel: 3, hsuid: { userType: 'CITIZEN', actingUserCpr: cpr } } };
}

describe('Min Spærring consent hook', () => {
  let store: SqliteConsentStore;
  let service: ConsentService;
  const fromHospital = documentEntry({ patientId: PID, authors: [author('^Doc', { institutions: [`Hosp^^^^^&1.2.208.176.1.1&ISO^^^^${HOSPITAL}`] })] });
  const fromElsewhere = documentEntry({ patientId: PID, authors: [author('^Doc', { institutions: [`Other^^^^^&1.2.208.176.1.1&ISO^^^^${OTHER_ORG}`] })] });
  const ss = submissionSet({ patientId: PID });
  const objects = [ss, fromHospital, fromElsewhere];

  beforeEach(async () => {
    store = new SqliteConsentStore(':memory:');
    await store.upsertSorUnits([{ sorId: HOSPITAL, name: 'Hospital' }, { sorId: DEPARTMENT, parentSorId: HOSPITAL, shak: '1301011' }, { sorId: OTHER_ORG }]);
    service = new ConsentService({ store, sor: store, clock: () => new Date(NOW.getTime() - 3600_000) });
  });
  afterEach(() => store.close());

  const runner = () => createHookRunner({ consent: [createConsentHook({ consents: store, sor: store, clock: () => NOW })], recorders: [] });
  const at = '2026-11-28T08:00:00Z';

  it('allows everything when the citizen has no registrations', async () => {
    const d = await runner().authorizeRead({ context: professional(), patientIds: [PID], objects });
    expect(d).toEqual({ outcome: 'allow', objects, warnings: [], addition: undefined });
  });

  it('denies when a general block names the requester (nothing returned)', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, who: { kind: 'professional', cpr: DOCTOR }, validFrom: at }, ACTOR);
    const d = await runner().authorizeRead({ context: professional(), patientIds: [PID], objects });
    expect(d.outcome).toBe('deny');
  });

  it('a block on an organisation covers its SOR children, mapped from SHAK', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, who: { kind: 'organisation', org: { type: 'sor', id: HOSPITAL } }, validFrom: at }, ACTOR);
    expect((await runner().authorizeRead({ context: professional({}, DEPARTMENT), patientIds: [PID], objects })).outcome).toBe('deny');
    const viaShak = professional({ orgUsingId: { type: 'skskode', id: '1301011' } });
    expect((await runner().authorizeRead({ context: viaShak, patientIds: [PID], objects })).outcome).toBe('deny');
    expect((await runner().authorizeRead({ context: professional({}, OTHER_ORG), patientIds: [PID], objects })).outcome).toBe('allow');
  });

  it('a block that has not started or has expired does not apply', async () => {
    const later = new ConsentService({ store, sor: store, clock: () => NOW });
    await later.addConstraint({ citizenCpr: CITIZEN, validFrom: '2026-11-29T00:00:00Z' }, ACTOR);
    expect((await runner().authorizeRead({ context: professional(), patientIds: [PID], objects })).outcome).toBe('allow');
  });

  it('filters data-specific blocks and warns with urn:dk:nsi:Consent Filter Applied', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, what: { authorInstitutionSorIds: [HOSPITAL] }, validFrom: at }, ACTOR);
    const d = await runner().authorizeRead({ context: professional(), patientIds: [PID], objects });
    if (d.outcome !== 'allow') throw new Error('expected allow');
    expect(d.objects).toEqual([ss, fromElsewhere]);
    expect(d.warnings).toEqual([{ errorCode: 'XDSRegistryError', codeContext: CONSENT_FILTER_APPLIED, severity: Severity.Warning }]);
    expect(d.addition).toBeUndefined();
  });

  it('ConsentOverride (værdispring) opens the full result with Addition Værdispring', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, who: { kind: 'professional', cpr: DOCTOR }, validFrom: at }, ACTOR);
    const d = await runner().authorizeRead({ context: professional({ consentOverride: true }), patientIds: [PID], objects });
    expect(d).toEqual({ outcome: 'allow', objects, warnings: [], addition: 'Værdispring' });
  });

  it('ConsentOverride is logged as Værdispring also when nothing was blocked (every declared use is shown)', async () => {
    const d = await runner().authorizeRead({ context: professional({ consentOverride: true }), patientIds: [PID], objects });
    expect(d).toEqual({ outcome: 'allow', objects, warnings: [], addition: 'Værdispring' });
  });

  it('ConsentOverride over a data-specific block returns the blocked data without a filter warning', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, what: { documentUniqueIds: [fromHospital.uniqueId] }, validFrom: at }, ACTOR);
    const d = await runner().authorizeRead({ context: professional({ consentOverride: true }), patientIds: [PID], objects });
    expect(d).toEqual({ outcome: 'allow', objects, warnings: [], addition: 'Værdispring' });
  });

  it('citizens always see their own data, even under a block on everyone', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, validFrom: at }, ACTOR);
    const own = await runner().authorizeRead({ context: citizen(CITIZEN), patientIds: [PID], objects });
    expect(own).toEqual({ outcome: 'allow', objects, warnings: [], addition: undefined });
    expect((await runner().authorizeRead({ context: citizen('0202801234'), patientIds: [PID], objects })).outcome).toBe('deny');
  });

  it('a citizen cannot use ConsentOverride to pass over a block on another citizen\'s data', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, validFrom: at }, ACTOR);
    const parent = citizen('0202801234');
    parent.security.hsuid!.consentOverride = true;
    expect((await runner().authorizeRead({ context: parent, patientIds: [PID], objects })).outcome).toBe('deny');
  });

  it('a positive consent for the requester lifts a general block (Addition Samtykke)', async () => {
    await service.addConstraint({ citizenCpr: CITIZEN, validFrom: at }, ACTOR);
    await service.addPositive({ citizenCpr: CITIZEN, who: { kind: 'professional', cpr: DOCTOR }, validFrom: at, validTo: '2026-12-31T00:00:00Z' }, ACTOR);
    expect(await runner().authorizeRead({ context: professional(), patientIds: [PID], objects })).toEqual({ outcome: 'allow', objects, warnings: [], addition: 'Samtykke' });
    expect((await runner().authorizeRead({ context: professional({ actingUserCpr: '2222222226' }, OTHER_ORG), patientIds: [PID], objects })).outcome).toBe('deny');
  });

  it('a revoked block no longer applies', async () => {
    const c = await service.addConstraint({ citizenCpr: CITIZEN, validFrom: at }, ACTOR);
    await new ConsentService({ store, sor: store, clock: () => new Date(NOW.getTime() - 1000) }).revoke(c.id, ACTOR);
    expect((await runner().authorizeRead({ context: professional(), patientIds: [PID], objects })).outcome).toBe('allow');
  });

  it('fails the read when the consent store fails (fail closed)', async () => {
    const hook = createConsentHook({ consents: { listForCitizen: () => Promise.reject(new Error('db down')) }, sor: store });
    await expect(hook.authorize({ context: professional(), patientIds: [PID], objects })).rejects.toThrow('db down');
  });
});
