import { describe, expect, it } from 'vitest';
import { InvalidPatientIdError, PatientIdentityService } from '../../../src/patients/patient-identity.js';
import type { PatientIdentity } from '../../../src/xds/registry/patient-identity.js';
import { MemoryPatientStore } from './memory-patient-store.js';

const DOMAIN = '1.3.6.1.4.1.21367.2005.13.20.1000';
const P1 = `P1^^^&${DOMAIN}&ISO`;
const P2 = `P2^^^&${DOMAIN}&ISO`;
const fixed = new Date('2026-01-02T03:04:05.000Z');

function service(autoAccept: string[] = []) {
  const patients = new MemoryPatientStore();
  return { patients, identity: new PatientIdentityService({ patients, autoAcceptAssigningAuthorities: autoAccept, clock: () => fixed }) };
}

describe('PatientIdentityService', () => {
  it('knows a registered patient and not an unregistered one', async () => {
    const { identity } = service();
    expect(await identity.isKnown(P1)).toBe(false);
    await identity.register(P1, 'admin');
    expect(await identity.isKnown(P1)).toBe(true);
    expect(await identity.isKnown(P2)).toBe(false);
  });

  it('stores source, time and demographics; undefined demographics keep the stored ones', async () => {
    const { identity, patients } = service();
    await identity.register(P1, 'iti8', { familyName: 'Hansen' });
    expect(patients.records.get(P1)).toEqual({ patientId: P1, source: 'iti8', updatedAt: fixed.toISOString(), demographics: { familyName: 'Hansen' } });
    await identity.register(P1, 'admin');
    expect(patients.records.get(P1)?.demographics).toEqual({ familyName: 'Hansen' });
    expect(patients.records.get(P1)?.source).toBe('admin');
  });

  it.each([
    ['no assigning authority', 'P1'],
    ['a non-ISO authority', `P1^^^&${DOMAIN}&DNS`],
    ['a non-OID universal id', 'P1^^^&hospital&ISO'],
    ['an empty id', `^^^&${DOMAIN}&ISO`],
    ['a namespace id', `P1^^^NS&${DOMAIN}&ISO`],
  ])('refuses to register %s', async (_label, id) => {
    const { identity, patients } = service();
    await expect(identity.register(id, 'admin')).rejects.toBeInstanceOf(InvalidPatientIdError);
    expect(patients.records.size).toBe(0);
  });

  it('option (c): accepts well-formed ids of configured authorities only', async () => {
    const { identity } = service([DOMAIN]);
    expect(await identity.isKnown(`ANY^^^&${DOMAIN}&ISO`)).toBe(true);
    expect(await identity.isKnown('ANY^^^&1.2.3&ISO')).toBe(false);
    expect(await identity.isKnown(`ANY^^^&${DOMAIN}&DNS`)).toBe(false);
    expect(await identity.isKnown(`^^^&${DOMAIN}&ISO`)).toBe(false);
    expect(await identity.isKnown(`ANY^^^&${DOMAIN}&ISO^PI`)).toBe(false);
  });

  it('option (c) is off by default', async () => {
    const { identity } = service();
    expect(await identity.isKnown(`ANY^^^&${DOMAIN}&ISO`)).toBe(false);
  });

  it('a merged patient is no longer known, the survivor is (also under option (c))', async () => {
    const { identity, patients } = service([DOMAIN]);
    await identity.register(P1, 'iti8', { familyName: 'Old' });
    await identity.merge(P1, P2, 'iti8');
    expect(await identity.isKnown(P1)).toBe(false);
    expect(await identity.isKnown(P2)).toBe(true);
    expect(patients.records.get(P1)).toMatchObject({ mergedInto: P2, demographics: { familyName: 'Old' } });
    // re-registering a merged id keeps it merged
    await identity.register(P1, 'admin');
    expect(await identity.isKnown(P1)).toBe(false);
  });

  it('merge refuses invalid ids and a self-merge, writing nothing', async () => {
    const { identity, patients } = service();
    await expect(identity.merge('bad', P2, 'iti8')).rejects.toBeInstanceOf(InvalidPatientIdError);
    await expect(identity.merge(P1, P1, 'iti8')).rejects.toBeInstanceOf(InvalidPatientIdError);
    expect(patients.records.size).toBe(0);
  });

  it("serves as the registry's PatientIdentity (checked by the compiler)", async () => {
    const { identity } = service();
    const registryView: PatientIdentity = identity;
    await identity.register(P1, 'admin');
    expect(await registryView.isKnown(P1)).toBe(true);
  });

  it('validate() lists the CX problems', () => {
    expect(PatientIdentityService.validate(P1)).toEqual([]);
    expect(PatientIdentityService.validate('P1^^^&1.2&XX').join(' ')).toMatch(/ISO/);
  });
});
