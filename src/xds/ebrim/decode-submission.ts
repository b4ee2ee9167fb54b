/**
 * lcm:SubmitObjectsRequest → Submission (ITI TF-2a §3.42.4.1, ITI TF-3 §4.1 / §4.2).
 *
 * Structure only: ids are kept as given (symbolic or urn:uuid; the registry assigns UUIDs), missing
 * required attributes become empty strings for the validator (src/xds/validate/) to report with the
 * profile's rules. What cannot be represented (unknown schemes, duplicated single-valued slots, two
 * SubmissionSets ...) is an XdsError with the metadata error code and a context naming the object.
 */
import { ErrorCode, XdsError } from '../errors.js';
import type { Association, DocumentEntry, Folder, Submission, SubmissionSet } from '../model/types.js';
import { ClassificationNode } from '../model/uuids.js';
import type { XmlElement } from '../../xml/tree.js';
import { child } from '../../xml/tree.js';
import { decodeAssociation } from './decode-association.js';
import { decodeDocumentEntry } from './decode-document-entry.js';
import { decodeFolder, decodeSubmissionSet } from './decode-package.js';
import { NS } from './namespaces.js';
import { rimChildren } from './read-rim.js';

export interface DecodeOptions {
  /** XDSRegistryMetadataError (ITI-42, the default) or XDSRepositoryMetadataError (ITI-41 at the repository). */
  errorCode?: string;
}

/** Which package kind a classificationNode names, if any. */
function nodeKind(node: string | undefined): 'SubmissionSet' | 'Folder' | undefined {
  if (node === ClassificationNode.SubmissionSet) return 'SubmissionSet';
  if (node === ClassificationNode.Folder) return 'Folder';
  return undefined;
}

export function decodeSubmission(request: XmlElement, options: DecodeOptions = {}): Submission {
  const errorCode = options.errorCode ?? ErrorCode.RegistryMetadataError;
  const err = (message: string, location?: string): never => {
    throw new XdsError(errorCode, message, location);
  };
  if (request.ns !== NS.lcm || request.name !== 'SubmitObjectsRequest') {
    err(`expected lcm:SubmitObjectsRequest, got {${request.ns}}${request.name}`);
  }
  const list = child(request, NS.rim, 'RegistryObjectList');
  if (!list) err('SubmitObjectsRequest has no rim:RegistryObjectList');

  const objects = list!.children;
  const ids = new Set<string>();
  for (const o of objects) {
    const id = o.attrs.id;
    if (o.ns !== NS.rim) err(`unexpected element {${o.ns}}${o.name} in RegistryObjectList`);
    if (!id) err(`a rim:${o.name} in RegistryObjectList has no id`);
    if (ids.has(id!) && o.name !== 'ObjectRef') err(`id "${id}" is used by more than one object in the submission`, id);
    ids.add(id!);
  }

  // Classifications may be nested in their object or stand at the top level (ebRIM 3.0 §2.9, ITI TF-3 §4.2.5.1).
  const codeClassifications = new Map<string, XmlElement[]>();
  const packageKinds = new Map<string, Set<'SubmissionSet' | 'Folder'>>();
  const addClassification = (cl: XmlElement, ownerId: string | undefined): void => {
    const target = cl.attrs.classifiedObject ?? ownerId ?? '';
    if (ownerId !== undefined && cl.attrs.classifiedObject !== undefined && cl.attrs.classifiedObject !== ownerId) {
      err(`Classification "${cl.attrs.id ?? ''}" inside "${ownerId}" has classifiedObject "${cl.attrs.classifiedObject}"`, ownerId);
    }
    const kind = nodeKind(cl.attrs.classificationNode);
    if (cl.attrs.classificationNode !== undefined) {
      if (!kind) err(`Classification "${cl.attrs.id ?? ''}" of "${target}" has unknown classificationNode "${cl.attrs.classificationNode}"`, target);
      const set = packageKinds.get(target) ?? new Set();
      set.add(kind!);
      packageKinds.set(target, set);
      return;
    }
    const arr = codeClassifications.get(target) ?? [];
    arr.push(cl);
    codeClassifications.set(target, arr);
  };
  for (const o of objects) {
    if (o.name === 'Classification') addClassification(o, undefined);
    else for (const cl of rimChildren(o, 'Classification')) addClassification(cl, o.attrs.id);
  }

  const decodable = new Set(['ExtrinsicObject', 'RegistryPackage', 'Association']);
  for (const target of [...codeClassifications.keys(), ...packageKinds.keys()]) {
    const owner = objects.find((o) => o.attrs.id === target && decodable.has(o.name));
    if (!owner) err(`a Classification refers to "${target}", which is not an object of this submission`, target);
  }

  const submissionSets: SubmissionSet[] = [];
  const documents: DocumentEntry[] = [];
  const folders: Folder[] = [];
  const associations: Association[] = [];
  for (const o of objects) {
    const id = o.attrs.id!;
    const cls = codeClassifications.get(id) ?? [];
    switch (o.name) {
      case 'ExtrinsicObject':
        documents.push(decodeDocumentEntry(o, cls, errorCode));
        break;
      case 'RegistryPackage': {
        const kinds = packageKinds.get(id);
        if (!kinds || kinds.size === 0) {
          err(`RegistryPackage "${id}" is classified neither as SubmissionSet (${ClassificationNode.SubmissionSet}) nor as Folder (${ClassificationNode.Folder})`, id);
        }
        if (kinds!.size > 1) err(`RegistryPackage "${id}" is classified both as SubmissionSet and as Folder`, id);
        if (kinds!.has('SubmissionSet')) submissionSets.push(decodeSubmissionSet(o, cls, errorCode));
        else folders.push(decodeFolder(o, cls, errorCode));
        break;
      }
      case 'Association':
        associations.push(decodeAssociation(o, cls, errorCode));
        break;
      case 'Classification':
      case 'ObjectRef':
        // Classifications were attached above; ObjectRefs only name existing objects (ebRS 3.0 §2.1).
        break;
      default:
        err(`rim:${o.name} "${id}" is not an XDS metadata object`, id);
    }
  }

  // ITI TF-3 §4.1.4: every submission request contains exactly one SubmissionSet.
  if (submissionSets.length !== 1) {
    err(`a submission must contain exactly one SubmissionSet, found ${submissionSets.length}`);
  }
  return { submissionSet: submissionSets[0]!, documents, folders, associations };
}
