export { FsDocumentStore, InvalidDocumentKeyError, validateDocumentKey } from './fs-document-store.js';
import { FsDocumentStore } from './fs-document-store.js';

/** The config URL `file:<dir>` maps to `openFsDocumentStore(<dir>)`. */
export function openFsDocumentStore(root: string): Promise<FsDocumentStore> {
  return FsDocumentStore.open(root);
}
