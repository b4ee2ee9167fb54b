/** What the admin API reads; the composition root passes the hub's own stores and hook runner. */
import type { HookRunner } from '../../hooks/types.js';
import type { ConsentStore } from '../../services/minspaerring/ports.js';
import type { MinLogStore } from '../../services/minlog/ports.js';
import type { DocumentStore, JobQueue, MetadataStore, PatientStore } from '../../storage/ports.js';
import type { ActivityLog } from '../activity-log.js';
import type { CodeNames } from './code-names.js';

export interface AdminApiDeps {
  metadata: MetadataStore;
  documents: DocumentStore;
  patients: Pick<PatientStore, 'list' | 'get'>;
  queue?: Pick<JobQueue, 'counts'>;
  /** queue names shown with their depths (e.g. the MinLog and BRS outbox queues). */
  queueNames?: string[];
  hooks: HookRunner;
  codeNames: CodeNames;
  repositoryUniqueId: string;
  activity?: ActivityLog;
  minlog?: Pick<MinLogStore, 'extract' | 'count'>;
  consents?: Pick<ConsentStore, 'listForCitizen'>;
  /** adapters in use, shown on the overview (Backends.describe). */
  describe?: Record<string, string>;
  log?: { error(msg: string, fields?: Record<string, unknown>): void; info(msg: string, fields?: Record<string, unknown>): void };
}
