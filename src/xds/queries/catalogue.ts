/**
 * The stored-query catalogue: ITI-18 queries (ITI TF-2a Table 3.18.4.1.2.3.7-1) and the ITI-51
 * multi-patient queries (ITI TF-2b §3.51.4.1.2), looked up by query id. ITI-51 queries are only
 * accepted on the ITI-51 action and the ITI-18 ones only on ITI-18 (each transaction lists its own).
 */
import { ErrorCode, XdsError } from '../errors.js';
import { findDocuments } from './find-documents.js';
import { findDocumentsByReferenceId } from './find-documents-by-reference-id.js';
import { findDocumentsForMultiplePatients } from './find-documents-multi-patient.js';
import { findFolders } from './find-folders.js';
import { findFoldersForMultiplePatients } from './find-folders-multi-patient.js';
import { findSubmissionSets } from './find-submission-sets.js';
import { getAll } from './get-all.js';
import { getAssociations } from './get-associations.js';
import { getDocuments } from './get-documents.js';
import { getDocumentsAndAssociations } from './get-documents-and-associations.js';
import { getFolderAndContents } from './get-folder-and-contents.js';
import { getFolders } from './get-folders.js';
import { getFoldersForDocument } from './get-folders-for-document.js';
import { getRelatedDocuments } from './get-related-documents.js';
import { getSubmissionSetAndContents } from './get-submission-set-and-contents.js';
import { getSubmissionSets } from './get-submission-sets.js';
import type { StoredQuery } from './query-types.js';

export const ITI18_QUERIES: readonly StoredQuery[] = [
  findDocuments,
  findSubmissionSets,
  findFolders,
  getAll,
  getDocuments,
  getFolders,
  getAssociations,
  getDocumentsAndAssociations,
  getSubmissionSets,
  getSubmissionSetAndContents,
  getFolderAndContents,
  getFoldersForDocument,
  getRelatedDocuments,
  findDocumentsByReferenceId,
];

export const ITI51_QUERIES: readonly StoredQuery[] = [findDocumentsForMultiplePatients, findFoldersForMultiplePatients];

/** The query with this id among `queries`, else XDSUnknownStoredQuery (ITI TF-3 Table 4.2.4.1-2). */
export function lookupQuery(queries: readonly StoredQuery[], queryId: string): StoredQuery {
  const q = queries.find((x) => x.id.toLowerCase() === queryId.trim().toLowerCase());
  if (!q) throw new XdsError(ErrorCode.UnknownStoredQuery, `Unknown stored query id "${queryId}"`);
  return q;
}
