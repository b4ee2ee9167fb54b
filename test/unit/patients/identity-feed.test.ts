import { describe, expect, it } from 'vitest';
import { parseHl7 } from '../../../src/patients/hl7-message.js';
import { createIdentityFeed } from '../../../src/patients/identity-feed.js';
import { PatientIdentityService } from '../../../src/patients/patient-identity.js';
import { MemoryPatientStore } from './memory-patient-store.js';

const DOMAIN = '1.3.6.1.4.1.21367.2005.13.20.1000';
const PID_NIST = `P0614133506.2^^^&${DOMAIN}&ISO`;

/** The shape the NIST XDS Toolkit sends for tests 15817/15817b/15818 (gov.nist.toolkit.adt.A01Sender). */
function nistA01(pid: string): string {
  return [
    'MSH|^~\\&|NIST_SENDER|NIST|NIST_RECEIVER|NIST|201301011226||ADT^A01|HL7MSG00001|P|2.3|',
    'EVN||20090224104145-0600',
    `PID|||${pid}||APPLESEED^JOHN^A^III||19710101|M||C|1^CATALYZE STREET^^MADISON^WI^53005-1020|GL|(414)379-1212|(414)271-3434||S||MRN12345001^2^M10|123456789|987654^NC|`,
    'PV1||I',
  ]
    .map((s) => `${s.trim()}\r`)
    .join('');
}

function adt(event: string, pid3: string, opts: { version?: string; control?: string; pid5?: string; pid7?: string; pid8?: string; extra?: string } = {}): string {
  const segs = [
    `MSH|^~\\&|SRC|SFAC|XDS|RFAC|20250101120000||ADT^${event}^ADT_A01|${opts.control ?? 'CTL-1'}|P|${opts.version ?? '2.5'}`,
    `EVN|${event}|20250101120000`,
    `PID|||${pid3}||${opts.pid5 ?? 'Hansen^Ida'}||${opts.pid7 ?? '19800101'}|${opts.pid8 ?? 'F'}`,
  ];
  if (opts.extra) segs.push(opts.extra);
  return `${segs.join('\r')}\r`;
}

function setup(options: { domains?: string[] } = {}) {
  const patients = new MemoryPatientStore();
  const identity = new PatientIdentityService({ patients, clock: () => new Date('2026-01-01T00:00:00Z') });
  const feed = createIdentityFeed({
    identity,
    affinityDomainAuthorities: options.domains ?? [DOMAIN],
    application: { name: 'XDS-HUB', facility: 'HUB' },
    clock: () => new Date('2026-02-03T04:05:06Z'),
    newMessageControlId: () => 'ACK-1',
  });
  return { patients, identity, feed };
}

async function send(feed: ReturnType<typeof setup>['feed'], text: string) {
  const { ack, outcome } = await feed.handleText(text);
  const m = parseHl7(ack);
  return { ack, outcome, m, code: m.value('MSA', 1), msa2: m.value('MSA', 2) };
}

describe('ITI-8 identity feed: accepted events', () => {
  it('takes the NIST 15817 message: AA, patient known, demographics kept', async () => {
    const { feed, identity, patients } = setup();
    const r = await send(feed, nistA01(PID_NIST));
    expect(r.code).toBe('AA');
    expect(r.msa2).toBe('HL7MSG00001');
    expect(await identity.isKnown(PID_NIST)).toBe(true);
    expect(patients.records.get(PID_NIST)).toMatchObject({
      source: 'iti8',
      demographics: { familyName: 'APPLESEED', givenName: 'JOHN', secondNames: 'A', suffix: 'III', birthDate: '19710101', sex: 'M' },
    });
  });

  it('answers with sender and receiver swapped, ACK^A01, a new control id, the request version', async () => {
    const { feed } = setup();
    const { m } = await send(feed, nistA01(PID_NIST));
    expect([m.value('MSH', 3), m.value('MSH', 4), m.value('MSH', 5), m.value('MSH', 6)]).toEqual(['NIST_RECEIVER', 'NIST', 'NIST_SENDER', 'NIST']);
    expect([m.value('MSH', 9, 1), m.value('MSH', 9, 2)]).toEqual(['ACK', 'A01']);
    expect(m.value('MSH', 7)).toBe('20260203040506+0000');
    expect(m.value('MSH', 10)).toBe('ACK-1');
    expect(m.value('MSH', 11)).toBe('P');
    expect(m.value('MSH', 12)).toBe('2.3');
    expect(m.segment('ERR')).toBeUndefined();
  });

  it.each(['A01', 'A04', 'A05', 'A08'])('ADT^%s creates the patient (AA)', async (event) => {
    const { feed, identity } = setup();
    const r = await send(feed, adt(event, `X9^^^&${DOMAIN}&ISO`));
    expect(r.code).toBe('AA');
    expect(r.msa2).toBe('CTL-1');
    expect(r.outcome).toMatchObject({ ackCode: 'AA', event, patientId: `X9^^^&${DOMAIN}&ISO` });
    expect(await identity.isKnown(`X9^^^&${DOMAIN}&ISO`)).toBe(true);
  });

  it('picks the affinity-domain identifier among PID-3 repetitions', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A01', `LOCAL7^^^HOSP&1.2.3.4&ISO~MRN1^^^^MR~P42^^^&${DOMAIN}&ISO^PI`));
    expect(r.code).toBe('AA');
    expect([...patients.records.keys()]).toEqual([`P42^^^&${DOMAIN}&ISO`]);
  });

  it('with no configured domain takes the first ISO-OID identifier', async () => {
    const { feed, patients } = setup({ domains: [] });
    const r = await send(feed, adt('A04', `MRN1^^^HOSP~LOCAL7^^^&1.2.3.4&ISO~P42^^^&${DOMAIN}&ISO`));
    expect(r.code).toBe('AA');
    expect([...patients.records.keys()]).toEqual(['LOCAL7^^^&1.2.3.4&ISO']);
  });

  it('A08 updates demographics: empty fields keep, "" deletes, values replace', async () => {
    const { feed, patients } = setup();
    const id = `U1^^^&${DOMAIN}&ISO`;
    await send(feed, adt('A01', id, { pid5: 'Hansen^Ida^Marie', pid7: '19800101', pid8: 'F' }));
    const r = await send(feed, adt('A08', id, { pid5: 'Jensen^Ida', pid7: '', pid8: '""' }));
    expect(r.code).toBe('AA');
    expect(patients.records.get(id)?.demographics).toEqual({ familyName: 'Jensen', givenName: 'Ida', birthDate: '19800101' });
  });

  it('resolves escapes in names', async () => {
    const { feed, patients } = setup();
    await send(feed, adt('A01', `E1^^^&${DOMAIN}&ISO`, { pid5: 'O\\S\\Brien\\T\\Co^Ann' }));
    expect(patients.records.get(`E1^^^&${DOMAIN}&ISO`)?.demographics?.familyName).toBe('O^Brien&Co');
  });

  it('reads the event from EVN-1 when MSH-9.2 is empty (v2.3.1 senders)', async () => {
    const { feed } = setup();
    const text = adt('A04', `V1^^^&${DOMAIN}&ISO`).replace('ADT^A04^ADT_A01', 'ADT');
    const r = await send(feed, text);
    expect(r.code).toBe('AA');
    expect(r.outcome.event).toBe('A04');
  });

  it('reads custom delimiters and answers in them', async () => {
    const { feed, patients } = setup();
    const text = `MSH#$@*!#SRC#F#XDS#R#2025##ADT$A01#C-9#P#2.3.1\rPID###Z1$$$!${DOMAIN}!ISO##Berg$Ole\r`;
    const { ack, outcome } = await feed.handleText(text);
    expect(outcome.ackCode).toBe('AA');
    expect(ack.startsWith('MSH#$@*!#')).toBe(true);
    expect(ack).toContain('MSA#AA#C-9');
    expect(patients.records.get(`Z1^^^&${DOMAIN}&ISO`)?.demographics).toMatchObject({ familyName: 'Berg', givenName: 'Ole' });
  });
});

describe('ITI-8 identity feed: A40 merge', () => {
  it('merges MRG-1 into PID-3: the prior id is no longer known', async () => {
    const { feed, identity, patients } = setup();
    const oldId = `OLD1^^^&${DOMAIN}&ISO`;
    const newId = `NEW1^^^&${DOMAIN}&ISO`;
    await send(feed, adt('A01', oldId));
    const r = await send(feed, adt('A40', newId, { extra: `MRG|${oldId}` }));
    expect(r.code).toBe('AA');
    expect(r.outcome).toMatchObject({ patientId: newId, mergedIds: [oldId] });
    expect(await identity.isKnown(oldId)).toBe(false);
    expect(await identity.isKnown(newId)).toBe(true);
    expect(patients.records.get(oldId)?.mergedInto).toBe(newId);
  });

  it('an update for a merged id is refused with AE', async () => {
    const { feed } = setup();
    const oldId = `OLD2^^^&${DOMAIN}&ISO`;
    await send(feed, adt('A40', `NEW2^^^&${DOMAIN}&ISO`, { extra: `MRG|${oldId}` }));
    const r = await send(feed, adt('A08', oldId));
    expect(r.code).toBe('AE');
    expect(r.m.value('MSA', 3)).toContain('merged into');
  });

  it('A40 without MRG is AE 100 and writes nothing', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A40', `NEW3^^^&${DOMAIN}&ISO`));
    expect(r.code).toBe('AE');
    expect(r.m.value('ERR', 3, 1)).toBe('100');
    expect(patients.records.size).toBe(0);
  });

  it('A40 whose MRG-1 has no domain identifier is AE 204 naming MRG-1', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A40', `NEW4^^^&${DOMAIN}&ISO`, { extra: 'MRG|OLD^^^&9.9.9&ISO' }));
    expect(r.code).toBe('AE');
    expect(r.m.value('ERR', 2, 1)).toBe('MRG');
    expect(r.m.value('ERR', 3, 1)).toBe('204');
    expect(patients.records.size).toBe(0);
  });
});

describe('ITI-8 identity feed: errors and rejections', () => {
  it('garbage is rejected with AR and no MSA-2', async () => {
    const { feed } = setup();
    const r = await send(feed, 'this is not HL7');
    expect(r.code).toBe('AR');
    expect(r.msa2).toBe('');
    expect(r.m.value('MSH', 9)).toBe('ACK');
    expect(r.m.value('MSH', 3)).toBe('XDS-HUB');
  });

  it('an unsupported ADT event is AR 201 (HL7 v2.5 §2.9.2.2: unsupported event code)', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A03', `X1^^^&${DOMAIN}&ISO`));
    expect(r.code).toBe('AR');
    expect(r.msa2).toBe('CTL-1');
    expect(r.m.value('ERR', 3, 1)).toBe('201');
    expect(r.m.value('ERR', 4)).toBe('E');
    expect(patients.records.size).toBe(0);
  });

  it('a non-ADT message is AR 200', async () => {
    const { feed } = setup();
    const r = await send(feed, adt('A01', `X1^^^&${DOMAIN}&ISO`).replace('ADT^A01^ADT_A01', 'ORU^R01^ORU_R01'));
    expect(r.code).toBe('AR');
    expect(r.m.value('ERR', 3, 1)).toBe('200');
  });

  it('a non-v2 version is AR 203', async () => {
    const { feed } = setup();
    const r = await send(feed, adt('A01', `X1^^^&${DOMAIN}&ISO`, { version: '3.0' }));
    expect(r.code).toBe('AR');
    expect(r.m.value('ERR', 3, 1)).toBe('203');
  });

  it('an empty MSH-10 is AR 101', async () => {
    const { feed } = setup();
    const r = await send(feed, adt('A01', `X1^^^&${DOMAIN}&ISO`, { control: '' }));
    expect(r.code).toBe('AR');
    expect(r.m.value('ERR', 2, 3)).toBe('10');
  });

  it('missing PID-3 is AE 101 located at PID-3 (v2.5 ERR layout)', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A01', ''));
    expect(r.code).toBe('AE');
    expect(r.msa2).toBe('CTL-1');
    expect([r.m.value('ERR', 2, 1), r.m.value('ERR', 2, 2), r.m.value('ERR', 2, 3)]).toEqual(['PID', '1', '3']);
    expect([r.m.value('ERR', 3, 1), r.m.value('ERR', 3, 3)]).toEqual(['101', 'HL70357']);
    expect(r.m.value('ERR', 8)).toBe('PID-3 (patient identifier list) is empty');
    expect(patients.records.size).toBe(0);
  });

  it('missing PID-3 in a v2.3 message uses the ERR-1 layout', async () => {
    const { feed } = setup();
    const r = await send(feed, nistA01(''));
    expect(r.code).toBe('AE');
    expect([r.m.value('ERR', 1, 1), r.m.value('ERR', 1, 3), r.m.value('ERR', 1, 4, 1)]).toEqual(['PID', '3', '101']);
  });

  it('a message without PID is AE 100', async () => {
    const { feed } = setup();
    const r = await send(feed, 'MSH|^~\\&|S|F|R|F|2025||ADT^A01|C1|P|2.5\rEVN|A01|2025\r');
    expect(r.code).toBe('AE');
    expect(r.m.value('ERR', 3, 1)).toBe('100');
  });

  it('PID-3 without an identifier of the affinity domain is AE 204', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A01', 'X1^^^&1.2.3.4&ISO~Y^^^HOSP'));
    expect(r.code).toBe('AE');
    expect(r.m.value('ERR', 3, 1)).toBe('204');
    expect(r.m.value('MSA', 3)).toContain(DOMAIN);
    expect(patients.records.size).toBe(0);
  });

  it('an id that cannot be an XDS CX (escaped ^ inside) is AE 102', async () => {
    const { feed, patients } = setup();
    const r = await send(feed, adt('A01', `A\\S\\B^^^&${DOMAIN}&ISO`));
    expect(r.code).toBe('AE');
    expect(r.m.value('ERR', 3, 1)).toBe('102');
    expect(patients.records.size).toBe(0);
  });

  it('a store failure is AE 207 without internal details', async () => {
    const { feed, patients } = setup();
    patients.failNext = new Error('SQLITE_BUSY: database is locked at /secret/path');
    const r = await send(feed, adt('A01', `X1^^^&${DOMAIN}&ISO`));
    expect(r.code).toBe('AE');
    expect(r.m.value('ERR', 3, 1)).toBe('207');
    expect(r.ack).not.toContain('SQLITE');
    expect(r.ack).not.toContain('/secret');
  });

  it('an oversize frame is AR quoting the MSH-10 from its head', async () => {
    const { feed } = setup();
    const head = adt('A01', `X1^^^&${DOMAIN}&ISO`).slice(0, 120);
    const { ack, outcome } = await feed.handleText(head, { oversize: { size: 5_000_000, limit: 1_048_576 } });
    expect(outcome.ackCode).toBe('AR');
    const m = parseHl7(ack);
    expect(m.value('MSA', 2)).toBe('CTL-1');
    expect(m.value('MSA', 3)).toContain('5000000 bytes');
  });
});

describe('ITI-8 identity feed: bytes and charsets', () => {
  it('decodes ISO 8859-1 announced in MSH-18 and answers in it', async () => {
    const { feed, patients } = setup();
    const text = `MSH|^~\\&|S|F|R|F|2025||ADT^A01|C1|P|2.5||||||8859/1\rPID|||L1^^^&${DOMAIN}&ISO||Søgård^Åse\r`;
    const reply = await feed.handleFrame(Buffer.from(text, 'latin1'), {});
    expect(patients.records.get(`L1^^^&${DOMAIN}&ISO`)?.demographics).toMatchObject({ familyName: 'Søgård', givenName: 'Åse' });
    const ackText = Buffer.from(reply as Buffer).toString('latin1');
    expect(ackText).toContain('MSA|AA|C1');
    expect(parseHl7(ackText).value('MSH', 18)).toBe('8859/1');
  });

  it('decodes unannounced UTF-8, and falls back to Latin-1 for invalid UTF-8', async () => {
    const { feed, patients } = setup();
    const utf = `MSH|^~\\&|S|F|R|F|2025||ADT^A01|C1|P|2.5\rPID|||U8^^^&${DOMAIN}&ISO||Ærø^Bo\r`;
    await feed.handleFrame(Buffer.from(utf, 'utf8'), {});
    expect(patients.records.get(`U8^^^&${DOMAIN}&ISO`)?.demographics?.familyName).toBe('Ærø');
    const latin = utf.replace('U8', 'L8');
    await feed.handleFrame(Buffer.from(latin, 'latin1'), {});
    expect(patients.records.get(`L8^^^&${DOMAIN}&ISO`)?.demographics?.familyName).toBe('Ærø');
  });
});
