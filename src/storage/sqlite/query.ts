/**
 * Compiles the backend-neutral stored-query filters of ../ports.ts into SQLite WHERE clauses
 * (ITI TF-2a §3.18.4.1.2.3.7). Semantics, shared by every adapter:
 * - a list filter left undefined does not constrain; an empty list matches nothing;
 * - codes: outer list AND, inner list OR; a code matches on code and scheme, scheme undefined = any scheme
 *   (§3.18.4.1.2.3.5). Each alternative is its own EXISTS probe so that the (kind, code, scheme, obj_id)
 *   key of `codes` answers it with one B-tree lookup; on patient-driven DocumentEntry queries (codeKeys
 *   option) each alternative is instead an instr() test of the candidate's code_keys tokens (schema.ts),
 *   answered from its index entry, with the same meaning and no probe;
 * - time ranges: From inclusive (>=), To exclusive (<), on ../dtm.ts normalised values;
 * - authorPerson: SQL LIKE patterns (% any string, _ one character), OR-ed, matched case-sensitively as
 *   in SQL-92 (run as GLOB, which is case-sensitive and index-free like a leading-% LIKE anyway);
 * - referenceIdList: outer list AND, inner OR (ITI TF-2a §3.18.4.1.2.3.7.15);
 * - allVersions false: only the highest version of each logicalID (ITI-57 / $MetadataLevel 1).
 */
import type { CodeCondition, TimeRange } from '../ports.js';
import { normalizeDtm } from '../dtm.js';
import { CodeKind, type CodeKindName } from './schema.js';
import { codeKey, codeKeyPrefix, hasKeySeparator } from './rows.js';

/** Lists longer than this are bound as one JSON array parameter (no variable-count limit). */
const MAX_INLINE_LIST = 64;

/** Converts an SQL LIKE pattern into the equivalent (case-sensitive) GLOB pattern. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

/** The code kinds a DocumentEntry's code_keys column holds (rows.ts sideRows). */
const DOCUMENT_ENTRY_CODE_KINDS: ReadonlySet<CodeKindName> = new Set<CodeKindName>([
  'classCode',
  'typeCode',
  'practiceSettingCode',
  'healthcareFacilityTypeCode',
  'eventCode',
  'confidentialityCode',
  'formatCode',
]);

export class WhereBuilder {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /**
   * `alias` is the kind table's alias; its `id` column joins the side tables. `codeKeys`: test the code
   * parameters of the DocumentEntry code kinds on `alias`.code_keys (document_entries only) instead of
   * probing `codes`; worth it when something else (the patient) drives the query, so each candidate row is
   * at hand anyway.
   */
  constructor(
    private readonly alias: string,
    private readonly options: { codeKeys?: boolean } = {},
  ) {}

  private list(values: readonly unknown[]): string {
    if (values.length <= MAX_INLINE_LIST) {
      this.params.push(...values);
      return `(${values.map(() => '?').join(',')})`;
    }
    this.params.push(JSON.stringify(values));
    return '(SELECT value FROM json_each(?))';
  }

  inList(column: string, values: readonly unknown[] | undefined): this {
    if (values === undefined) return this;
    if (values.length === 0) this.clauses.push('0');
    else if (values.length === 1) {
      this.clauses.push(`${this.alias}.${column} = ?`);
      this.params.push(values[0]);
    } else this.clauses.push(`${this.alias}.${column} IN ${this.list(values)}`);
    return this;
  }

  entryUuids(values: readonly string[] | undefined): this {
    if (values === undefined) return this;
    if (values.length === 0) this.clauses.push('0');
    else this.clauses.push(`${this.alias}.id IN (SELECT id FROM objects WHERE uuid IN ${this.list(values)})`);
    return this;
  }

  codes(kind: CodeKindName, condition: CodeCondition | undefined): this {
    if (condition === undefined) return this;
    for (const group of condition) {
      if (group.length === 0) {
        this.clauses.push('0');
        continue;
      }
      const useKeys = this.options.codeKeys === true && DOCUMENT_ENTRY_CODE_KINDS.has(kind);
      const alternatives = group.map((m) => {
        if (useKeys) {
          // a code or scheme with a separator equals no stored one (rows.ts refuses them), and as a token
          // it could match across token boundaries: it matches nothing
          if (hasKeySeparator(m.code) || (m.scheme !== undefined && hasKeySeparator(m.scheme))) return '0';
          this.params.push(
            m.scheme === undefined ? codeKeyPrefix(CodeKind[kind], m.code) : codeKey(CodeKind[kind], m.code, m.scheme),
          );
          return `instr(${this.alias}.code_keys, ?) > 0`;
        }
        this.params.push(CodeKind[kind], m.code);
        let probe = `EXISTS (SELECT 1 FROM codes c WHERE c.kind = ? AND c.code = ?`;
        if (m.scheme !== undefined) {
          probe += ' AND c.scheme = ?';
          this.params.push(m.scheme);
        }
        return `${probe} AND c.obj_id = ${this.alias}.id)`;
      });
      this.clauses.push(alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`);
    }
    return this;
  }

  /**
   * Lets a code parameter drive the query when nothing more selective does (ITI-51 multi-patient queries
   * may omit the patient): `id IN (SELECT obj_id FROM codes …)` is answered from the codes key and
   * probes the kind table by rowid, instead of scanning it. The EXISTS probes of codes() still apply.
   */
  driveByCode(kind: CodeKindName, condition: CodeCondition | undefined): boolean {
    const group = condition?.[0];
    if (!group || group.length === 0) return false;
    const ors = group.map((m) => {
      this.params.push(m.code);
      if (m.scheme === undefined) return 'code = ?';
      this.params.push(m.scheme);
      return '(code = ? AND scheme = ?)';
    });
    this.clauses.push(
      `${this.alias}.id IN (SELECT obj_id FROM codes WHERE kind = ${CodeKind[kind]} AND (${ors.join(' OR ')}))`,
    );
    return true;
  }

  time(column: string, range: TimeRange | undefined): this {
    if (!range) return this;
    if (range.from !== undefined) {
      this.clauses.push(`${this.alias}.${column} >= ?`);
      this.params.push(normalizeDtm(range.from) ?? range.from);
    }
    if (range.to !== undefined) {
      this.clauses.push(`${this.alias}.${column} < ?`);
      this.params.push(normalizeDtm(range.to) ?? range.to);
    }
    return this;
  }

  authors(patterns: readonly string[] | undefined): this {
    if (patterns === undefined) return this;
    if (patterns.length === 0) {
      this.clauses.push('0');
      return this;
    }
    this.params.push(...patterns.map(likeToGlob));
    const ors = patterns.map(() => 'a.person GLOB ?').join(' OR ');
    this.clauses.push(`EXISTS (SELECT 1 FROM authors a WHERE a.obj_id = ${this.alias}.id AND (${ors}))`);
    return this;
  }

  referenceIds(condition: readonly (readonly string[])[] | undefined): this {
    if (condition === undefined) return this;
    for (const group of condition) {
      if (group.length === 0) {
        this.clauses.push('0');
        continue;
      }
      this.clauses.push(
        `EXISTS (SELECT 1 FROM reference_ids r WHERE r.value IN ${this.list(group)} AND r.obj_id = ${this.alias}.id)`,
      );
    }
    return this;
  }

  latestOnly(table: string, allVersions: boolean | undefined): this {
    if (allVersions) return this;
    const a = this.alias;
    if (table === 'document_entries') {
      this.clauses.push(`${a}.is_latest = 1`);
      return this;
    }
    this.clauses.push(
      `NOT EXISTS (SELECT 1 FROM ${table} n WHERE n.logical_id = ${a}.logical_id AND n.version > ${a}.version)`,
    );
    return this;
  }

  sql(select: string, limit: number | undefined): { sql: string; params: unknown[] } {
    let sql = select;
    if (this.clauses.length) sql += ` WHERE ${this.clauses.join(' AND ')}`;
    sql += ` ORDER BY ${this.alias}.id`;
    const params = [...this.params];
    if (limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(Math.max(0, Math.floor(limit)));
    }
    return { sql, params };
  }
}
