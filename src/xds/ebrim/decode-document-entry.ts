/** rim:ExtrinsicObject → DocumentEntry (ITI TF-3 §4.2.3.2, Table 4.2.3.2-1; §4.2.5 for the UUIDs). */
import type { DocumentEntry, Slot } from '../model/types.js';
import { DocumentEntryType } from '../model/types.js';
import { DocumentEntryIdentifier, DocumentEntryScheme } from '../model/uuids.js';
import type { XmlElement } from '../../xml/tree.js';
import { decodeAuthor } from './decode-author.js';
import {
  fail,
  readCode,
  readExternalIdentifiers,
  readLocalized,
  readSlots,
  readStatus,
  readVersion,
  singleValue,
  type DecodeContext,
} from './read-rim.js';

/** The Slots Table 4.2.3.2-1 defines; everything else is an extra slot (ITI TF-3 §4.1.14). */
export const DOCUMENT_ENTRY_SLOTS = new Set([
  'creationTime',
  'hash',
  'languageCode',
  'legalAuthenticator',
  'repositoryUniqueId',
  'serviceStartTime',
  'serviceStopTime',
  'size',
  'sourcePatientId',
  'sourcePatientInfo',
  'URI',
  'urn:ihe:iti:xds:2013:referenceIdList',
  'documentAvailability',
]);

const SINGLE_CODES = {
  classCode: DocumentEntryScheme.classCode,
  typeCode: DocumentEntryScheme.typeCode,
  formatCode: DocumentEntryScheme.formatCode,
  healthcareFacilityTypeCode: DocumentEntryScheme.healthcareFacilityTypeCode,
  practiceSettingCode: DocumentEntryScheme.practiceSettingCode,
} as const;

/**
 * ITI TF-3 §4.2.3.2.30: a long URI may be split over several values "1|part", "2|part" ...; one plain
 * value is the common case.
 */
function joinUri(slot: Slot, ctx: DecodeContext): string {
  if (slot.values.length === 1 && !/^\d+\|/.test(slot.values[0]!)) return slot.values[0]!;
  const parts = slot.values.map((v) => {
    const m = /^(\d+)\|(.*)$/.exec(v);
    if (!m) fail(ctx, 'URI has several values but one is not of the form "n|part" (ITI TF-3 §4.2.3.2.30)');
    return { n: Number(m[1]), text: m[2]! };
  });
  parts.sort((a, b) => a.n - b.n);
  return parts.map((p) => p.text).join('');
}

export function decodeDocumentEntry(eo: XmlElement, classifications: XmlElement[], errorCode: string): DocumentEntry {
  const id = eo.attrs.id ?? '';
  const ctx: DecodeContext = { errorCode, label: `DocumentEntry "${id}"` };
  if (!id) fail(ctx, 'ExtrinsicObject has no id');
  const objectType = eo.attrs.objectType ?? '';
  if (objectType !== DocumentEntryType.Stable && objectType !== DocumentEntryType.OnDemand) {
    fail(ctx, `objectType "${objectType}" is neither the stable (${DocumentEntryType.Stable}) nor the on-demand DocumentEntry type`);
  }

  const slots = readSlots(eo, ctx);
  const slot = (name: string): Slot | undefined => slots.find((s) => s.name === name);
  const one = (name: string): string | undefined => singleValue(slot(name), ctx);

  const ids = readExternalIdentifiers(eo, id, DocumentEntryIdentifier, ctx);
  const entry: DocumentEntry = {
    kind: 'DocumentEntry',
    entryUuid: id,
    logicalId: eo.attrs.lid || id,
    version: readVersion(eo),
    status: readStatus(eo, ctx),
    objectType,
    mimeType: eo.attrs.mimeType ?? '',
    patientId: ids.get('patientId') ?? '',
    uniqueId: ids.get('uniqueId') ?? '',
    sourcePatientInfo: slot('sourcePatientInfo')?.values ?? [],
    confidentialityCodes: [],
    eventCodes: [],
    authors: [],
    referenceIds: slot('urn:ihe:iti:xds:2013:referenceIdList')?.values ?? [],
    extraSlots: slots.filter((s) => !DOCUMENT_ENTRY_SLOTS.has(s.name)),
  };
  if (eo.attrs.home) entry.homeCommunityId = eo.attrs.home;
  const title = readLocalized(eo, 'Name', ctx);
  if (title) entry.title = title;
  const comments = readLocalized(eo, 'Description', ctx);
  if (comments) entry.comments = comments;

  const strings = [
    'hash', 'repositoryUniqueId', 'creationTime', 'serviceStartTime', 'serviceStopTime',
    'languageCode', 'legalAuthenticator', 'sourcePatientId', 'documentAvailability',
  ] as const;
  for (const name of strings) {
    const v = one(name);
    if (v !== undefined) entry[name] = v;
  }
  const size = one('size');
  if (size !== undefined) {
    if (!/^\d+$/.test(size)) fail(ctx, `size "${size}" is not a non-negative integer (ITI TF-3 §4.2.3.2.24)`);
    entry.size = Number(size);
  }
  const uri = slot('URI');
  if (uri) entry.uri = joinUri(uri, ctx);

  for (const cl of classifications) {
    const scheme = cl.attrs.classificationScheme ?? '';
    const single = (Object.keys(SINGLE_CODES) as (keyof typeof SINGLE_CODES)[]).find((k) => SINGLE_CODES[k] === scheme);
    if (single) {
      if (entry[single]) fail(ctx, `${single} appears more than once (cardinality 1)`);
      entry[single] = readCode(cl, ctx, single);
    } else if (scheme === DocumentEntryScheme.confidentialityCode) {
      entry.confidentialityCodes.push(readCode(cl, ctx, 'confidentialityCode'));
    } else if (scheme === DocumentEntryScheme.eventCodeList) {
      entry.eventCodes.push(readCode(cl, ctx, 'eventCodeList'));
    } else if (scheme === DocumentEntryScheme.author) {
      entry.authors.push(decodeAuthor(cl, ctx));
    } else {
      fail(ctx, `Classification with unknown classificationScheme "${scheme}"${cl.attrs.classificationNode ? ` (classificationNode "${cl.attrs.classificationNode}")` : ''}`);
    }
  }
  return entry;
}
