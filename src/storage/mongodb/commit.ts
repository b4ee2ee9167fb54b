/**
 * MetadataStore.commit() for MongoDB: the body of one multi-document transaction (run by
 * session.withTransaction in metadata-store.ts). It checks the preconditions and the uniqueness rules, then
 * applies inserts, status changes, Folder lastUpdateTime changes, deletes and outbox messages, in the same
 * order and with the same ConflictErrors as the SQLite adapter. Throwing aborts the transaction, so a
 * rejected submission leaves no trace (ITI TF-2b §3.42.4.1.3).
 */
import { ObjectId, type ClientSession, type Db } from 'mongodb';
import { ConflictError, type MetadataWrite, type Precondition } from '../ports.js';
import type { RegistryObject, RegistryObjectKind } from '../../xds/model/types.js';
import { normalizeDtm } from '../dtm.js';
import { COLLECTION, toStored, uniqueKeysOf, uuidKey, type StoredObject } from './document-shape.js';

interface UniqueKeyDoc {
  _id: string;
  kind: RegistryObjectKind;
  uuid: string;
}

/** Kinds whose versions the latest-version rule looks at. */
const VERSIONED: RegistryObjectKind[] = ['DocumentEntry', 'Folder'];

export class CommitTransaction {
  /** logicalIDs per versioned kind whose `_latest` flags must be recomputed at the end. */
  private readonly touched = new Map<RegistryObjectKind, Set<string>>();

  constructor(
    private readonly db: Db,
    private readonly session: ClientSession,
    private readonly now: () => Date,
  ) {}

  private coll(kind: RegistryObjectKind | keyof typeof COLLECTION) {
    return this.db.collection<StoredObject>(COLLECTION[kind]);
  }

  private touch(kind: RegistryObjectKind, logicalId: string): void {
    if (!VERSIONED.includes(kind)) return;
    let set = this.touched.get(kind);
    if (!set) this.touched.set(kind, (set = new Set()));
    set.add(logicalId);
  }

  async apply(write: MetadataWrite): Promise<void> {
    for (const p of write.preconditions) await this.checkPrecondition(p);
    await this.claimUniqueKeys(write.insert);
    await this.insert(write.insert);
    for (const change of write.statusChanges) {
      const kind = await this.lookup(change.entryUuid, 'status change');
      await this.coll(kind).updateOne({ _id: change.entryUuid }, { $set: { status: change.status } }, { session: this.session });
    }
    for (const u of write.folderLastUpdate) {
      const kind = await this.lookup(u.entryUuid, 'Folder lastUpdateTime');
      if (kind !== 'Folder') throw new ConflictError('precondition', `${u.entryUuid} is not a Folder`, u.entryUuid);
      await this.coll('Folder').updateOne(
        { _id: u.entryUuid },
        { $set: { lastUpdateTime: u.lastUpdateTime, '_n.lastUpdateTime': normalizeDtm(u.lastUpdateTime) ?? u.lastUpdateTime } },
        { session: this.session },
      );
    }
    for (const uuid of write.delete) await this.remove(uuid);
    await this.refreshLatest();
    await this.appendOutbox(write.outbox);
  }

  /** The kind of a stored object (from uniqueKeys, which sees this transaction's own inserts). */
  private async kindOf(entryUuid: string): Promise<RegistryObjectKind | undefined> {
    const key = await this.db
      .collection<UniqueKeyDoc>(COLLECTION.uniqueKeys)
      .findOne({ _id: uuidKey(entryUuid) }, { session: this.session });
    return key?.kind;
  }

  private async lookup(entryUuid: string, what: string): Promise<RegistryObjectKind> {
    const kind = await this.kindOf(entryUuid);
    if (!kind) throw new ConflictError('precondition', `${what}: object ${entryUuid} does not exist`, entryUuid);
    return kind;
  }

  private async checkPrecondition(p: Precondition): Promise<void> {
    const session = this.session;
    switch (p.kind) {
      case 'status': {
        const kind = await this.kindOf(p.entryUuid);
        const doc = kind && (await this.coll(kind).findOne({ _id: p.entryUuid }, { session, projection: { status: 1 } }));
        if (!doc) throw new ConflictError('precondition', `object ${p.entryUuid} does not exist`, p.entryUuid);
        if (doc.status !== p.expected) {
          throw new ConflictError('precondition', `object ${p.entryUuid} has status ${String(doc.status)}, expected ${p.expected}`, p.entryUuid);
        }
        return;
      }
      case 'latestVersion': {
        let latest: number | undefined;
        for (const kind of ['DocumentEntry', 'Folder', 'SubmissionSet'] as const) {
          const [top] = await this.coll(kind)
            .find({ logicalId: p.logicalId }, { session, projection: { version: 1 } })
            .sort({ version: -1 })
            .limit(1)
            .toArray();
          if (top && (latest === undefined || (top.version as number) > latest)) latest = top.version as number;
        }
        if (latest !== p.expectedVersion) {
          throw new ConflictError(
            'precondition',
            `logicalId ${p.logicalId} is at version ${latest ?? 'none'}, expected ${p.expectedVersion}`,
            p.logicalId,
          );
        }
        return;
      }
      case 'absentUniqueId': {
        const found = await this.coll(p.objectKind).findOne({ uniqueId: p.uniqueId }, { session, projection: { _id: 1 } });
        if (found) throw new ConflictError('precondition', `${p.objectKind} with uniqueId ${p.uniqueId} exists`, p.uniqueId);
        return;
      }
    }
  }

  /**
   * Uniqueness (document-shape.ts uniqueKeysOf): checked against the store and within the write, object by
   * object (the first offender is reported, as SQLite does), then the keys are inserted so a concurrent
   * transaction claiming the same key conflicts.
   */
  private async claimUniqueKeys(inserts: RegistryObject[]): Promise<void> {
    if (inserts.length === 0) return;
    const perObject = inserts.map((obj) => uniqueKeysOf(obj));
    const all = perObject.flat();
    const keys = this.db.collection<UniqueKeyDoc>(COLLECTION.uniqueKeys);
    const existing = new Set(
      (await keys.find({ _id: { $in: all.map((k) => k._id) } }, { session: this.session, projection: { _id: 1 } }).toArray()).map(
        (k) => k._id,
      ),
    );
    const seen = new Set<string>();
    inserts.forEach((_obj, i) => {
      for (const key of perObject[i]) {
        if (seen.has(key._id) || existing.has(key._id)) throw duplicateKeyConflict(key._id);
        seen.add(key._id);
      }
    });
    await keys.insertMany(all, { session: this.session, ordered: true });
  }

  private async insert(objects: RegistryObject[]): Promise<void> {
    const byKind = new Map<RegistryObjectKind, StoredObject[]>();
    for (const obj of objects) {
      // ObjectIds made in order: time + per-process counter, so `_o` sorts in insertion order.
      const doc = toStored(obj, new ObjectId());
      let list = byKind.get(obj.kind);
      if (!list) byKind.set(obj.kind, (list = []));
      list.push(doc);
      this.touch(obj.kind, obj.logicalId);
    }
    for (const [kind, docs] of byKind) await this.coll(kind).insertMany(docs, { session: this.session, ordered: true });
  }

  /** ITI-62 removal: the object, its uniqueKeys (so the ids can be used again) and its latest-version role. */
  private async remove(entryUuid: string): Promise<void> {
    const kind = await this.lookup(entryUuid, 'delete');
    const doc = await this.coll(kind).findOne({ _id: entryUuid }, { session: this.session });
    if (!doc) throw new ConflictError('precondition', `delete: object ${entryUuid} does not exist`, entryUuid);
    await this.coll(kind).deleteOne({ _id: entryUuid }, { session: this.session });
    const obj = { ...doc, kind } as unknown as RegistryObject;
    await this.db
      .collection<UniqueKeyDoc>(COLLECTION.uniqueKeys)
      .deleteMany({ _id: { $in: uniqueKeysOf(obj).map((k) => k._id) } }, { session: this.session });
    this.touch(kind, obj.logicalId);
  }

  /** `_latest` = highest version of the logicalID in its collection (the SQLite adapter's NOT EXISTS rule). */
  private async refreshLatest(): Promise<void> {
    for (const [kind, logicalIds] of this.touched) {
      const lids = [...logicalIds];
      const versions = await this.coll(kind)
        .find({ logicalId: { $in: lids } }, { session: this.session, projection: { logicalId: 1, version: 1, _latest: 1 } })
        .toArray();
      const top = new Map<string, number>();
      for (const v of versions) {
        const lid = v.logicalId as string;
        top.set(lid, Math.max(top.get(lid) ?? -Infinity, v.version as number));
      }
      const set: string[] = [];
      const clear: string[] = [];
      for (const v of versions) {
        const latest = v.version === top.get(v.logicalId as string);
        if (latest && v._latest !== true) set.push(v._id);
        if (!latest && v._latest !== false) clear.push(v._id);
      }
      if (set.length) await this.coll(kind).updateMany({ _id: { $in: set } }, { $set: { _latest: true } }, { session: this.session });
      if (clear.length) await this.coll(kind).updateMany({ _id: { $in: clear } }, { $set: { _latest: false } }, { session: this.session });
    }
  }

  /**
   * Transactional outbox: a message whose (queue, key) is already known — pending or dispatched — is
   * dropped (upsert with $setOnInsert, never an error that would abort the transaction). `seq` numbers come
   * from one counter document, reserved as a block per commit.
   */
  private async appendOutbox(messages: MetadataWrite['outbox']): Promise<void> {
    const distinct = new Map<string, MetadataWrite['outbox'][number]>();
    for (const m of messages) {
      const id = JSON.stringify([m.queue, m.key]);
      if (!distinct.has(id)) distinct.set(id, m);
    }
    if (distinct.size === 0) return;
    const counter = await this.db
      .collection<{ _id: string; seq: number }>(COLLECTION.counters)
      .findOneAndUpdate({ _id: 'outbox' }, { $inc: { seq: distinct.size } }, { upsert: true, returnDocument: 'after', session: this.session });
    if (!counter) throw new Error('outbox sequence counter could not be reserved');
    let seq = counter.seq - distinct.size;
    const createdAt = this.now().toISOString();
    const outbox = this.db.collection(COLLECTION.outbox);
    for (const m of distinct.values()) {
      seq += 1;
      await outbox.updateOne(
        { queue: m.queue, key: m.key },
        // JSON text, as the SQLite outbox keeps it: any payload, no BSON field-name restrictions
        { $setOnInsert: { seq, payload: JSON.stringify(m.payload ?? null), createdAt, dispatched: false } },
        { upsert: true, session: this.session },
      );
    }
  }
}

/** The ConflictError for a uniqueKeys `_id` already taken (same reasons and subjects as SQLite). */
export function duplicateKeyConflict(keyId: string): ConflictError {
  const bar = keyId.indexOf('|');
  const type = keyId.slice(0, bar);
  const rest = keyId.slice(bar + 1);
  if (type === 'uuid') return new ConflictError('duplicateEntryUuid', `entryUUID ${rest} is already in use`, rest);
  if (type === 'ss') return new ConflictError('duplicateUniqueId', `SubmissionSet uniqueId ${rest} is already in use`, rest);
  const last = rest.lastIndexOf('|');
  const value = rest.slice(0, last);
  const version = rest.slice(last + 1);
  if (type === 'fo') {
    return new ConflictError('duplicateUniqueId', `Folder uniqueId ${value} version ${version} is already in use`, value);
  }
  const kind = type === 'fl' ? 'Folder' : 'DocumentEntry';
  return new ConflictError('precondition', `${kind} logicalID ${value} already has a version ${version}`, value);
}
