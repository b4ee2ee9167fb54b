/**
 * createReadHooks: everything issue #5 adds to the read paths, built from the hub's ports in one call for the
 * composition root (src/app.ts):
 *
 *   const read = createReadHooks({ metadata: backends.metadata, queue: backends.queue, log, dataDir: config.dataDir });
 *   const hooks = createHookRunner({ consent: read.consent, recorders: read.recorders });
 *   read.start();                       // MinLog + BRS workers (+ the outbox dispatcher unless one is given)
 *   descriptors: read.descriptors.minspaerring / .minlog / .brs  → createSoapEndpoint on their paths
 *   closers: await read.close()         // before the queue and the metadata store close
 *
 * Consent: the Min Spærring ConsentHook. Recorders, in order: the access outbox (MinLog registrations + BRS
 * follow-up orders in one MetadataStore commit), then the NSP audit record — so a read whose access could not
 * be made durable fails without an audit record claiming it succeeded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OutboxDispatcher } from '../../storage/outbox-dispatcher.js';
import type { JobQueue, MetadataStore } from '../../storage/ports.js';
import type { Logger } from '../../util/logger.js';
import type { TransactionDescriptor } from '../../xds/transactions/descriptor.js';
import { ConsentService } from '../../services/minspaerring/consent-service.js';
import { createMinSpaerringDescriptors, minSpaerringPolicy } from '../../services/minspaerring/descriptors.js';
import type { SecurityPolicies } from '../../security/policies.js';
import { SqliteConsentStore } from '../../services/minspaerring/sqlite-consent-store.js';
import { createMinLogDescriptors, minLogExtractPolicy, minLogRegistrationPolicy } from '../../services/minlog/descriptors.js';
import { startMinLogWorker } from '../../services/minlog/minlog-worker.js';
import { SqliteMinLogStore } from '../../services/minlog/sqlite-minlog-store.js';
import { startBrsWorker } from '../../services/brs/brs-worker.js';
import { brsPolicy, createBrsDescriptors } from '../../services/brs/descriptors.js';
import { SqliteBrsNotificationStore } from '../../services/brs/sqlite-notification-store.js';
import { metadataEvidence, TreatmentRelationService } from '../../services/brs/treatment-relation-service.js';
import type { OwnGpRegister } from '../../services/brs/ports.js';
import type { SorUnit } from '../../services/minspaerring/ports.js';
import { createConsentHook } from '../consent/consent-hook.js';
import { createAccessOutboxRecorder } from '../minlog/access-outbox-recorder.js';
import type { ConsentHook, ReadRecorder } from '../runner.js';
import { createNspAuditRecorder } from './nsp-audit-recorder.js';

export interface ReadHooksDeps {
  metadata: MetadataStore;
  queue: JobQueue;
  log: Logger;
  /** the three service databases go here: minspaerring.db, minlog.db, brs.db. */
  dataDir: string;
  /** MinLog SystemName of the hub (default 'DDS'). */
  systemName?: string;
  /** BRS follow-up configuration (dk-nsp.md §2.6); default ExternalReferenceId 'xds-hub', QueryableCvr '00000000'. */
  brs?: { externalReferenceId: string; queryableCvr: string } | false;
  /** an outbox dispatcher the hub already runs (its notify() is called after each access commit); otherwise one is created. */
  dispatcher?: { notify(): void };
  ownGp?: OwnGpRegister;
  /** a SOR extract to load at start (JSON array of SorUnit: sorId, parentSorId?, name?, shak?, yder?). */
  sorUnitsFile?: string;
  clock?: () => Date;
}

/** Reads a SOR extract file; a malformed file is a start-up error naming the file and the entry. */
export function readSorUnitsFile(file: string): SorUnit[] {
  const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of SOR units`);
  return data.map((u: unknown, i) => {
    const o = (u ?? {}) as Record<string, unknown>;
    const str = (k: string): string | undefined => {
      const v = o[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string') throw new Error(`${file}[${i}].${k} must be a string`);
      return v;
    };
    const sorId = str('sorId');
    if (!sorId) throw new Error(`${file}[${i}]: sorId is required`);
    return { sorId, parentSorId: str('parentSorId'), name: str('name'), shak: str('shak'), yder: str('yder') };
  });
}

export interface ReadHooks {
  consent: ConsentHook[];
  recorders: ReadRecorder[];
  consentStore: SqliteConsentStore;
  /** the services' SQLite files (Min Spærring, MinLog, BRS), for the WAL checkpoint worker. */
  sqliteFiles: string[];
  consentService: ConsentService;
  minlogStore: SqliteMinLogStore;
  brsNotifications: SqliteBrsNotificationStore;
  relations: TreatmentRelationService;
  descriptors: { minspaerring: TransactionDescriptor[]; minlog: TransactionDescriptor[]; brs: TransactionDescriptor[] };
  /** starts the MinLog and BRS workers (and the own outbox dispatcher). */
  start(): void;
  /** stops the own dispatcher and closes the service stores (close the JobQueue first: it stops the workers). */
  close(): Promise<void>;
}

/** The security policies the three services' descriptors name (add them to the hub's SecurityPolicies). */
export function readHooksPolicies(brsWhitelistedCvrs?: string[]): SecurityPolicies {
  const list = [minSpaerringPolicy(), minLogRegistrationPolicy(), minLogExtractPolicy(), brsPolicy(brsWhitelistedCvrs)];
  return Object.fromEntries(list.map((p) => [p.id, p]));
}

export function createReadHooks(deps: ReadHooksDeps): ReadHooks {
  const sorUnits = deps.sorUnitsFile ? readSorUnitsFile(deps.sorUnitsFile) : [];
  const sqliteFiles = ['minspaerring.db', 'minlog.db', 'brs.db'].map((f) => path.join(deps.dataDir, f));
  const consentStore = new SqliteConsentStore(path.join(deps.dataDir, 'minspaerring.db'));
  if (sorUnits.length > 0) consentStore.upsertSorUnitsSync(sorUnits);
  const minlogStore = new SqliteMinLogStore(path.join(deps.dataDir, 'minlog.db'));
  const brsNotifications = new SqliteBrsNotificationStore(path.join(deps.dataDir, 'brs.db'));
  const consentService = new ConsentService({ store: consentStore, sor: consentStore, clock: deps.clock });
  const relations = new TreatmentRelationService({ evidence: metadataEvidence(deps.metadata), sor: consentStore, ownGp: deps.ownGp });
  const ownDispatcher = deps.dispatcher
    ? undefined
    : new OutboxDispatcher(deps.metadata, deps.queue, { onError: (err) => deps.log.warn('outbox dispatch failed', { error: String(err) }) });
  const notifier = deps.dispatcher ?? ownDispatcher!;
  const brs = deps.brs === false ? undefined : (deps.brs ?? { externalReferenceId: 'xds-hub', queryableCvr: '00000000' });

  return {
    consent: [createConsentHook({ consents: consentStore, sor: consentStore, clock: deps.clock })],
    recorders: [
      createAccessOutboxRecorder({ store: deps.metadata, minlog: { systemName: deps.systemName ?? 'DDS', sor: consentStore }, brs, onCommitted: () => notifier.notify() }),
      createNspAuditRecorder(deps.log),
    ],
    consentStore,
    sqliteFiles,
    consentService,
    minlogStore,
    brsNotifications,
    relations,
    descriptors: {
      minspaerring: createMinSpaerringDescriptors(consentService, consentStore),
      minlog: createMinLogDescriptors(minlogStore),
      brs: createBrsDescriptors({ relations, notifications: brsNotifications, queue: deps.queue, clock: deps.clock }),
    },
    start() {
      startMinLogWorker(deps.queue, minlogStore);
      startBrsWorker(deps.queue, relations, brsNotifications);
      ownDispatcher?.start();
    },
    async close() {
      await ownDispatcher?.stop();
      await consentStore.close();
      await minlogStore.close();
      await brsNotifications.close();
    },
  };
}
