/**
 * Recent SOAP transactions for the admin activity view, kept in a bounded ring (it is a window on what just
 * happened, not the audit trail — that is the recorders' job). The ring and the error counts sit behind the
 * `ActivityStore` port: in process memory by default (`createMemoryActivityStore`), or shared by several hub
 * processes in SQLite (`createSqliteActivityStore`, src/storage/sqlite/activity-log-store.ts), so the view
 * shows every worker's traffic whichever worker answers it.
 *
 * One feed: `logger(inner)` wraps the hub's Logger. The SOAP endpoint's 'soap request' record (transaction,
 * HTTP status, caller, time, and the answer's ebRS status with its RegistryError / SOAP fault codes, see
 * src/soap/outcome.ts) becomes an entry — the "errors by code" figures; the audit recorder's 'audit' record
 * of the same requestId adds the caller and the read outcome where the endpoint could not name them. Both
 * records of one request are logged by the process that served it, so that pairing stays in memory.
 */
import type { Logger } from '../util/logger.js';

export interface ActivityEntry {
  time: string;
  requestId?: string;
  endpoint?: string;
  path?: string;
  transaction?: string;
  httpStatus?: number;
  /** Success | PartialSuccess | Failure | Fault (from the response), or the read outcome of the audit record. */
  outcome: string;
  caller?: string;
  errorCodes: string[];
  ms?: number;
}

export interface ErrorCount {
  code: string;
  count: number;
  lastSeen: string;
  lastTransaction?: string;
}

export interface ActivityLog {
  logger(inner: Logger): Logger;
  /** newest first. */
  recent(limit?: number): ActivityEntry[];
  errorsByCode(): ErrorCount[];
  /** adds an entry directly (for transports that do not go through the SOAP endpoint). */
  record(entry: ActivityEntry): void;
}

/** The two audit record shapes: the plain audit-log recorder's and the NSP audit record (src/hooks/audit). */
interface AuditFields {
  user?: string;
  organisation?: string;
  access?: { tokenType?: string };
  idCardAttributes?: { actingUserName?: string; actingUserCpr?: string; systemName?: string; organisation?: string };
}

/** "who, for which organisation" as the audit record names it; 'anonymous' for a tokenless request. */
export function callerOf(a: AuditFields): string {
  const card = a.idCardAttributes;
  if (card) {
    const who = card.actingUserName ?? card.actingUserCpr ?? card.systemName;
    const org = card.organisation;
    if (who || org) return [who, org && `(${org})`].filter(Boolean).join(' ');
    return a.access?.tokenType === 'none' ? 'anonymous' : (a.access?.tokenType ?? '');
  }
  return [a.user, a.organisation && `(${a.organisation})`].filter(Boolean).join(' ');
}

/** Where the entries and the error counts are kept; the contract is test/contract/activity-store.contract.ts. */
export interface ActivityStore {
  /**
   * Keeps the entry (only the newest `capacity` entries are kept) and counts each of its error codes (a code
   * listed twice counts twice), with the entry's time as lastSeen and its transaction as lastTransaction.
   */
  add(entry: ActivityEntry): void;
  /** at most `limit` (a non-negative integer) entries, newest first. */
  recent(limit: number): ActivityEntry[];
  /** by count, highest first; equal counts in the order the codes were first seen. */
  errorsByCode(): ErrorCount[];
}

export const DEFAULT_ACTIVITY_CAPACITY = 500;

export function checkActivityCapacity(capacity: number): number {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`activity log capacity must be a positive integer, got ${String(capacity)}`);
  return capacity;
}

/** The ring buffer and error counts in process memory. */
export function createMemoryActivityStore(capacity: number = DEFAULT_ACTIVITY_CAPACITY): ActivityStore {
  checkActivityCapacity(capacity);
  const ring: ActivityEntry[] = [];
  let next = 0;
  const errors = new Map<string, ErrorCount>();
  return {
    add(e) {
      if (ring.length < capacity) ring.push(e);
      else ring[next] = e;
      next = (next + 1) % capacity;
      for (const code of e.errorCodes) {
        const c = errors.get(code) ?? { code, count: 0, lastSeen: e.time };
        c.count++;
        c.lastSeen = e.time;
        c.lastTransaction = e.transaction;
        errors.set(code, c);
      }
    },
    recent(limit) {
      const ordered = ring.length < capacity ? ring.slice() : [...ring.slice(next), ...ring.slice(0, next)];
      return ordered.reverse().slice(0, limit);
    },
    errorsByCode() {
      return [...errors.values()].sort((a, b) => b.count - a.count);
    },
  };
}

export interface ActivityLogOptions {
  /** entries kept by the in-memory store (default 500); a `store` passed in has its own capacity. */
  capacity?: number;
  /** where entries and error counts go (default: in memory). */
  store?: ActivityStore;
}

export function createActivityLog(options: ActivityLogOptions = {}): ActivityLog {
  if (options.store && options.capacity !== undefined) throw new TypeError('createActivityLog: capacity applies to the in-memory store only; give it to the store you pass');
  const store = options.store ?? createMemoryActivityStore(options.capacity);
  // audit records arrive before the 'soap request' record of the same request: keep them briefly.
  const pendingCallers = new Map<string, { caller: string; outcome: string }>();

  const push = (e: ActivityEntry) => store.add(e);

  const tee = (msg: string, fields: Record<string, unknown> | undefined) => {
    if (!fields) return;
    if (msg === 'audit' && typeof fields.audit === 'object' && fields.audit) {
      const a = fields.audit as { requestId?: string; outcome?: string };
      if (a.requestId) {
        if (pendingCallers.size >= 1000) pendingCallers.delete(pendingCallers.keys().next().value as string);
        pendingCallers.set(a.requestId, { caller: callerOf(fields.audit as AuditFields), outcome: String(a.outcome ?? '') });
      }
      return;
    }
    if (msg !== 'soap request') return;
    const requestId = typeof fields.requestId === 'string' ? fields.requestId : undefined;
    const audit = requestId ? pendingCallers.get(requestId) : undefined;
    if (requestId) pendingCallers.delete(requestId);
    const path = typeof fields.path === 'string' ? fields.path : undefined;
    const outcome = typeof fields.outcome === 'string' ? fields.outcome : undefined;
    const errorCodes = Array.isArray(fields.errorCodes) ? fields.errorCodes.filter((c): c is string => typeof c === 'string') : [];
    const httpStatus = typeof fields.status === 'number' ? fields.status : undefined;
    push({
      time: new Date().toISOString(),
      requestId,
      endpoint: typeof fields.endpoint === 'string' ? fields.endpoint : undefined,
      path,
      transaction: typeof fields.transaction === 'string' ? fields.transaction : undefined,
      httpStatus,
      outcome: outcome ?? (httpStatus !== undefined && httpStatus >= 400 ? 'Fault' : audit?.outcome || 'Success'),
      caller: typeof fields.caller === 'string' ? fields.caller : audit?.caller,
      errorCodes,
      ms: typeof fields.ms === 'number' ? fields.ms : undefined,
    });
  };

  return {
    logger(inner) {
      const wrap = (level: keyof Logger) => (msg: string, fields?: Record<string, unknown>) => {
        inner[level](msg, fields);
        try {
          tee(msg, fields);
        } catch {
          // the activity view must never break logging
        }
      };
      return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
    },
    recent(limit = 100) {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`activity log limit must be a non-negative integer, got ${String(limit)}`);
      return store.recent(limit);
    },
    errorsByCode: () => store.errorsByCode(),
    record: push,
  };
}
