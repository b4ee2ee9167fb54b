/** rim:Association → Association (ITI TF-3 §4.2.2). All its Slots (SubmissionSetStatus, PreviousVersion ...) are kept. */
import type { Association } from '../model/types.js';
import { AssociationType } from '../model/types.js';
import { AssociationScheme } from '../model/uuids.js';
import type { XmlElement } from '../../xml/tree.js';
import { fail, readCode, readSlots, readStatus, readVersion, type DecodeContext } from './read-rim.js';

const KNOWN_TYPES = new Set<string>(Object.values(AssociationType));

/**
 * ebRIM 2.1 and the IHE sample write the short form ("HasMember", "RPLC"); ITI TF-3 §4.2.2 defines the
 * URNs. The short forms are mapped to them so the rest of the registry sees one spelling.
 */
export function normalizeAssociationType(type: string): string {
  if (type === 'HasMember') return AssociationType.HasMember;
  if (['RPLC', 'APND', 'XFRM', 'XFRM_RPLC', 'signs', 'IsSnapshotOf'].includes(type)) {
    return `urn:ihe:iti:2007:AssociationType:${type}`;
  }
  return type;
}

export function decodeAssociation(as: XmlElement, classifications: XmlElement[], errorCode: string): Association {
  const id = as.attrs.id ?? '';
  const ctx: DecodeContext = { errorCode, label: `Association "${id}"` };
  if (!id) fail(ctx, 'Association has no id');
  const associationType = normalizeAssociationType(as.attrs.associationType ?? '');
  if (!KNOWN_TYPES.has(associationType)) fail(ctx, `associationType "${as.attrs.associationType ?? ''}" is not an XDS association type (ITI TF-3 §4.2.2)`);
  const sourceUuid = as.attrs.sourceObject ?? '';
  const targetUuid = as.attrs.targetObject ?? '';
  if (!sourceUuid) fail(ctx, 'sourceObject is missing');
  if (!targetUuid) fail(ctx, 'targetObject is missing');
  const assoc: Association = {
    kind: 'Association',
    entryUuid: id,
    logicalId: as.attrs.lid || id,
    version: readVersion(as),
    status: readStatus(as, ctx),
    associationType,
    sourceUuid,
    targetUuid,
    codes: [],
    extraSlots: readSlots(as, ctx),
  };
  if (as.attrs.home) assoc.homeCommunityId = as.attrs.home;
  for (const cl of classifications) {
    if (cl.attrs.classificationScheme !== AssociationScheme.documentation) {
      fail(ctx, `Classification with unknown classificationScheme "${cl.attrs.classificationScheme ?? ''}" (only the association documentation scheme ${AssociationScheme.documentation} is defined)`);
    }
    assoc.codes.push(readCode(cl, ctx, 'documentation'));
  }
  return assoc;
}
