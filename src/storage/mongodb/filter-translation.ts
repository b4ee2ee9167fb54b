/**
 * Pure translation of the backend-neutral stored-query filters (../ports.ts) into MongoDB query documents
 * over the stored form of document-shape.ts. No driver calls, so it is unit-tested without a server.
 *
 * Semantics, identical to the SQLite adapter (../sqlite/query.ts) and pinned by the contract suite:
 * - a list left undefined does not constrain; an empty list matches nothing (`{_id: {$in: []}}`);
 * - codes (ITI TF-2a §3.18.4.1.2.3.5): the outer list is AND, the inner list OR; a code matches on code and
 *   scheme, scheme undefined = any scheme. One OR-group is one `$elemMatch` on `_codes` (the same array
 *   element must carry the attribute, the code and the scheme); the AND of groups is `$all` of those
 *   `$elemMatch`es;
 * - time ranges (§3.18.4.1.2.3.6): From inclusive ($gte), To exclusive ($lt), on ../dtm.ts normalised
 *   values; an absent attribute never matches (MongoDB comparisons skip missing fields);
 * - authorPerson (§3.18.4.1.2.3.7.8): SQL LIKE patterns OR-ed, case-sensitive as in SQL-92 (and as the
 *   SQLite adapter's GLOB): `%` any string, `_` one character, everything else literal → an anchored,
 *   escaped regular expression;
 * - referenceIdList (§3.18.4.1.2.3.7.15): outer AND, inner OR;
 * - allVersions false: only the highest version of each logicalID (`_latest`, ITI-57 metadata level 1).
 */
import type {
  AssociationFilter,
  CodeCondition,
  DocumentEntryFilter,
  FolderFilter,
  SubmissionSetFilter,
  TimeRange,
} from '../ports.js';
import { normalizeDtm } from '../dtm.js';
import type { CodeAttribute } from './document-shape.js';

/** A MongoDB query document (kept driver-independent: plain objects, arrays, RegExps). */
export type MongoQuery = Record<string, unknown>;

/** Matches no document: what an empty value list means. */
export const MATCH_NOTHING: MongoQuery = Object.freeze({ _id: { $in: [] } }) as MongoQuery;

/** Collects the clauses of one filter and ANDs them. */
class Clauses {
  readonly list: MongoQuery[] = [];

  add(clause: MongoQuery | undefined): this {
    if (clause) this.list.push(clause);
    return this;
  }

  query(): MongoQuery {
    if (this.list.length === 0) return {};
    if (this.list.length === 1) return this.list[0];
    return { $and: this.list };
  }
}

/** `field` equal to one of `values`; undefined = no constraint; [] = nothing. */
export function inList(field: string, values: readonly unknown[] | undefined): MongoQuery | undefined {
  if (values === undefined) return undefined;
  if (values.length === 0) return MATCH_NOTHING;
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? { [field]: distinct[0] } : { [field]: { $in: distinct } };
}

/** A code condition on one coded attribute (AND of OR-groups). */
export function codeCondition(attribute: CodeAttribute, condition: CodeCondition | undefined): MongoQuery | undefined {
  if (condition === undefined) return undefined;
  if (condition.length === 0) return undefined;
  if (condition.some((group) => group.length === 0)) return MATCH_NOTHING;
  const matchers = condition.map((group) => {
    const alternatives = group.map((m) => (m.scheme === undefined ? { c: m.code } : { c: m.code, s: m.scheme }));
    const elem = alternatives.length === 1 ? { k: attribute, ...alternatives[0] } : { k: attribute, $or: alternatives };
    return { $elemMatch: elem };
  });
  return matchers.length === 1 ? { _codes: matchers[0] } : { _codes: { $all: matchers } };
}

/** A time range on a normalised time field `_n.<attribute>`. */
export function timeRange(attribute: string, range: TimeRange | undefined): MongoQuery | undefined {
  if (!range || (range.from === undefined && range.to === undefined)) return undefined;
  const cond: Record<string, string> = {};
  if (range.from !== undefined) cond.$gte = normalizeDtm(range.from) ?? range.from;
  if (range.to !== undefined) cond.$lt = normalizeDtm(range.to) ?? range.to;
  return { [`_n.${attribute}`]: cond };
}

/** Characters with a meaning in a regular expression (both JavaScript `u` mode and MongoDB's PCRE). */
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

/**
 * An SQL LIKE pattern as an anchored RegExp: `%` → any run of characters (newlines too), `_` → exactly one
 * character (a whole code point: the `u` flag here, UTF-8 mode in MongoDB's PCRE), every other character
 * literal. The `u` flag is not sent to the server (BSON keeps only i, m, s); it keeps in-process
 * evaluation (tests) equal to the server's.
 */
export function likeToRegExp(pattern: string): RegExp {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else if (REGEX_SPECIAL.test(ch)) source += `\\${ch}`;
    // Control characters as \xHH: BSON refuses a NUL byte inside a regex pattern.
    else if (ch < ' ') source += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else source += ch;
  }
  return new RegExp(`${source}$`, 'u');
}

/** authorPerson patterns, OR-ed, against any author of the object. */
export function authorPersons(patterns: readonly string[] | undefined): MongoQuery | undefined {
  if (patterns === undefined) return undefined;
  if (patterns.length === 0) return MATCH_NOTHING;
  return { 'authors.person': { $in: patterns.map(likeToRegExp) } };
}

/** referenceIdList: AND of OR-groups over the `referenceIds` array. */
export function referenceIds(condition: readonly (readonly string[])[] | undefined): MongoQuery | undefined {
  if (condition === undefined || condition.length === 0) return undefined;
  if (condition.some((group) => group.length === 0)) return MATCH_NOTHING;
  const groups = condition.map((group) => inList('referenceIds', group) as MongoQuery);
  return groups.length === 1 ? groups[0] : { $and: groups };
}

/** Only the latest version of each logicalID unless all versions are asked for. */
export function latestOnly(allVersions: boolean | undefined): MongoQuery | undefined {
  return allVersions ? undefined : { _latest: true };
}

export function documentEntryQuery(f: DocumentEntryFilter): MongoQuery {
  return new Clauses()
    .add(inList('patientId', f.patientIds))
    .add(inList('_id', f.entryUuids))
    .add(inList('uniqueId', f.uniqueIds))
    .add(inList('logicalId', f.logicalIds))
    .add(inList('status', f.statuses))
    .add(inList('objectType', f.objectTypes))
    .add(codeCondition('classCode', f.classCode))
    .add(codeCondition('typeCode', f.typeCode))
    .add(codeCondition('practiceSettingCode', f.practiceSettingCode))
    .add(codeCondition('healthcareFacilityTypeCode', f.healthcareFacilityTypeCode))
    .add(codeCondition('eventCode', f.eventCode))
    .add(codeCondition('confidentialityCode', f.confidentialityCode))
    .add(codeCondition('formatCode', f.formatCode))
    .add(timeRange('creationTime', f.creationTime))
    .add(timeRange('serviceStartTime', f.serviceStartTime))
    .add(timeRange('serviceStopTime', f.serviceStopTime))
    .add(authorPersons(f.authorPersons))
    .add(referenceIds(f.referenceIds))
    .add(latestOnly(f.allVersions))
    .query();
}

export function submissionSetQuery(f: SubmissionSetFilter): MongoQuery {
  return new Clauses()
    .add(inList('patientId', f.patientIds))
    .add(inList('_id', f.entryUuids))
    .add(inList('uniqueId', f.uniqueIds))
    .add(inList('status', f.statuses))
    .add(inList('sourceId', f.sourceIds))
    .add(timeRange('submissionTime', f.submissionTime))
    .add(authorPersons(f.authorPersons))
    .add(codeCondition('contentTypeCode', f.contentTypeCode))
    .query();
}

export function folderQuery(f: FolderFilter): MongoQuery {
  return new Clauses()
    .add(inList('patientId', f.patientIds))
    .add(inList('_id', f.entryUuids))
    .add(inList('uniqueId', f.uniqueIds))
    .add(inList('logicalId', f.logicalIds))
    .add(inList('status', f.statuses))
    .add(timeRange('lastUpdateTime', f.lastUpdateTime))
    .add(codeCondition('codeList', f.codeList))
    .add(latestOnly(f.allVersions))
    .query();
}

export function associationQuery(f: AssociationFilter): MongoQuery {
  const clauses = new Clauses();
  if (f.sourceOrTarget !== undefined) {
    clauses.add(
      f.sourceOrTarget.length === 0
        ? MATCH_NOTHING
        : { $or: [inList('sourceUuid', f.sourceOrTarget), inList('targetUuid', f.sourceOrTarget)] },
    );
  }
  return clauses
    .add(inList('sourceUuid', f.sourceUuids))
    .add(inList('targetUuid', f.targetUuids))
    .add(inList('_id', f.entryUuids))
    .add(inList('associationType', f.types))
    .add(inList('status', f.statuses))
    .query();
}
