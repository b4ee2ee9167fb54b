/**
 * MetadataStore.commit() for SQLite: one IMMEDIATE transaction that checks the preconditions and the
 * uniqueness rules, then applies the inserts, status changes, Folder lastUpdateTime changes, deletes and
 * outbox messages. Any failure throws before COMMIT, so a rejected submission leaves no trace
 * (ITI TF-2b §3.42.4.1.3: the registry shall not store any part of a failed submission).
 */
import type { Database, Statement } from 'better-sqlite3';
import { ConflictError, type MetadataWrite, type Precondition } from '../ports.js';
import type { RegistryObject } from '../../xds/model/types.js';
import { normalizeDtm } from '../dtm.js';
import { codeKeys, KIND_INSERT_SQL, KIND_TABLE, kindRow, sideRows } from './rows.js';

export class CommitStatements {
  readonly objectIdByUuid: Statement;
  readonly insertObject: Statement;
  readonly insertKind: Record<RegistryObject['kind'], Statement>;
  readonly insertCode: Statement;
  readonly insertAuthor: Statement;
  readonly insertRefId: Statement;
  readonly docByLidVersion: Statement;
  readonly folderByLidVersion: Statement;
  readonly ssByUnique: Statement;
  readonly folderByUniqueVersion: Statement;
  readonly docByUnique: Statement;
  readonly folderByUnique: Statement;
  readonly statusByUuid: Statement;
  readonly latestVersion: Statement;
  readonly setStatus: Record<RegistryObject['kind'], Statement>;
  readonly setFolderLastUpdate: Statement;
  readonly deleteObject: Statement;
  readonly docNewerExists: Statement;
  readonly docSupersede: Statement;
  readonly docLogicalIdById: Statement;
  readonly docRestoreLatest: Statement;
  readonly insertOutbox: Statement;

  constructor(db: Database) {
    this.objectIdByUuid = db.prepare('SELECT id, kind FROM objects WHERE uuid = ?');
    this.insertObject = db.prepare('INSERT INTO objects (uuid, kind) VALUES (?, ?)');
    this.insertKind = {
      DocumentEntry: db.prepare(KIND_INSERT_SQL.DocumentEntry),
      SubmissionSet: db.prepare(KIND_INSERT_SQL.SubmissionSet),
      Folder: db.prepare(KIND_INSERT_SQL.Folder),
      Association: db.prepare(KIND_INSERT_SQL.Association),
    };
    this.insertCode = db.prepare('INSERT OR IGNORE INTO codes (kind, code, scheme, obj_id) VALUES (?, ?, ?, ?)');
    this.insertAuthor = db.prepare('INSERT INTO authors (obj_id, person) VALUES (?, ?)');
    this.insertRefId = db.prepare('INSERT OR IGNORE INTO reference_ids (value, obj_id) VALUES (?, ?)');
    this.docByLidVersion = db.prepare('SELECT 1 FROM document_entries WHERE logical_id = ? AND version = ?');
    this.folderByLidVersion = db.prepare('SELECT 1 FROM folders WHERE logical_id = ? AND version = ?');
    this.ssByUnique = db.prepare('SELECT 1 FROM submission_sets WHERE unique_id = ?');
    this.folderByUniqueVersion = db.prepare('SELECT 1 FROM folders WHERE unique_id = ? AND version = ?');
    this.docByUnique = db.prepare('SELECT 1 FROM document_entries WHERE unique_id = ?');
    this.folderByUnique = db.prepare('SELECT 1 FROM folders WHERE unique_id = ?');
    this.statusByUuid = db.prepare(
      `SELECT coalesce(d.status, s.status, f.status, a.status) AS status FROM objects o
       LEFT JOIN document_entries d ON d.id = o.id LEFT JOIN submission_sets s ON s.id = o.id
       LEFT JOIN folders f ON f.id = o.id LEFT JOIN associations a ON a.id = o.id WHERE o.uuid = ?`,
    );
    this.latestVersion = db.prepare(
      `SELECT max(v) AS v FROM (
         SELECT max(version) AS v FROM document_entries WHERE logical_id = @lid
         UNION ALL SELECT max(version) FROM folders WHERE logical_id = @lid
         UNION ALL SELECT max(version) FROM submission_sets WHERE logical_id = @lid)`,
    );
    const setStatus = (kind: RegistryObject['kind']) =>
      db.prepare(`UPDATE ${KIND_TABLE[kind]} SET status = ? WHERE id = ?`);
    this.setStatus = {
      DocumentEntry: setStatus('DocumentEntry'),
      SubmissionSet: setStatus('SubmissionSet'),
      Folder: setStatus('Folder'),
      Association: setStatus('Association'),
    };
    this.setFolderLastUpdate = db.prepare(
      "UPDATE folders SET last_update_time = ?, json = json_set(json, '$.lastUpdateTime', ?) WHERE id = ?",
    );
    this.deleteObject = db.prepare('DELETE FROM objects WHERE id = ?');
    this.docNewerExists = db.prepare('SELECT 1 FROM document_entries WHERE logical_id = ? AND version > ?');
    this.docSupersede = db.prepare(
      'UPDATE document_entries SET is_latest = 0 WHERE logical_id = ? AND version < ? AND is_latest = 1',
    );
    this.docLogicalIdById = db.prepare('SELECT logical_id FROM document_entries WHERE id = ?');
    this.docRestoreLatest = db.prepare(
      `UPDATE document_entries SET is_latest = 1 WHERE logical_id = @lid
         AND version = (SELECT max(version) FROM document_entries WHERE logical_id = @lid)`,
    );
    this.insertOutbox = db.prepare(
      'INSERT OR IGNORE INTO outbox (queue, key, payload, created_at) VALUES (?, ?, ?, ?)',
    );
  }
}

function checkPrecondition(s: CommitStatements, p: Precondition): void {
  switch (p.kind) {
    case 'status': {
      const row = s.statusByUuid.get(p.entryUuid) as { status: string } | undefined;
      if (!row) throw new ConflictError('precondition', `object ${p.entryUuid} does not exist`, p.entryUuid);
      if (row.status !== p.expected) {
        throw new ConflictError(
          'precondition',
          `object ${p.entryUuid} has status ${row.status}, expected ${p.expected}`,
          p.entryUuid,
        );
      }
      return;
    }
    case 'latestVersion': {
      const row = s.latestVersion.get({ lid: p.logicalId }) as { v: number | null };
      if (row.v !== p.expectedVersion) {
        throw new ConflictError(
          'precondition',
          `logicalId ${p.logicalId} is at version ${row.v ?? 'none'}, expected ${p.expectedVersion}`,
          p.logicalId,
        );
      }
      return;
    }
    case 'absentUniqueId': {
      const stmt =
        p.objectKind === 'DocumentEntry' ? s.docByUnique : p.objectKind === 'Folder' ? s.folderByUnique : s.ssByUnique;
      if (stmt.get(p.uniqueId)) {
        throw new ConflictError('precondition', `${p.objectKind} with uniqueId ${p.uniqueId} exists`, p.uniqueId);
      }
      return;
    }
  }
}

/**
 * Uniqueness, checked against the store and within the write:
 * - entryUUID once in the registry, across object kinds (ITI TF-3 §4.1.3.1) → duplicateEntryUuid;
 * - SubmissionSet uniqueId once; Folder uniqueId once per version (ITI-57 keeps it across versions)
 *   → duplicateUniqueId (XDSDuplicateUniqueIdInRegistry);
 * - one DocumentEntry / Folder per (logicalID, version) → precondition (a concurrent ITI-57 update won).
 * A DocumentEntry uniqueId is deliberately not unique: the same document may be registered again
 * (ITI TF-2a §3.42.4.1.3.6, NIST 12004); the registry checks the hash and uses `absentUniqueId`
 * preconditions for the uniqueIds it expects to be new.
 */
function checkUniqueness(s: CommitStatements, inserts: RegistryObject[]): void {
  const uuids = new Set<string>();
  const taken = new Set<string>();
  const claim = (token: string) => {
    if (taken.has(token)) return false;
    taken.add(token);
    return true;
  };
  for (const obj of inserts) {
    if (uuids.has(obj.entryUuid) || s.objectIdByUuid.get(obj.entryUuid)) {
      throw new ConflictError('duplicateEntryUuid', `entryUUID ${obj.entryUuid} is already in use`, obj.entryUuid);
    }
    uuids.add(obj.entryUuid);
    if (obj.kind === 'SubmissionSet') {
      if (!claim(`ss\u0000${obj.uniqueId}`) || s.ssByUnique.get(obj.uniqueId)) {
        throw new ConflictError('duplicateUniqueId', `SubmissionSet uniqueId ${obj.uniqueId} is already in use`, obj.uniqueId);
      }
    }
    if (obj.kind === 'Folder') {
      if (!claim(`fo\u0000${obj.uniqueId}\u0000${obj.version}`) || s.folderByUniqueVersion.get(obj.uniqueId, obj.version)) {
        throw new ConflictError(
          'duplicateUniqueId',
          `Folder uniqueId ${obj.uniqueId} version ${obj.version} is already in use`,
          obj.uniqueId,
        );
      }
    }
    if (obj.kind === 'DocumentEntry' || obj.kind === 'Folder') {
      const lidTaken = (obj.kind === 'DocumentEntry' ? s.docByLidVersion : s.folderByLidVersion).get(obj.logicalId, obj.version);
      if (!claim(`${obj.kind}\u0000lid\u0000${obj.logicalId}\u0000${obj.version}`) || lidTaken) {
        throw new ConflictError(
          'precondition',
          `${obj.kind} logicalID ${obj.logicalId} already has a version ${obj.version}`,
          obj.logicalId,
        );
      }
    }
  }
}

/** Inserts one object with its side rows (also used by the bulk loader). */
export function insertObject(s: CommitStatements, obj: RegistryObject): void {
  const side = sideRows(obj);
  // code_keys (schema.ts) from the same rows as `codes` below, checked before anything is written; a new
  // version (ITI-57) is a new row with its own codes, and status changes / deletes (ITI-62) leave codes
  // untouched, so no other statement ever rewrites it
  const keys = obj.kind === 'DocumentEntry' ? codeKeys(obj.entryUuid, side.codes) : '';
  const id = s.insertObject.run(obj.entryUuid, obj.kind).lastInsertRowid;
  if (obj.kind === 'DocumentEntry') {
    // the latest-version flag: a new highest version takes it over from the older ones (ITI-57)
    const latest = s.docNewerExists.get(obj.logicalId, obj.version) ? 0 : 1;
    if (latest) s.docSupersede.run(obj.logicalId, obj.version);
    s.insertKind.DocumentEntry.run(id, ...kindRow(obj), latest, keys);
  } else {
    s.insertKind[obj.kind].run(id, ...kindRow(obj));
  }
  for (const c of side.codes) s.insertCode.run(c.kind, c.code, c.scheme, id);
  for (const a of side.authors) s.insertAuthor.run(id, a);
  for (const r of side.referenceIds) s.insertRefId.run(r, id);
}

function lookup(s: CommitStatements, uuid: string, what: string): { id: number; kind: RegistryObject['kind'] } {
  const row = s.objectIdByUuid.get(uuid) as { id: number; kind: RegistryObject['kind'] } | undefined;
  if (!row) throw new ConflictError('precondition', `${what}: object ${uuid} does not exist`, uuid);
  return row;
}

/** Runs inside db.transaction(); throwing rolls everything back. */
export function applyWrite(s: CommitStatements, write: MetadataWrite, now: () => string): void {
  for (const p of write.preconditions) checkPrecondition(s, p);
  checkUniqueness(s, write.insert);
  for (const obj of write.insert) insertObject(s, obj);
  for (const change of write.statusChanges) {
    const row = lookup(s, change.entryUuid, 'status change');
    s.setStatus[row.kind].run(change.status, row.id);
  }
  for (const u of write.folderLastUpdate) {
    const row = lookup(s, u.entryUuid, 'Folder lastUpdateTime');
    if (row.kind !== 'Folder') throw new ConflictError('precondition', `${u.entryUuid} is not a Folder`, u.entryUuid);
    s.setFolderLastUpdate.run(normalizeDtm(u.lastUpdateTime) ?? u.lastUpdateTime, u.lastUpdateTime, row.id);
  }
  for (const uuid of write.delete) {
    const row = lookup(s, uuid, 'delete');
    const doc = row.kind === 'DocumentEntry' ? (s.docLogicalIdById.get(row.id) as { logical_id: string }) : undefined;
    s.deleteObject.run(row.id);
    // removing the highest version hands the latest-version flag back to the next one
    if (doc) s.docRestoreLatest.run({ lid: doc.logical_id });
  }
  const created = now();
  for (const m of write.outbox) s.insertOutbox.run(m.queue, m.key, JSON.stringify(m.payload ?? null), created);
}
