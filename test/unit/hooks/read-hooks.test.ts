import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadHooks, readHooksPolicies, readSorUnitsFile } from '../../../src/hooks/audit/read-hooks.js';
import { openEmbeddedJobQueue } from '../../../src/storage/queue-embedded/index.js';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import type { SqliteJobQueue } from '../../../src/storage/queue-embedded/index.js';
import { createLogger } from '../../../src/util/logger.js';

describe('createReadHooks', () => {
  let dir: string;
  let stores: SqliteStores;
  let queue: SqliteJobQueue;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'read-hooks-'));
    stores = openSqliteStores(':memory:');
    queue = openEmbeddedJobQueue(':memory:', { pollIntervalMs: 10 });
  });
  afterEach(async () => {
    await queue.close();
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a SOR extract, builds the hooks and the service descriptors, ships a read to MinLog', async () => {
    const sorFile = path.join(dir, 'sor.json');
    await writeFile(sorFile, JSON.stringify([{ sorId: '100001' }, { sorId: '100002', parentSorId: '100001', shak: '1301011' }]));
    const read = createReadHooks({ metadata: stores.metadata, queue, log: createLogger('silent'), dataDir: dir, sorUnitsFile: sorFile });
    try {
      expect(await read.consentStore.lineage('100002')).toEqual(['100002', '100001']);
      expect(read.consent.map((h) => h.name)).toEqual(['minspaerring-consent']);
      expect(read.recorders.map((r) => r.name)).toEqual(['access-outbox', 'nsp-audit']);
      expect(read.descriptors.minspaerring.map((d) => d.action)).toEqual([
        'ConsentRegistrationsGetV2', 'ConsentAddPositiveV2', 'ConsentAddConstraintV2', 'ConsentModifyPositiveV2', 'ConsentModifyConstraintV2', 'ConsentRevoke', 'ConsentForUserCheck', 'ConsentForDataCheck',
      ]);
      expect(read.descriptors.minlog.map((d) => d.action)).toEqual(['AddRegistrations', 'ListLogStatements']);
      expect(read.descriptors.brs.map((d) => d.action)).toEqual(['TreatmentRelation', 'GetNotifications']);
      for (const d of [...read.descriptors.minspaerring, ...read.descriptors.minlog, ...read.descriptors.brs]) {
        expect(readHooksPolicies()[d.securityPolicy], d.id).toBeDefined();
        expect(d.readPath).toBe(false);
      }
      read.start();
      for (const r of read.recorders) {
        await r.record({
          context: { requestId: 'r1', receivedAt: new Date(), transaction: 'ITI-18', security: { tokenType: 'dgws-system', authLevel: 3, hsuid: { userType: 'HEALTHCAREPROFESSIONAL', actingUserCpr: '1111111118', orgUsingId: { type: 'skskode', id: '1301011' } } } },
          patientIds: ['0101801234^^^&1.2.208.176.1.2&ISO'],
          documents: [],
          outcome: 'success',
        });
      }
      for (let i = 0; i < 200 && (await read.minlogStore.count()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const [entry] = await read.minlogStore.extract('0101801234');
      expect(entry?.organisation).toEqual({ id: '100002', source: 'SOR' });
    } finally {
      await read.close();
    }
  });

  it('refuses a malformed SOR extract with the file and entry named', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify([{ sorId: '1' }, { parentSorId: '1' }]));
    expect(() => readSorUnitsFile(bad)).toThrow(`${bad}[1]: sorId is required`);
    await writeFile(bad, JSON.stringify([{ sorId: 7 }]));
    expect(() => readSorUnitsFile(bad)).toThrow(`${bad}[0].sorId must be a string`);
  });
});
