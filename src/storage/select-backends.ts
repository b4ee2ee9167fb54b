/**
 * Chooses the storage adapters from configuration by URL prefix and opens them (the composition root
 * calls openBackends once). Embedded defaults need no server; production uses MongoDB, S3/MinIO, Redis:
 *
 *   XDS_METADATA_STORE  sqlite:<file>             | mongodb://… or mongodb+srv://…   (MetadataStore + PatientStore)
 *   XDS_DOCUMENT_STORE  file:<dir>                | s3://key:secret@host:port/bucket[/prefix][?tls=false]
 *   XDS_QUEUE           queue:embedded            | redis://[user:pass@]host:port[/db][?prefix=xds], rediss://
 *
 * planBackends() validates all three URLs first (no I/O), so a typo fails at start-up with a ConfigError
 * naming the variable, before anything connects. Secrets never appear in messages or in `describe`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type HubConfig } from '../config/config.js';
import type { DocumentStore, JobQueue, MetadataStore, PatientStore } from './ports.js';
import { openBullmqJobQueue, parseRedisUrl } from './bullmq/index.js';
import { openFsDocumentStore } from './fs/index.js';
import { mongoDbName, openMongoStores } from './mongodb/index.js';
import { openEmbeddedJobQueue } from './queue-embedded/index.js';
import { openS3DocumentStore, parseS3Url, redact } from './s3/index.js';
import { openSqliteStores } from './sqlite/index.js';

export type MetadataBackend = { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string; dbName: string };
export type DocumentBackend = { kind: 'file'; dir: string } | { kind: 's3'; url: string };
export type QueueBackend = { kind: 'embedded'; file: string } | { kind: 'redis'; url: string };

export interface BackendPlan {
  metadata: MetadataBackend;
  documents: DocumentBackend;
  queue: QueueBackend;
}

export interface Backends {
  metadata: MetadataStore;
  patients: PatientStore;
  documents: DocumentStore;
  queue: JobQueue;
  /** which adapters were opened, without secrets (for the start-up log and the admin UI). */
  describe: { metadataStore: string; documentStore: string; queue: string };
  /** the embedded SQLite files opened (registry, queue), for the WAL checkpoint worker. */
  sqliteFiles: string[];
  /** Closes queue (workers finish their jobs), then documents, then metadata (idempotent). */
  close(): Promise<void>;
}

export interface OpenBackendsOptions {
  /** source of XDS_S3_ACCESS_KEY / XDS_S3_SECRET_KEY (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** `sqlite:<file>` / `file:<dir>`: a path (relative = to the working directory) or `file:///abs` form. */
function localPath(value: string): string {
  if (value.startsWith('//')) return fileURLToPath(`file:${value}`);
  return value === ':memory:' ? value : path.resolve(value);
}

const METADATA_HELP = 'expected sqlite:<file> or mongodb://host:port/db?replicaSet=rs0';
const DOCUMENTS_HELP = 'expected file:<dir> or s3://key:secret@host:port/bucket';
const QUEUE_HELP = 'expected queue:embedded or redis://host:port';

/** Validates the three storage URLs and says what to open (pure: no I/O). Throws ConfigError. */
export function planBackends(config: HubConfig, env: NodeJS.ProcessEnv = process.env): BackendPlan {
  const m = config.metadataStore.trim();
  let metadata: MetadataBackend;
  if (m.startsWith('sqlite:')) {
    const file = m.slice('sqlite:'.length);
    if (!file) throw new ConfigError(`XDS_METADATA_STORE: "sqlite:" needs a file name (${METADATA_HELP})`);
    metadata = { kind: 'sqlite', file: localPath(file) };
  } else if (m.startsWith('mongodb://') || m.startsWith('mongodb+srv://')) {
    metadata = { kind: 'mongodb', url: m, dbName: mongoDbName(m) };
  } else {
    throw new ConfigError(`XDS_METADATA_STORE: unsupported "${redact(m)}" (${METADATA_HELP})`);
  }

  const d = config.documentStore.trim();
  let documents: DocumentBackend;
  if (d.startsWith('file:')) {
    const dir = d.slice('file:'.length);
    if (!dir) throw new ConfigError(`XDS_DOCUMENT_STORE: "file:" needs a directory (${DOCUMENTS_HELP})`);
    documents = { kind: 'file', dir: localPath(dir) };
  } else if (d.startsWith('s3://')) {
    parseS3Url(d, { accessKey: env.XDS_S3_ACCESS_KEY, secretKey: env.XDS_S3_SECRET_KEY });
    documents = { kind: 's3', url: d };
  } else {
    throw new ConfigError(`XDS_DOCUMENT_STORE: unsupported "${redact(d)}" (${DOCUMENTS_HELP})`);
  }

  const q = config.queue.trim();
  let queue: QueueBackend;
  if (q === 'queue:embedded') {
    queue = { kind: 'embedded', file: path.join(config.dataDir, 'queue.db') };
  } else if (q.startsWith('redis://') || q.startsWith('rediss://')) {
    parseRedisUrl(q);
    queue = { kind: 'redis', url: q };
  } else {
    throw new ConfigError(`XDS_QUEUE: unsupported "${redact(q)}" (${QUEUE_HELP})`);
  }
  return { metadata, documents, queue };
}

/** Opens the adapters the configuration names; on any failure closes what was opened and rethrows. */
export async function openBackends(config: HubConfig, options: OpenBackendsOptions = {}): Promise<Backends> {
  const env = options.env ?? process.env;
  const plan = planBackends(config, env);
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    let metadata: MetadataStore;
    let patients: PatientStore;
    if (plan.metadata.kind === 'sqlite') {
      const stores = openSqliteStores(plan.metadata.file);
      closers.push(() => stores.close());
      ({ metadata, patients } = stores);
    } else {
      const stores = await openMongoStores(plan.metadata.url);
      closers.push(() => stores.close());
      ({ metadata, patients } = stores);
    }

    const documents =
      plan.documents.kind === 'file'
        ? await openFsDocumentStore(plan.documents.dir)
        : await openS3DocumentStore(plan.documents.url, { accessKey: env.XDS_S3_ACCESS_KEY, secretKey: env.XDS_S3_SECRET_KEY });
    closers.push(() => documents.close());

    const queue: JobQueue =
      plan.queue.kind === 'embedded' ? openEmbeddedJobQueue(plan.queue.file) : openBullmqJobQueue(plan.queue.url);
    closers.push(() => queue.close());

    return {
      metadata,
      patients,
      documents,
      queue,
      describe: {
        metadataStore: plan.metadata.kind === 'sqlite' ? `sqlite:${plan.metadata.file}` : `mongodb (database ${plan.metadata.dbName})`,
        documentStore: plan.documents.kind === 'file' ? `file:${plan.documents.dir}` : redact(plan.documents.url),
        queue: plan.queue.kind === 'embedded' ? `queue:embedded (${plan.queue.file})` : plan.queue.url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@'),
      },
      sqliteFiles: [
        ...(plan.metadata.kind === 'sqlite' ? [plan.metadata.file] : []),
        ...(plan.queue.kind === 'embedded' ? [plan.queue.file] : []),
      ],
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
