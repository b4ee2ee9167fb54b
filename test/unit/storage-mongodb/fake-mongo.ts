/**
 * An in-memory stand-in for the parts of the `mongodb` driver the MongoDB adapter uses, with MongoDB's
 * query semantics from mingo. It lets the MetadataStore / PatientStore contract suites run against the
 * adapter code here, where no MongoDB server can be had.
 *
 * What it models: find / findOne with sort, skip, limit; insertMany / updateOne / updateMany / replaceOne /
 * deleteOne / deleteMany / findOneAndUpdate with $set, $setOnInsert, $inc and upsert; countDocuments;
 * unique `_id` and unique indexes (duplicate key = error code 11000 with keyValue); withTransaction as
 * all-or-nothing (a throwing body restores every collection). What it does not model: concurrent
 * transactions (isolation, write conflicts, retries), read/write concerns, collation. Projections are
 * inclusion-only (top-level fields, `_id` kept), so the adapter cannot read a field it did not project.
 * While a transaction body runs, every operation must carry its session (on a real server one without it
 * runs outside the transaction: a silent all-or-nothing bug), else the fake throws.
 * Anything else the adapter starts calling throws, so the fake cannot silently pass.
 */
import { ObjectId } from 'mongodb';
import { Query } from 'mingo';

type Doc = Record<string, unknown> & { _id?: unknown };
type Spec = Record<string, 1 | -1>;

function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value instanceof ObjectId || value instanceof RegExp) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clone(v);
    return out as T;
  }
  return value;
}

function getPath(doc: Doc, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = doc;
  for (const part of parts.slice(0, -1)) {
    if (cur[part] === null || typeof cur[part] !== 'object') cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = clone(value);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (a instanceof ObjectId && b instanceof ObjectId) return a.toHexString() < b.toHexString() ? -1 : 1;
  // MongoDB compares strings by their UTF-8 bytes (simple collation)
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

class DuplicateKeyError extends Error {
  readonly code = 11000;
  constructor(readonly keyValue: Record<string, unknown>) {
    super(`E11000 duplicate key error: ${JSON.stringify(keyValue)}`);
    this.name = 'MongoServerError';
  }
}

const UPDATE_OPERATORS = new Set(['$set', '$setOnInsert', '$inc']);

type Projection = Record<string, 0 | 1>;

function project(doc: Doc, projection: Projection | undefined): Doc {
  if (!projection) return doc;
  const fields = Object.entries(projection);
  if (fields.some(([f, v]) => v !== 1 || f.includes('.'))) throw new Error('fake: only top-level inclusion projections are modelled');
  const out: Doc = { _id: doc._id };
  for (const [f] of fields) if (doc[f] !== undefined) out[f] = doc[f];
  return out;
}

class FakeCursor {
  private sortSpec?: Spec;
  private skipN = 0;
  private limitN?: number;
  constructor(
    private readonly docs: () => Doc[],
    private readonly projection?: Projection,
  ) {}
  sort(spec: Spec): this {
    this.sortSpec = spec;
    return this;
  }
  skip(n: number): this {
    this.skipN = n;
    return this;
  }
  limit(n: number): this {
    if (n === 0) throw new Error('fake: limit(0) means "no limit" in MongoDB; the adapter must not send it');
    this.limitN = n;
    return this;
  }
  async toArray(): Promise<Doc[]> {
    let out = this.docs();
    if (this.sortSpec) {
      const spec = Object.entries(this.sortSpec);
      out = [...out].sort((x, y) => {
        for (const [field, dir] of spec) {
          const c = compare(getPath(x, field), getPath(y, field));
          if (c !== 0) return c * dir;
        }
        return 0;
      });
    }
    out = out.slice(this.skipN, this.limitN === undefined ? undefined : this.skipN + this.limitN);
    return out.map((d) => clone(project(d, this.projection)));
  }
}

type Options = { session?: unknown; projection?: Projection; upsert?: boolean; returnDocument?: string; ordered?: boolean };

export class FakeCollection {
  docs = new Map<string, Doc>();
  private readonly uniqueIndexes: string[][] = [];
  calls: string[] = [];

  constructor(
    private readonly name: string,
    private readonly transaction: () => unknown,
  ) {}

  /** Inside a transaction, an operation without the transaction's session is a bug. */
  private op(what: string, options?: Options): void {
    this.calls.push(what);
    const active = this.transaction();
    if (active !== undefined && options?.session !== active) {
      throw new Error(`fake: ${this.name}.${what} inside a transaction without its session`);
    }
  }

  private keyOf(id: unknown): string {
    return id instanceof ObjectId ? `oid:${id.toHexString()}` : JSON.stringify(id);
  }

  private matching(filter: Doc): Doc[] {
    const q = new Query(filter);
    return [...this.docs.values()].filter((d) => q.test(d));
  }

  private checkUnique(doc: Doc, ignoreKey?: string): void {
    const key = this.keyOf(doc._id);
    if (key !== ignoreKey && this.docs.has(key)) throw new DuplicateKeyError({ _id: doc._id });
    for (const fields of this.uniqueIndexes) {
      for (const [k, other] of this.docs) {
        if (k === ignoreKey || k === key) continue;
        if (fields.every((f) => compare(getPath(other, f), getPath(doc, f)) === 0)) {
          throw new DuplicateKeyError(Object.fromEntries(fields.map((f) => [f, getPath(doc, f)])));
        }
      }
    }
  }

  private store(doc: Doc, replacingKey?: string): void {
    if (doc._id === undefined) doc._id = new ObjectId();
    this.checkUnique(doc, replacingKey);
    if (replacingKey !== undefined) this.docs.delete(replacingKey);
    this.docs.set(this.keyOf(doc._id), doc);
  }

  private applyUpdate(doc: Doc, update: Record<string, Record<string, unknown>>, inserting: boolean): Doc {
    const next = clone(doc);
    for (const [op, fields] of Object.entries(update)) {
      if (!UPDATE_OPERATORS.has(op)) throw new Error(`fake: update operator ${op} not modelled`);
      if (op === '$setOnInsert' && !inserting) continue;
      for (const [path, value] of Object.entries(fields)) {
        if (op === '$inc') setPath(next, path, ((getPath(next, path) as number | undefined) ?? 0) + (value as number));
        else setPath(next, path, value);
      }
    }
    return next;
  }

  /** The equality fields of a filter, which an upsert copies into the new document. */
  private seed(filter: Doc): Doc {
    const out: Doc = {};
    for (const [k, v] of Object.entries(filter)) {
      if (!k.startsWith('$') && (v === null || typeof v !== 'object' || v instanceof ObjectId)) setPath(out, k, v);
    }
    return out;
  }

  async createIndexes(specs: { key: Record<string, unknown>; unique?: boolean }[]): Promise<string[]> {
    for (const s of specs) if (s.unique) this.uniqueIndexes.push(Object.keys(s.key));
    return specs.map((s) => Object.keys(s.key).join('_'));
  }

  async insertMany(docs: Doc[], options?: Options): Promise<{ insertedCount: number }> {
    this.op('insertMany', options);
    for (const d of docs) this.store(clone(d));
    return { insertedCount: docs.length };
  }

  find(filter: Doc, options?: Options): FakeCursor {
    this.op('find', options);
    return new FakeCursor(() => this.matching(filter), options?.projection);
  }

  async findOne(filter: Doc, options?: Options): Promise<Doc | null> {
    this.op('findOne', options);
    const [first] = this.matching(filter);
    return first ? clone(project(first, options?.projection)) : null;
  }

  async countDocuments(filter: Doc, options?: Options): Promise<number> {
    this.op('countDocuments', options);
    return this.matching(filter).length;
  }

  async updateOne(filter: Doc, update: Record<string, Record<string, unknown>>, options: Options = {}) {
    this.op('updateOne', options);
    const [first] = this.matching(filter);
    if (first) {
      this.store(this.applyUpdate(first, update, false), this.keyOf(first._id));
      return { matchedCount: 1, upsertedCount: 0 };
    }
    if (options.upsert) {
      this.store(this.applyUpdate(this.seed(filter), update, true));
      return { matchedCount: 0, upsertedCount: 1 };
    }
    return { matchedCount: 0, upsertedCount: 0 };
  }

  async updateMany(filter: Doc, update: Record<string, Record<string, unknown>>, options?: Options) {
    this.op('updateMany', options);
    const hits = this.matching(filter);
    for (const d of hits) this.store(this.applyUpdate(d, update, false), this.keyOf(d._id));
    return { matchedCount: hits.length };
  }

  async replaceOne(filter: Doc, replacement: Doc, options: Options = {}) {
    this.op('replaceOne', options);
    const [first] = this.matching(filter);
    if (first) this.store({ ...clone(replacement), _id: first._id }, this.keyOf(first._id));
    else if (options.upsert) this.store({ ...this.seed(filter), ...clone(replacement) });
    return { matchedCount: first ? 1 : 0 };
  }

  async findOneAndUpdate(filter: Doc, update: Record<string, Record<string, unknown>>, options: Options = {}) {
    if (options.returnDocument !== 'after') throw new Error('fake: only returnDocument "after" is modelled');
    await this.updateOne(filter, update, options);
    return this.findOne(filter, { session: options.session });
  }

  async deleteOne(filter: Doc, options?: Options) {
    this.op('deleteOne', options);
    const [first] = this.matching(filter);
    if (first) this.docs.delete(this.keyOf(first._id));
    return { deletedCount: first ? 1 : 0 };
  }

  async deleteMany(filter: Doc, options?: Options) {
    this.op('deleteMany', options);
    const hits = this.matching(filter);
    for (const d of hits) this.docs.delete(this.keyOf(d._id));
    return { deletedCount: hits.length };
  }
}

export class FakeDb {
  readonly collections = new Map<string, FakeCollection>();
  /** the session whose transaction body is running, if any (set by FakeClient). */
  activeSession: unknown = undefined;
  constructor(private readonly hello: Record<string, unknown> = { isWritablePrimary: true, setName: 'rs0' }) {}

  collection(name: string): FakeCollection {
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = new FakeCollection(name, () => this.activeSession)));
    return c;
  }

  listCollections(_filter?: unknown, _options?: unknown) {
    return { toArray: async () => [...this.collections.keys()].map((name) => ({ name })) };
  }

  async createCollection(name: string): Promise<FakeCollection> {
    if (this.collections.has(name)) throw Object.assign(new Error(`Collection ${name} already exists`), { code: 48 });
    return this.collection(name);
  }

  admin() {
    return {
      command: async (cmd: Record<string, unknown>) => {
        if (!('hello' in cmd)) throw new Error('fake: only the hello command is modelled');
        return this.hello;
      },
    };
  }
}

export class FakeClient {
  transactions = { committed: 0, aborted: 0 };
  sessionsOpen = 0;
  constructor(readonly db: FakeDb) {}

  startSession() {
    this.sessionsOpen++;
    const session = {
      withTransaction: async (body: () => Promise<unknown>) => {
        if (this.db.activeSession !== undefined) throw new Error('fake: nested transactions are not modelled');
        this.db.activeSession = session;
        const snapshot = new Map([...this.db.collections].map(([name, c]) => [name, new Map([...c.docs].map(([k, d]) => [k, clone(d)]))]));
        try {
          const result = await body();
          this.transactions.committed++;
          return result;
        } catch (err) {
          for (const [name, c] of this.db.collections) c.docs = snapshot.get(name) ?? new Map();
          this.transactions.aborted++;
          throw err;
        } finally {
          this.db.activeSession = undefined;
        }
      },
      endSession: async () => {
        this.sessionsOpen--;
      },
    };
    return session;
  }

  async close(): Promise<void> {}
}
