/**
 * Typed configuration, read once from the environment by the composition root (no module-level
 * getConfig()). Every setting has a default that runs the embedded hub with no server.
 */
import os from 'node:os';
import path from 'node:path';
import type { SystemIdCardSettings } from '../services/sts/system-id-card.js';
import { remoteRegistryCredentialsFromEnv } from './remote-registry.js';

export type CodeValidationMode = 'off' | 'warn' | 'reject';

export interface HubConfig {
  /** HTTP port (0 = any free port; tests use 0). */
  httpPort: number;
  httpHost: string;
  /** MLLP port of the ITI-8 Patient Identity Feed listener (0 = any free port; -1 = disabled). */
  mllpPort: number;
  /** Base directory for embedded data (SQLite database, documents, STS keys, spool). */
  dataDir: string;
  /** Storage adapters by URL: `sqlite:<file>` | `mongodb://…`; `file:<dir>` | `s3://…`; `queue:embedded` | `redis://…`. */
  metadataStore: string;
  documentStore: string;
  queue: string;
  /** This repository's repositoryUniqueId (ITI TF-3 §4.2.3.2.18). */
  repositoryUniqueId: string;
  /** homeCommunityId returned on query results (ITI TF-3 §4.2.3.2.12), optional. */
  homeCommunityId?: string;
  /** Affinity domain profile folder name under ihe-profiles/ ('xds-generic' | 'dk'). */
  profile: string;
  codeValidation: CodeValidationMode;
  /** Accept any well-formed patient id of these assigning authorities (off when empty). */
  autoAcceptAssigningAuthorities: string[];
  /**
   * ITI-8: OIDs (CX.4 universal id) of the affinity domain's patient id assigning authority; the feed keeps
   * the PID-3 identifier of one of these (ITI TF-2a §3.8.4.1.3). Empty/undefined = any ISO OID authority.
   */
  affinityDomainAuthorities?: string[];
  /** XDSTooManyResults cap for stored queries. */
  maxQueryResults: number;
  /** Largest request body accepted (bytes). */
  maxRequestBytes: number;
  /** Largest SOAP envelope part parsed as XML (bytes); attachments may be bigger. */
  maxXmlBytes: number;
  /** MTOM attachments larger than this are spooled to disk. */
  spoolThresholdBytes: number;
  /** Remote registry URL for ITI-42 from the repository (in process when undefined). */
  remoteRegistryUrl?: string;
  /**
   * The DGWS system ID card the repository sends with every ITI-42 to the remote registry: STS, VOCES/FOCES
   * certificate and key, system name, CVR, organisation (XDS_REMOTE_REGISTRY_STS_URL and friends,
   * src/config/remote-registry.ts). Undefined = no security header.
   */
  remoteRegistryCredentials?: SystemIdCardSettings;
  /** Explicit insecure development mode: no token required (warns at start-up). */
  insecureDevelopment: boolean;
  /** Public base URL written into WSDLs (defaults to the request's host). */
  publicBaseUrl?: string;
  /**
   * express 'trust proxy' (XDS_TRUST_PROXY: loopback, a subnet list, a hop count, true): behind a
   * TLS-terminating proxy, so X-Forwarded-Proto makes admin cookies Secure and WSDL URLs https.
   */
  trustProxy?: boolean | number | string;
  /** SOR extract (JSON array of units) loaded into the consent service's SOR hierarchy at start. */
  sorUnitsFile?: string;
  /** BRS follow-up orders (dk-nsp.md §2.6): the hub's ExternalReferenceId and QueryableCvr; off when no CVR is set. */
  brs?: { externalReferenceId: string; queryableCvr: string };
  /** MinLog SystemName of this hub (≤ 25 characters). */
  minlogSystemName: string;
  /**
   * HTTP worker processes (XDS_HTTP_PROCESSES: a count, or `auto` for one per core). 1 = one process does
   * everything; more = node cluster: the workers share the HTTP port, the primary runs the background work
   * (src/cluster/).
   */
  httpProcesses: number;
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  return n;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from environment variables (README "Configuration" lists them). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<HubConfig> = {}): HubConfig {
  const dataDir = path.resolve(overrides.dataDir ?? env.XDS_DATA_DIR ?? './data');
  const codeValidation = (env.XDS_CODE_VALIDATION ?? 'off') as CodeValidationMode;
  if (!['off', 'warn', 'reject'].includes(codeValidation)) {
    throw new ConfigError(`XDS_CODE_VALIDATION must be off, warn or reject, got "${codeValidation}"`);
  }
  const config: HubConfig = {
    httpPort: int(env, 'XDS_HTTP_PORT', 8080),
    httpHost: env.XDS_HTTP_HOST ?? '0.0.0.0',
    mllpPort: int(env, 'XDS_MLLP_PORT', 2575),
    dataDir,
    metadataStore: env.XDS_METADATA_STORE ?? `sqlite:${path.join(dataDir, 'registry.db')}`,
    documentStore: env.XDS_DOCUMENT_STORE ?? `file:${path.join(dataDir, 'documents')}`,
    queue: env.XDS_QUEUE ?? 'queue:embedded',
    repositoryUniqueId: env.XDS_REPOSITORY_UNIQUE_ID ?? '1.3.6.1.4.1.21367.2010.1.2.1125',
    homeCommunityId: env.XDS_HOME_COMMUNITY_ID || undefined,
    profile: env.XDS_PROFILE ?? 'xds-generic',
    codeValidation,
    autoAcceptAssigningAuthorities: (env.XDS_AUTO_ACCEPT_AUTHORITIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    affinityDomainAuthorities: (env.XDS_AFFINITY_DOMAIN_AUTHORITIES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    maxQueryResults: int(env, 'XDS_MAX_QUERY_RESULTS', 10_000),
    maxRequestBytes: int(env, 'XDS_MAX_REQUEST_BYTES', 2 * 1024 * 1024 * 1024),
    maxXmlBytes: int(env, 'XDS_MAX_XML_BYTES', 64 * 1024 * 1024),
    spoolThresholdBytes: int(env, 'XDS_SPOOL_THRESHOLD_BYTES', 4 * 1024 * 1024),
    remoteRegistryUrl: env.XDS_REMOTE_REGISTRY_URL || undefined,
    remoteRegistryCredentials: remoteRegistryCredentialsFromEnv(env, env.XDS_REMOTE_REGISTRY_URL || undefined),
    insecureDevelopment: env.XDS_INSECURE_DEV === '1' || env.XDS_INSECURE_DEV === 'true',
    publicBaseUrl: env.XDS_PUBLIC_BASE_URL || undefined,
    trustProxy: trustProxyOf(env.XDS_TRUST_PROXY),
    sorUnitsFile: env.XDS_SOR_UNITS_FILE || undefined,
    brs: env.XDS_BRS_QUERYABLE_CVR
      ? { externalReferenceId: env.XDS_BRS_EXTERNAL_REFERENCE_ID || 'xds-hub', queryableCvr: env.XDS_BRS_QUERYABLE_CVR }
      : undefined,
    minlogSystemName: env.XDS_MINLOG_SYSTEM_NAME || 'DDS',
    httpProcesses: httpProcessesOf(env.XDS_HTTP_PROCESSES),
  };
  return { ...config, ...overrides, dataDir };
}

/** XDS_HTTP_PROCESSES: 1 by default, `auto` = the cores Node may use, else a positive integer. */
function httpProcessesOf(value: string | undefined): number {
  const v = value?.trim();
  if (!v) return 1;
  if (v === 'auto') return os.availableParallelism();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) {
    throw new ConfigError(`XDS_HTTP_PROCESSES must be auto or a whole number from 1 to 256, got "${value}"`);
  }
  return Number(v);
}

/** XDS_TRUST_PROXY as express reads 'trust proxy': true/false, a hop count, or addresses/subnets/names. */
function trustProxyOf(value: string | undefined): boolean | number | string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
