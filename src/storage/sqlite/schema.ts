/**
 * SQLite schema of the embedded registry (issue #2 "Storage (embedded default)").
 *
 * Layout: one row per registry object in `objects` (entryUUID is unique across all object kinds,
 * ITI TF-3 §4.1.3.1, so one UNIQUE index enforces it), one table per object kind holding the columns the
 * ITI-18 stored queries filter on plus the whole domain object as JSON, and side tables for the
 * multi-valued query attributes (codes, authorPerson, referenceIdList). Mutable attributes (availability
 * status, Folder lastUpdateTime) live only in their columns; the JSON keeps the object as submitted.
 *
 * Indexes follow the access paths of ITI TF-2a §3.18.4.1.2.3.7:
 * - FindDocuments / FindSubmissionSets / FindFolders: (patient_id, status) on each kind; for DocumentEntries
 *   (patient_id, status, is_latest, code_keys), so only latest versions are ever candidates;
 * - code parameters: `codes` is clustered on (kind, code, scheme, obj_id), so an EXISTS probe with all
 *   four bound is one B-tree lookup, and a code without scheme is a short range scan; a code parameter can
 *   also drive a query without patient (ITI-51). Patient-driven DocumentEntry queries test the codes on the
 *   candidate's de_patient_codes index entry (document_entries.code_keys), cheaper than a probe per candidate;
 * - GetDocuments & co by uniqueId / logicalId+version; GetAssociations & co by source / target;
 * - FindDocumentsByReferenceId: (value, obj_id) on reference_ids.
 * Times are stored normalised by ../dtm.ts so that string comparison equals instant comparison.
 */
export const SCHEMA_VERSION = 1;

/** Integer code kinds keep the (millions of rows) code table compact. */
export const CodeKind = {
  classCode: 1,
  typeCode: 2,
  practiceSettingCode: 3,
  healthcareFacilityTypeCode: 4,
  eventCode: 5,
  confidentialityCode: 6,
  formatCode: 7,
  contentTypeCode: 8,
  codeList: 9,
} as const;
export type CodeKindName = keyof typeof CodeKind;

/** Columns added after the first development builds: [table, column, definition, backfill SQL]. */
export const ADDED_COLUMNS: [string, string, string, string][] = [
  [
    'document_entries',
    'is_latest',
    'INTEGER NOT NULL DEFAULT 1',
    `UPDATE document_entries SET is_latest = 0 WHERE EXISTS (SELECT 1 FROM document_entries n
       WHERE n.logical_id = document_entries.logical_id AND n.version > document_entries.version)`,
  ],
  [
    'document_entries',
    'code_keys',
    "TEXT NOT NULL DEFAULT ''",
    // the tokens rows.ts codeKeys() builds, from the codes table; their order is irrelevant to instr()
    `UPDATE document_entries SET code_keys = COALESCE((SELECT group_concat(
       char(31) || kind || char(30) || code || char(30) || scheme || char(31), '')
       FROM codes WHERE obj_id = document_entries.id), '')`,
  ],
];

export const SCHEMA_SQL = `
-- index definitions of earlier development builds (same schema version): dropped, recreated below
DROP INDEX IF EXISTS de_patient_status;
DROP INDEX IF EXISTS de_unique_version;
DROP INDEX IF EXISTS de_lid_version;
DROP INDEX IF EXISTS fo_lid_version;
DROP INDEX IF EXISTS de_patient_lookup;
DROP INDEX IF EXISTS de_patient_latest;

CREATE TABLE IF NOT EXISTS objects (
  id    INTEGER PRIMARY KEY,
  uuid  TEXT NOT NULL UNIQUE,
  kind  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS document_entries (
  id                 INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
  logical_id         TEXT NOT NULL,
  version            INTEGER NOT NULL,
  patient_id         TEXT NOT NULL,
  status             TEXT NOT NULL,
  object_type        TEXT NOT NULL,
  unique_id          TEXT NOT NULL,
  creation_time      TEXT,
  service_start_time TEXT,
  service_stop_time  TEXT,
  json               TEXT NOT NULL,
  -- 1 on the highest version of the logicalID (ITI-57), kept by commit.ts: FindDocuments filters on it in
  -- the index instead of probing for a newer version per candidate
  is_latest          INTEGER NOT NULL DEFAULT 1,
  -- the entry's codes (rows in codes) denormalised as U+001F kind U+001E code U+001E scheme U+001F tokens
  -- (rows.ts codeKeys), kept by commit.ts: a patient-driven FindDocuments tests its code parameters with
  -- instr() on the de_patient_codes entry instead of one codes probe per candidate and alternative (issue #3)
  code_keys          TEXT NOT NULL DEFAULT ''
);
-- FindDocuments: patient + status + latest version straight from the index; code_keys in the index lets the
-- code parameters reject a candidate from its index entry, so only matching rows (with their ~3 KB of JSON)
-- are read from the table (measured: 0.064 -> 0.040 ms CPU per FindDocuments, 0.052 with code_keys only in
-- the row; the few matches are then sorted by id in a temp B-tree)
CREATE INDEX IF NOT EXISTS de_patient_codes ON document_entries (patient_id, status, is_latest, code_keys);
-- not UNIQUE: the same document may be registered again under its uniqueId (ITI TF-2a §3.42.4.1.3.6,
-- NIST 12004: same hash accepted, both copies found); the registry compares the hashes
CREATE INDEX IF NOT EXISTS de_unique ON document_entries (unique_id, version);
-- one row per version of a logical entry (ITI-57)
CREATE UNIQUE INDEX IF NOT EXISTS de_lid_version_u ON document_entries (logical_id, version);

CREATE TABLE IF NOT EXISTS submission_sets (
  id              INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
  logical_id      TEXT NOT NULL,
  version         INTEGER NOT NULL,
  patient_id      TEXT NOT NULL,
  status          TEXT NOT NULL,
  unique_id       TEXT NOT NULL,
  source_id       TEXT NOT NULL,
  submission_time TEXT,
  json            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ss_patient_status ON submission_sets (patient_id, status);
CREATE UNIQUE INDEX IF NOT EXISTS ss_unique ON submission_sets (unique_id);
CREATE INDEX IF NOT EXISTS ss_lid_version ON submission_sets (logical_id, version);

CREATE TABLE IF NOT EXISTS folders (
  id               INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
  logical_id       TEXT NOT NULL,
  version          INTEGER NOT NULL,
  patient_id       TEXT NOT NULL,
  status           TEXT NOT NULL,
  unique_id        TEXT NOT NULL,
  last_update_time TEXT,
  json             TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fo_patient_status ON folders (patient_id, status);
CREATE UNIQUE INDEX IF NOT EXISTS fo_unique_version ON folders (unique_id, version);
CREATE UNIQUE INDEX IF NOT EXISTS fo_lid_version_u ON folders (logical_id, version);

CREATE TABLE IF NOT EXISTS associations (
  id          INTEGER PRIMARY KEY REFERENCES objects(id) ON DELETE CASCADE,
  source_uuid TEXT NOT NULL,
  target_uuid TEXT NOT NULL,
  type        TEXT NOT NULL,
  status      TEXT NOT NULL,
  json        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS as_source ON associations (source_uuid, type);
CREATE INDEX IF NOT EXISTS as_target ON associations (target_uuid, type);

CREATE TABLE IF NOT EXISTS codes (
  kind   INTEGER NOT NULL,
  code   TEXT NOT NULL,
  scheme TEXT NOT NULL,
  obj_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  PRIMARY KEY (kind, code, scheme, obj_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS codes_obj ON codes (obj_id);

CREATE TABLE IF NOT EXISTS authors (
  obj_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  person TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS authors_obj ON authors (obj_id);

CREATE TABLE IF NOT EXISTS reference_ids (
  value  TEXT NOT NULL,
  obj_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
  PRIMARY KEY (value, obj_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refid_obj ON reference_ids (obj_id);

CREATE TABLE IF NOT EXISTS outbox (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  queue         TEXT NOT NULL,
  key           TEXT NOT NULL,
  payload       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  dispatched_at TEXT,
  UNIQUE (queue, key)
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE dispatched_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_dispatched ON outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS patients (
  patient_id   TEXT PRIMARY KEY,
  demographics TEXT,
  source       TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  merged_into  TEXT
);
`;
