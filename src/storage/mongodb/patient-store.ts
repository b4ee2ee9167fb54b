/**
 * PatientStore on MongoDB: the patients of the ITI-8 feed / admin API / CPR register, `_id` = patient id
 * (CX). Demographics are kept as [name, value] pairs so HL7 field names (which may contain '.' or start
 * with '$') never become BSON field names.
 */
import type { Collection, Db } from 'mongodb';
import type { PatientRecord, PatientStore } from '../ports.js';
import { COLLECTION } from './document-shape.js';

interface PatientDoc {
  _id: string;
  demographics?: [string, string][];
  source: string;
  updatedAt: string;
  mergedInto?: string;
}

function toRecord(doc: PatientDoc): PatientRecord {
  const record: PatientRecord = { patientId: doc._id, source: doc.source, updatedAt: doc.updatedAt };
  if (doc.demographics) record.demographics = Object.fromEntries(doc.demographics);
  if (doc.mergedInto !== undefined && doc.mergedInto !== null) record.mergedInto = doc.mergedInto;
  return record;
}

/** A literal prefix as an anchored regular expression (answered from the `_id` index). */
export function prefixRegExp(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/[\u0000-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`);
}

export class MongoPatientStore implements PatientStore {
  private readonly patients: Collection<PatientDoc>;
  private closed = false;

  constructor(db: Db) {
    this.patients = db.collection<PatientDoc>(COLLECTION.patients);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MongoPatientStore is closed');
  }

  /** Replaces the whole record (a later feed message carries the complete current state). */
  async upsert(record: PatientRecord): Promise<void> {
    this.assertOpen();
    const doc: PatientDoc = { _id: record.patientId, source: record.source, updatedAt: record.updatedAt };
    if (record.demographics !== undefined) doc.demographics = Object.entries(record.demographics);
    if (record.mergedInto !== undefined) doc.mergedInto = record.mergedInto;
    await this.patients.replaceOne({ _id: record.patientId }, doc, { upsert: true });
  }

  async get(patientId: string): Promise<PatientRecord | undefined> {
    this.assertOpen();
    const doc = await this.patients.findOne({ _id: patientId });
    return doc ? toRecord(doc) : undefined;
  }

  /** Ordered by patientId (binary order, as SQLite); `prefix` is literal. limit defaults to 100. */
  async list(options: { prefix?: string; limit?: number; offset?: number } = {}): Promise<PatientRecord[]> {
    this.assertOpen();
    const limit = Math.max(0, Math.floor(options.limit ?? 100));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    if (limit === 0) return [];
    const filter = options.prefix ? { _id: prefixRegExp(options.prefix) } : {};
    const docs = await this.patients.find(filter).sort({ _id: 1 }).skip(offset).limit(limit).toArray();
    return docs.map(toRecord);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
