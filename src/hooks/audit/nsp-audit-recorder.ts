/**
 * One structured audit record per completed read, in the NSP JSON audit-log style (dk-nsp.md §4, "NSP
 * audit log", p=336364443): category `dk.sds.nsp.audit.log`; who (access + idCardAttributes), what (the
 * transaction and the documents), whose data (information items typed RPI — personal information — or NPI
 * — not personal), and the outcome. Replaces src/hooks/audit-log-recorder.ts. A denied read is not
 * recorded (DDS writes neither audit log nor MinLog for a negative consent, dk-nsp.md §2.4).
 */
import type { Logger } from '../../util/logger.js';
import type { ReadRecorder } from '../runner.js';
import type { ReadRecord } from '../types.js';
import { cprOfPatientId, requesterOrganisation } from '../consent/requester.js';

export const NSP_AUDIT_CATEGORY = 'dk.sds.nsp.audit.log';

export interface AuditInformation {
  key: string;
  /** RPI: personal information (a CPR, a patient id); NPI: not personal. */
  type: 'RPI' | 'NPI';
  value: string;
}

export interface NspAuditRecord {
  category: typeof NSP_AUDIT_CATEGORY;
  audit: {
    requestId: string;
    time: string;
    service: string;
    operation: string;
    outcome: ReadRecord['outcome'];
    addition?: string;
    access: { tokenType: string; authLevel: number; policy?: string; remoteAddress?: string; tokenId?: string };
    idCardAttributes: Record<string, string | number | boolean | undefined>;
    components: { name: string; contexts: { name: string; information: AuditInformation[] }[] }[];
  };
}

export function nspAuditRecordOf(r: ReadRecord, service: string): NspAuditRecord {
  const s = r.context.security;
  const org = requesterOrganisation(s);
  const citizens = r.patientIds.map((p) => ({ name: 'citizen', information: [{ key: 'patientId', type: 'RPI' as const, value: p }, ...(cprOfPatientId(p) ? [{ key: 'cpr', type: 'RPI' as const, value: cprOfPatientId(p)! }] : [])] }));
  const documents = { name: 'documents', information: r.documents.map((d) => ({ key: 'documentUniqueId', type: 'NPI' as const, value: d.uniqueId })) };
  return {
    category: NSP_AUDIT_CATEGORY,
    audit: {
      requestId: r.context.requestId,
      time: r.context.receivedAt.toISOString(),
      service,
      operation: r.context.transaction,
      outcome: r.outcome,
      addition: r.addition,
      access: { tokenType: s.tokenType, authLevel: s.authLevel, policy: s.policyId, remoteAddress: r.context.remoteAddress, tokenId: s.tokenId },
      idCardAttributes: {
        userType: s.hsuid?.userType,
        actingUserCpr: s.hsuid?.actingUserCpr ?? s.subjectCpr,
        actingUserName: s.hsuid?.actingUserName ?? s.subjectName,
        responsibleUserCpr: s.hsuid?.responsibleUserCpr,
        responsibleUserAuthorizationCode: s.hsuid?.responsibleUserAuthorizationCode ?? s.authorizationCode,
        role: s.role,
        organisation: org ? `${org.type}:${org.id}` : undefined,
        systemName: s.hsuid?.systemName ?? s.systemName,
        consentOverride: s.hsuid?.consentOverride,
        insecureDevelopment: s.insecureDevelopment,
      },
      components: [{ name: r.context.transaction, contexts: [...citizens, documents] }],
    },
  };
}

export function createNspAuditRecorder(log: Logger, options: { service?: string } = {}): ReadRecorder {
  const service = options.service ?? 'xds-hub';
  return {
    name: 'nsp-audit',
    async record(r: ReadRecord): Promise<void> {
      log.info('audit', nspAuditRecordOf(r, service) as unknown as Record<string, unknown>);
    },
  };
}
