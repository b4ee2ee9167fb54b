/**
 * The composition root (architecture.md): reads nothing global, builds every adapter, service and
 * endpoint from one HubConfig, and tears them down in the reverse order. Start-up and shutdown mirror
 * each other so tests can run many hubs in one process.
 */
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { ConfigError, type HubConfig } from './config/config.js';
import { createReadHooks, readHooksPolicies, type ReadHooks } from './hooks/audit/read-hooks.js';
import { createHookRunner } from './hooks/runner.js';
import { createActivityLog, type ActivityLog } from './admin/activity-log.js';
import { adminConfigFromEnv } from './admin/admin-config.js';
import { createAdmin, type Admin, type AdminOptions } from './admin/admin-router.js';
import { ADMIN_READ_TRANSACTION } from './admin/api/read-path.js';
import { MINLOG_QUEUE } from './services/minlog/minlog-worker.js';
import { BRS_QUEUE } from './services/brs/brs-worker.js';
import type { HookRunner } from './hooks/types.js';
import { soapEndpoint, type SoapEndpoint } from './http/soap-endpoint.js';
import { soapDispatchListener } from './http/soap-dispatch.js';
import { createPatientAdminRouter, PatientIdentityService, startIdentityFeedListener, type MllpServer } from './patients/index.js';
import { createSecurityFromEnv, type SecuritySetup } from './security/index.js';
import { openBackends, type Backends } from './storage/select-backends.js';
import { OutboxDispatcher } from './storage/outbox-dispatcher.js';
import { startWalCheckpointer } from './storage/sqlite/wal-checkpointer.js';
import { openClusterState } from './cluster/cluster-state.js';
import { createLogger, type Logger, type LogLevel } from './util/logger.js';
import { createSchemaSet, type SchemaSet } from './xml/schemas.js';
import { StoredQueryService } from './xds/queries/stored-query-service.js';
import { RegistryService } from './xds/registry/register-service.js';
import { AsyncMutex } from './xds/registry/async-mutex.js';
import { loadProfile } from './xds/validate/profile.js';
import { ProvideAndRegisterService } from './xds/repository/provide-and-register.js';
import { inProcessRegistryClient, remoteRegistryClient } from './xds/repository/registry-client.js';
import { RetrieveService } from './xds/repository/retrieve.js';
import type { TransactionDescriptor } from './xds/transactions/descriptor.js';
import type { SecurityContext } from './security/context.js';
import type { SoapRequest } from './soap/types.js';
import { createIti18Descriptor } from './xds/transactions/iti18-registry-stored-query.js';
import { createIti41Descriptor } from './xds/transactions/iti41-provide-and-register.js';
import { createIti42Descriptor } from './xds/transactions/iti42-register.js';
import { createIti43Descriptor } from './xds/transactions/iti43-retrieve-document-set.js';
import { createIti51Descriptor } from './xds/transactions/iti51-multi-patient-query.js';
import { createIti57Descriptor } from './xds/transactions/iti57-update-document-set.js';
import { createIti61Descriptor } from './xds/transactions/iti61-register-on-demand.js';
import { createIti62Descriptor } from './xds/transactions/iti62-delete-document-set.js';
import { createIti86Descriptor } from './xds/transactions/iti86-remove-documents.js';
import { MetadataUpdateService } from './xds/update/update-service.js';
import { RemoveDocumentsService } from './xds/removal/remove-documents-service.js';
import { RemoveMetadataService } from './xds/removal/remove-metadata-service.js';

/** Project root (src/.. or dist/src/..), where schemas/ and ihe-profiles/ live. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What one process of the hub does (src/cluster/): 'all' serves HTTP and runs the background work (the
 * default, one process); in a cluster the workers are 'http' — no outbox dispatcher, MinLog/BRS workers or
 * WAL checkpointer — and the primary is 'background' — those, and the MLLP listener, but no HTTP listener.
 */
export type HubRole = 'all' | 'http' | 'background';

export interface Hub {
  role: HubRole;
  /** the outbox dispatcher (running unless role is 'http'); notify() after an outbox commit elsewhere. */
  outbox: { notify(): void };
  /** the HTTP request listener: SOAP POSTs straight to their endpoint, the rest through express. */
  app: http.RequestListener;
  config: HubConfig;
  backends: Backends;
  hooks: HookRunner;
  /** the consent / MinLog / BRS services behind the hooks (issue #5). */
  read: ReadHooks;
  identity: PatientIdentityService;
  /** the official XSDs, compiled once. */
  schemas: SchemaSet;
  security: SecuritySetup;
  /** the admin UI and API (issue #8). */
  admin: Admin;
  /** recent SOAP transactions and errors by code, as the admin activity view shows them. */
  activity: ActivityLog;
  /**
   * Every read path of the hub by transaction id (SOAP read transactions and the admin document view):
   * each passes the one HookRunner; test/integration/read-paths.test.ts drives every one of them.
   */
  readPaths: string[];
  /** every SOAP transaction the hub serves, for the read-path enumeration test (issue #5). */
  descriptors: TransactionDescriptor[];
  log: Logger;
  close(): Promise<void>;
}

export interface RunningHub {
  hub: Hub;
  baseUrl: string;
  httpPort: number;
  /** -1 when the MLLP listener is disabled. */
  mllpPort: number;
  stop(): Promise<void>;
}

export interface HubOptions {
  logger?: Logger;
  /** environment for the security settings (XDS_TRUSTED_STS_CERTS, XDS_DEV_STS, ...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** directory of the official schemas (default <project>/schemas). */
  schemasDir?: string;
  /**
   * Replaces parts of the admin UI's wiring (default: users and cookies from XDS_ADMIN_USERS and friends,
   * the hub's stores, MinLog and Min Spærring) — tests use it for fast password hashes, no login delay, or
   * an admin without MinLog.
   */
  admin?: Partial<AdminOptions>;
  /** default 'all'; see HubRole. */
  role?: HubRole;
  /** role 'http': tells the background process that reads committed access rows to the outbox. */
  notifyOutbox?: () => void;
  /** role 'http': this worker's number, reported by /health. */
  workerId?: number;
}

/** Builds the hub (adapters, services, express app) without listening. */
export async function createHub(config: HubConfig, options: HubOptions = {}): Promise<Hub> {
  const env = options.env ?? process.env;
  const role = options.role ?? 'all';
  await mkdir(config.dataDir, { recursive: true });
  // In a cluster (src/cluster/) what one process remembers must hold for all (cluster-state.ts). The
  // primary ('background') opens the file first, before it forks the workers.
  const clusterState =
    role === 'all' ? undefined : openClusterState(config.dataDir, { onActivityError: (err) => log.warn('admin activity not recorded', { error: String(err) }) });
  // The activity view of the admin UI (issue #8) reads the request and audit records the hub logs.
  const activity = createActivityLog(clusterState ? { store: clusterState.activity } : {});
  const log = activity.logger(options.logger ?? createLogger((env.XDS_LOG_LEVEL as LogLevel | undefined) ?? 'info'));
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch((err) => log.error('shutdown step failed', { error: String(err) }));
    closers.length = 0;
  };
  if (clusterState) closers.push(async () => clusterState.close());
  try {
    const schemas: SchemaSet = createSchemaSet(options.schemasDir ?? path.join(PROJECT_ROOT, 'schemas'));
    closers.push(async () => schemas.dispose());
    const backends = await openBackends(config, { env });
    closers.push(() => backends.close());
    // Transactional outbox → JobQueue (MinLog shipping, BRS follow-up): rows written with the metadata are
    // moved to the queue with their key as idempotency key, so nothing is lost and nothing doubled.
    const dispatcher = new OutboxDispatcher(backends.metadata, backends.queue, {
      onError: (err) => log.error('outbox dispatch failed; will retry', { error: String(err) }),
    });
    const background = role !== 'http';
    if (background) {
      dispatcher.start();
      closers.push(() => dispatcher.stop());
    }

    if (config.insecureDevelopment) {
      log.warn('INSECURE DEVELOPMENT MODE: requests without security tokens are accepted (XDS_INSECURE_DEV). Never use this in production.');
    }
    // One security stack for every SOAP service (issue #4): DGWS / IDWS → SecurityContext.
    const security = createSecurityFromEnv(
      {
        dataDir: config.dataDir,
        insecureDevelopment: config.insecureDevelopment,
        extraPolicies: readHooksPolicies(),
        replay: clusterState?.replay,
      },
      env,
    );
    for (const warning of security.warnings) log.warn(warning);

    // Consent (Min Spærring), MinLog and BRS on every read path (issue #5), through one HookRunner.
    const read: ReadHooks = createReadHooks({
      metadata: backends.metadata,
      queue: backends.queue,
      log,
      dataDir: config.dataDir,
      systemName: config.minlogSystemName,
      brs: config.brs,
      sorUnitsFile: config.sorUnitsFile,
      // An HTTP worker's reads wake the background process's dispatcher (which also polls the outbox).
      dispatcher: background ? dispatcher : { notify: options.notifyOutbox ?? (() => undefined) },
    });
    closers.push(() => read.close());
    // WAL checkpoints of the embedded SQLite files on a worker thread, not in a commit on the event loop.
    if (background) {
      const checkpointer = startWalCheckpointer([...backends.sqliteFiles, ...read.sqliteFiles, ...(clusterState ? [clusterState.file] : [])], {
        onError: (message) => log.warn('WAL checkpoint failed; SQLite checkpoints on commit instead', { error: message }),
      });
      closers.push(() => checkpointer.close());
    }
    const hooks = createHookRunner({ consent: read.consent, recorders: read.recorders });
    if (background) read.start();
    const identity = new PatientIdentityService({
      patients: backends.patients,
      autoAcceptAssigningAuthorities: config.autoAcceptAssigningAuthorities,
    });
    const profile = loadProfile(path.join(PROJECT_ROOT, 'ihe-profiles'), config.profile);
    // One write lock for every registry write (ITI-42/41, ITI-57, ITI-61, ITI-62) in this process; the
    // MetadataWrite preconditions guard against other processes.
    const writeLock = new AsyncMutex();
    const serialize = <T>(fn: () => Promise<T>) => writeLock.run(fn);
    const registry = new RegistryService({ store: backends.metadata, patients: identity, profile, codeValidation: config.codeValidation, serialize });
    const queries = new StoredQueryService({
      store: backends.metadata,
      hooks,
      config: { maxResults: config.maxQueryResults, homeCommunityId: config.homeCommunityId },
    });
    const registryClient = config.remoteRegistryUrl ? remoteRegistryClient(config.remoteRegistryUrl, { credentials: config.remoteRegistryCredentials, insecureDevelopment: config.insecureDevelopment, log }) : inProcessRegistryClient(registry);
    const pnr = new ProvideAndRegisterService({ documents: backends.documents, registry: registryClient, repositoryUniqueId: config.repositoryUniqueId });
    const retrieve = new RetrieveService({
      documents: backends.documents,
      metadata: backends.metadata,
      hooks,
      repositoryUniqueId: config.repositoryUniqueId,
      homeCommunityId: config.homeCommunityId,
    });

    // DROS (issue #6): metadata update, on-demand entries, removal.
    const update = new MetadataUpdateService({ store: backends.metadata, patients: identity, profile, codeValidation: config.codeValidation, serialize });
    const removeMetadata = new RemoveMetadataService({ store: backends.metadata, serialize });
    const removeDocuments = new RemoveDocumentsService({ documents: backends.documents, repositoryUniqueId: config.repositoryUniqueId });

    const registryDescriptors = [
      createIti18Descriptor(queries),
      createIti42Descriptor(registry),
      createIti51Descriptor(queries),
      createIti57Descriptor({ update }),
      createIti61Descriptor({ registry }),
      createIti62Descriptor({ removal: removeMetadata }),
    ];
    const repositoryDescriptors = [createIti41Descriptor(pnr), createIti43Descriptor(retrieve), createIti86Descriptor({ removal: removeDocuments })];

    const adminConfig = adminConfigFromEnv(env);
    const admin = createAdmin({
      users: adminConfig.users,
      secureCookies: adminConfig.secureCookies,
      ...(clusterState ? clusterState.admin({ sessionIdleMs: adminConfig.sessionIdleMs }) : { sessions: { idleMs: adminConfig.sessionIdleMs } }),
      metadata: backends.metadata,
      documents: backends.documents,
      patients: backends.patients,
      hooks,
      repositoryUniqueId: config.repositoryUniqueId,
      profilesDir: path.join(PROJECT_ROOT, 'ihe-profiles'),
      profile: config.profile,
      queue: backends.queue,
      queueNames: [MINLOG_QUEUE, BRS_QUEUE],
      activity,
      minlog: read.minlogStore,
      consents: read.consentStore,
      describe: backends.describe,
      log,
      ...options.admin,
    });

    const app = express();
    app.disable('x-powered-by');
    if (config.trustProxy !== undefined) {
      try {
        app.set('trust proxy', config.trustProxy);
      } catch (err) {
        throw new ConfigError(`XDS_TRUST_PROXY "${String(config.trustProxy)}" is not a valid express 'trust proxy' value: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const limits = {
      maxRequestBytes: config.maxRequestBytes,
      maxXmlBytes: config.maxXmlBytes,
      spoolThresholdBytes: config.spoolThresholdBytes,
      spoolDir: path.join(config.dataDir, 'spool'),
    };
    const authenticate = (request: SoapRequest, descriptor: TransactionDescriptor) =>
      security.stack.authenticate(request, descriptor.securityPolicy);
    const replyHeaders = (ctx: SecurityContext) => security.stack.replyHeaders(ctx);
    const soapEndpoints: SoapEndpoint[] = [];
    const endpoint = (name: string, paths: string[], descriptors: TransactionDescriptor[], wsdl?: string) => {
      const e = soapEndpoint({
        name,
        paths,
        descriptors,
        schemas,
        limits,
        authenticate,
        replyHeaders,
        wsdl: wsdl ? { file: wsdl } : undefined,
        publicBaseUrl: config.publicBaseUrl,
        log,
      });
      soapEndpoints.push(e);
      return e.router;
    };
    app.use(endpoint('registry', ['/xds/registry', '/ddsregistry', '/dros/iti42', '/dros/iti57', '/ddsregistry/metadataupdate'], registryDescriptors, 'ihe/wsdl/XDS.b_DocumentRegistry.wsdl'));
    app.use(endpoint('repository', ['/xds/repository', '/ddsrepository', '/dros/iti41'], repositoryDescriptors, 'ihe/wsdl/XDS.b_DocumentRepository.wsdl'));
    app.use(endpoint('minspaerring', ['/minspaerring'], read.descriptors.minspaerring));
    app.use(endpoint('minlog', ['/minlog', '/minlog2-registration/20250312/RegisterService'], read.descriptors.minlog));
    app.use(endpoint('brs', ['/brs', '/brs-nsp/service/brs'], read.descriptors.brs));
    for (const router of security.routers) app.use(router);
    app.use('/admin', admin.router);
    // The patient REST endpoint is behind the same admin login and CSRF check.
    app.use('/api/patients', createPatientAdminRouter({ identity, logger: log, auth: admin.requireLogin }));
    app.get('/health', (_req, res) => {
      res.json(options.workerId === undefined ? { status: 'ok' } : { status: 'ok', worker: options.workerId });
    });

    const descriptors = [
      ...registryDescriptors,
      ...repositoryDescriptors,
      ...read.descriptors.minspaerring,
      ...read.descriptors.minlog,
      ...read.descriptors.brs,
    ];
    const readPaths = [...descriptors.filter((d) => d.readPath).map((d) => d.id), ADMIN_READ_TRANSACTION];
    const listener = soapDispatchListener(soapEndpoints, app);
    return { role, outbox: dispatcher, app: listener, activity, config, backends, hooks, read, identity, schemas, security, admin, readPaths, descriptors, log, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The ITI-8 MLLP listener of the hub (undefined when config.mllpPort is -1). */
export async function startMllpListener(hub: Hub): Promise<MllpServer | undefined> {
  if (hub.config.mllpPort < 0) return undefined;
  return startIdentityFeedListener({
    host: hub.config.httpHost,
    port: hub.config.mllpPort,
    identity: hub.identity,
    affinityDomainAuthorities: hub.config.affinityDomainAuthorities,
    logger: hub.log,
  });
}

/** Builds the hub and starts its HTTP and (unless role is 'http') MLLP listeners. */
export async function startHub(config: HubConfig, options: HubOptions = {}): Promise<RunningHub> {
  if (options.role === 'background') throw new Error("startHub serves HTTP; a 'background' hub is started by src/cluster/primary.ts");
  const hub = await createHub(config, options);
  let server: http.Server | undefined;
  let mllp: MllpServer | undefined;
  try {
    server = http.createServer(hub.app);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(config.httpPort, config.httpHost, () => resolve());
    });
    const httpPort = (server.address() as AddressInfo).port;
    if (hub.role !== 'http') mllp = await startMllpListener(hub);
    const host = config.httpHost === '0.0.0.0' || config.httpHost === '::' ? '127.0.0.1' : config.httpHost;
    const running: RunningHub = {
      hub,
      baseUrl: `http://${host}:${httpPort}`,
      httpPort,
      mllpPort: mllp?.port ?? -1,
      async stop() {
        await mllp?.close();
        await new Promise<void>((resolve) => {
          server!.close(() => resolve());
          server!.closeAllConnections();
        });
        await hub.close();
      },
    };
    hub.log.info('xds-hub started', { http: running.baseUrl, mllpPort: running.mllpPort, dataDir: config.dataDir });
    return running;
  } catch (err) {
    await mllp?.close();
    server?.close();
    await hub.close();
    throw err;
  }
}
