/**
 * rim:RegistryPackage → SubmissionSet (ITI TF-3 §4.2.3.3) or Folder (§4.2.3.4). Which one is decided by the
 * caller from the classificationNode Classification (nested or top level, §4.2.5.1).
 */
import type { Folder, SubmissionSet } from '../model/types.js';
import { FolderIdentifier, FolderScheme, SubmissionSetIdentifier, SubmissionSetScheme } from '../model/uuids.js';
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

export const SUBMISSION_SET_SLOTS = new Set(['submissionTime', 'intendedRecipient']);
/** lastUpdateTime is registry-maintained (ITI TF-3 §4.2.3.4.4); a submitted value is read and then replaced. */
export const FOLDER_SLOTS = new Set(['lastUpdateTime']);

function common(rp: XmlElement, ctx: DecodeContext) {
  const id = rp.attrs.id ?? '';
  const out = {
    entryUuid: id,
    logicalId: rp.attrs.lid || id,
    version: readVersion(rp),
    status: readStatus(rp, ctx),
  } as {
    entryUuid: string;
    logicalId: string;
    version: number;
    status: SubmissionSet['status'];
    homeCommunityId?: string;
    title?: SubmissionSet['title'];
    comments?: SubmissionSet['comments'];
  };
  if (rp.attrs.home) out.homeCommunityId = rp.attrs.home;
  const title = readLocalized(rp, 'Name', ctx);
  if (title) out.title = title;
  const comments = readLocalized(rp, 'Description', ctx);
  if (comments) out.comments = comments;
  return out;
}

export function decodeSubmissionSet(rp: XmlElement, classifications: XmlElement[], errorCode: string): SubmissionSet {
  const id = rp.attrs.id ?? '';
  const ctx: DecodeContext = { errorCode, label: `SubmissionSet "${id}"` };
  if (!id) fail(ctx, 'RegistryPackage has no id');
  const slots = readSlots(rp, ctx);
  const ids = readExternalIdentifiers(rp, id, SubmissionSetIdentifier, ctx);
  const ss: SubmissionSet = {
    kind: 'SubmissionSet',
    ...common(rp, ctx),
    patientId: ids.get('patientId') ?? '',
    uniqueId: ids.get('uniqueId') ?? '',
    sourceId: ids.get('sourceId') ?? '',
    authors: [],
    intendedRecipients: slots.find((s) => s.name === 'intendedRecipient')?.values ?? [],
    extraSlots: slots.filter((s) => !SUBMISSION_SET_SLOTS.has(s.name)),
  };
  const submissionTime = singleValue(slots.find((s) => s.name === 'submissionTime'), ctx);
  if (submissionTime !== undefined) ss.submissionTime = submissionTime;
  for (const cl of classifications) {
    const scheme = cl.attrs.classificationScheme ?? '';
    if (scheme === SubmissionSetScheme.author) ss.authors.push(decodeAuthor(cl, ctx));
    else if (scheme === SubmissionSetScheme.contentTypeCode) {
      if (ss.contentTypeCode) fail(ctx, 'contentTypeCode appears more than once (cardinality 1)');
      ss.contentTypeCode = readCode(cl, ctx, 'contentTypeCode');
    } else fail(ctx, `Classification with unknown classificationScheme "${scheme}"`);
  }
  return ss;
}

export function decodeFolder(rp: XmlElement, classifications: XmlElement[], errorCode: string): Folder {
  const id = rp.attrs.id ?? '';
  const ctx: DecodeContext = { errorCode, label: `Folder "${id}"` };
  if (!id) fail(ctx, 'RegistryPackage has no id');
  const slots = readSlots(rp, ctx);
  const ids = readExternalIdentifiers(rp, id, FolderIdentifier, ctx);
  const folder: Folder = {
    kind: 'Folder',
    ...common(rp, ctx),
    patientId: ids.get('patientId') ?? '',
    uniqueId: ids.get('uniqueId') ?? '',
    codeList: [],
    extraSlots: slots.filter((s) => !FOLDER_SLOTS.has(s.name)),
  };
  const last = singleValue(slots.find((s) => s.name === 'lastUpdateTime'), ctx);
  if (last !== undefined) folder.lastUpdateTime = last;
  for (const cl of classifications) {
    const scheme = cl.attrs.classificationScheme ?? '';
    if (scheme === FolderScheme.codeList) folder.codeList.push(readCode(cl, ctx, 'codeList'));
    else fail(ctx, `Classification with unknown classificationScheme "${scheme}"`);
  }
  return folder;
}
