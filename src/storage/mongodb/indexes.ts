/**
 * Indexes of the MongoDB registry, one per stored-query access path (ITI TF-2a §3.18.4.1.2.3.7), created
 * at start-up (createIndexes is idempotent). Every find sorts on `_o` (insertion order), so the patient
 * paths end in `_o` and a capped result (limit = cap + 1) stops early.
 *
 * Uniqueness is NOT enforced by indexes on the object collections: those are sharded by patient (README.md)
 * and MongoDB enforces a unique index only per shard unless it is prefixed by the shard key. The registry
 * rules (entryUUID, uniqueId[+version]) live in `uniqueKeys`, whose `_id` is the rule's key.
 */
import type { Db, IndexDescription } from 'mongodb';
import { COLLECTION } from './document-shape.js';

export const INDEXES: Record<string, IndexDescription[]> = {
  [COLLECTION.DocumentEntry]: [
    // FindDocuments / FindDocumentsByReferenceId / GetAll: patient + status (+ latest version)
    { key: { patientId: 1, status: 1, _latest: 1, _o: 1 }, name: 'patient_status_latest' },
    // code parameters without a patient (multi-patient ITI-51); with a patient the index above is tighter
    { key: { '_codes.k': 1, '_codes.c': 1, '_codes.s': 1 }, name: 'codes' },
    { key: { patientId: 1, referenceIds: 1 }, name: 'patient_referenceIds' },
    // GetDocuments by uniqueId; uniqueId+version rule
    { key: { uniqueId: 1, version: 1 }, name: 'uniqueId_version' },
    // ITI-57 versions of a logicalID, latest-version bookkeeping
    { key: { logicalId: 1, version: -1 }, name: 'logicalId_version' },
  ],
  [COLLECTION.SubmissionSet]: [
    { key: { patientId: 1, status: 1, _o: 1 }, name: 'patient_status' },
    { key: { uniqueId: 1 }, name: 'uniqueId' },
    { key: { sourceId: 1 }, name: 'sourceId' },
    { key: { logicalId: 1, version: -1 }, name: 'logicalId_version' },
  ],
  [COLLECTION.Folder]: [
    { key: { patientId: 1, status: 1, _latest: 1, _o: 1 }, name: 'patient_status_latest' },
    { key: { '_codes.k': 1, '_codes.c': 1, '_codes.s': 1 }, name: 'codes' },
    { key: { uniqueId: 1, version: 1 }, name: 'uniqueId_version' },
    { key: { logicalId: 1, version: -1 }, name: 'logicalId_version' },
  ],
  [COLLECTION.Association]: [
    // GetAssociations / GetRelatedDocuments / GetSubmissionSetAndContents: by either end, then type
    { key: { sourceUuid: 1, associationType: 1 }, name: 'source_type' },
    { key: { targetUuid: 1, associationType: 1 }, name: 'target_type' },
  ],
  [COLLECTION.outbox]: [
    { key: { queue: 1, key: 1 }, name: 'queue_key', unique: true },
    // only undispatched rows are indexed: the dispatcher's scan stays small however long the history
    { key: { seq: 1 }, name: 'pending_seq', partialFilterExpression: { dispatched: false } },
  ],
};

/**
 * Creates every collection (a transaction may not create one on a sharded cluster, and creating it
 * implicitly inside the first commit would make that commit conflict with a concurrent one) and the indexes.
 */
export async function ensureIndexes(db: Db): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of Object.values(COLLECTION)) {
    if (existing.has(name)) continue;
    try {
      await db.createCollection(name);
    } catch (err) {
      // NamespaceExists (48): another hub instance created it meanwhile.
      if ((err as { code?: unknown }).code !== 48) throw err;
    }
  }
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    await db.collection(collection).createIndexes(indexes);
  }
}
