/**
 * A ReadRecorder writing one structured audit record per read (who, what, whose data, outcome) to the
 * hub's log, in the NSP JSON audit style (dk-nsp.md §3). Issue #5 adds the durable MinLog outbox next to it.
 */
import type { Logger } from '../util/logger.js';
import type { ReadRecorder } from './runner.js';
import type { ReadRecord } from './types.js';

export function createAuditLogRecorder(log: Logger): ReadRecorder {
  return {
    name: 'audit-log',
    async record(r: ReadRecord): Promise<void> {
      const s = r.context.security;
      log.info('audit', {
        audit: {
          requestId: r.context.requestId,
          transaction: r.context.transaction,
          time: r.context.receivedAt.toISOString(),
          outcome: r.outcome,
          user: s.hsuid?.actingUserCpr ?? s.subjectCpr ?? s.subjectName ?? s.systemName ?? 'anonymous',
          organisation: s.hsuid?.orgUsingId?.id ?? s.careProvider?.id,
          patients: r.patientIds,
          documents: r.documents.map((d) => d.uniqueId),
          addition: r.addition,
        },
      });
    },
  };
}
