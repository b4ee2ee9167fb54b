/** Ports of the BRS module: where evidence comes from and where follow-up notifications are kept. */
import type { DocumentEntry } from '../../xds/model/types.js';
import type { OrganisationId } from '../minspaerring/ports.js';
import type { BrsNotification, TreatmentRelation, TreatmentRelationRequest } from './model.js';

export interface TreatmentEvidenceSource {
  /** the citizen's approved documents. */
  documentsOf(patientId: string): Promise<DocumentEntry[]>;
}

/** The Sikrede register (own GP); stamdata brings it later. */
export interface OwnGpRegister {
  ownGp(citizenCpr: string): Promise<OrganisationId | undefined>;
}

export interface BrsNotificationStore {
  /** adds the notification of a follow-up order unless one with this key exists; returns its sequence number. */
  add(n: { orderKey: string; queryableCvr: string; request: TreatmentRelationRequest; relation: TreatmentRelation }): Promise<number>;
  /** notifications for the CVR with seq > offset, in sequence, at most limit. */
  after(queryableCvr: string, offset: number, limit: number): Promise<BrsNotification[]>;
  close(): Promise<void>;
}
