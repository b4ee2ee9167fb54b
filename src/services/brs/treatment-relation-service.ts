/**
 * The treatment-relation look-up (BRS treatmentRelationRequest, dk-nsp.md §3.3): gathers the evidence
 * (the citizen's documents, the requester's SOR lineage, the own GP when known) and judges the category.
 */
import { Status } from '../../xds/model/types.js';
import type { MetadataStore } from '../../storage/ports.js';
import type { SorHierarchy } from '../minspaerring/ports.js';
import type { TreatmentRelation, TreatmentRelationRequest } from './model.js';
import type { OwnGpRegister, TreatmentEvidenceSource } from './ports.js';
import { judgeRelation } from './relation-rules.js';

export interface TreatmentRelationServiceDeps {
  evidence: TreatmentEvidenceSource;
  sor: SorHierarchy;
  ownGp?: OwnGpRegister;
}

/** Evidence from the registry: the citizen's approved DocumentEntries (bounded; newest evidence suffices). */
export function metadataEvidence(store: Pick<MetadataStore, 'findDocumentEntries'>, limit = 1000): TreatmentEvidenceSource {
  return { documentsOf: (patientId) => store.findDocumentEntries({ patientIds: [patientId], statuses: [Status.Approved] }, { limit }) };
}

export class TreatmentRelationService {
  constructor(private readonly deps: TreatmentRelationServiceDeps) {}

  async lookup(req: TreatmentRelationRequest): Promise<TreatmentRelation> {
    const sorId = await this.deps.sor.toSor(req.organisationIdentifier);
    const lineage = sorId ? await this.deps.sor.lineage(sorId) : [];
    const requesterLineage = sorId && lineage.length === 0 ? [sorId] : lineage;
    const patientId = req.patientId ?? `${req.patientCpr}^^^&1.2.208.176.1.2&ISO`;
    const documents = await this.deps.evidence.documentsOf(patientId);
    const gp = await this.deps.ownGp?.ownGp(req.patientCpr);
    const ownGp = gp ? { sorId: await this.deps.sor.toSor(gp), yder: /ynumber|yder/i.test(gp.type) ? gp.id : undefined } : undefined;
    return judgeRelation(req, { documents, requesterLineage, ownGp });
  }
}
