/** ITI-86 Remove Documents (RMD, ITI TF-2b §3.86.4.1.3): bytes removed per document, wrong ids remove nothing. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsDocumentStore } from '../../../src/storage/fs/index.js';
import type { DocumentStore } from '../../../src/storage/ports.js';
import { decodeRemoveDocumentsRequest, RemoveDocumentsService } from '../../../src/xds/removal/remove-documents-service.js';
import { parseXml } from '../../../src/xml/parse.js';

const REPO = '1.3.6.1.4.1.21367.2010.1.2.1125';
let dir: string;
let documents: DocumentStore;
let service: RemoveDocumentsService;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xds-rmd-'));
  documents = await openFsDocumentStore(dir);
  service = new RemoveDocumentsService({ documents, repositoryUniqueId: REPO });
  await documents.put('1.2.3.86.1', Buffer.from('one'));
  await documents.put('1.2.3.86.2', Buffer.from('two'));
});
afterEach(async () => {
  await documents.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ITI-86 RemoveDocumentsRequest', () => {
  it('decodes rmd:RemoveDocumentsRequest (the RetrieveDocumentSetRequest type) and refuses other roots', () => {
    const req = parseXml(
      `<rmd:RemoveDocumentsRequest xmlns:rmd="urn:ihe:iti:rmd:2017" xmlns:xds="urn:ihe:iti:xds-b:2007"><xds:DocumentRequest><xds:RepositoryUniqueId>${REPO}</xds:RepositoryUniqueId><xds:DocumentUniqueId>1.2.3.86.1</xds:DocumentUniqueId></xds:DocumentRequest></rmd:RemoveDocumentsRequest>`,
    );
    expect(decodeRemoveDocumentsRequest(req)).toEqual([{ repositoryUniqueId: REPO, documentUniqueId: '1.2.3.86.1' }]);
    expect(() => decodeRemoveDocumentsRequest(parseXml('<x xmlns="urn:ihe:iti:xds-b:2007"/>'))).toThrow(/RemoveDocumentsRequest/);
  });

  it('removes the bytes of each named document', async () => {
    const r = await service.remove([
      { repositoryUniqueId: REPO, documentUniqueId: '1.2.3.86.1' },
      { repositoryUniqueId: REPO, documentUniqueId: '1.2.3.86.2' },
    ]);
    expect(r).toEqual({ removed: ['1.2.3.86.1', '1.2.3.86.2'], errors: [] });
    expect(await documents.stat('1.2.3.86.1')).toBeUndefined();
    expect(await documents.stat('1.2.3.86.2')).toBeUndefined();
  });

  it('a wrong repositoryUniqueId or documentUniqueId removes nothing and is reported per document (NIST 50002/50003)', async () => {
    const r = await service.remove([
      { repositoryUniqueId: '1.2.1.1.1', documentUniqueId: '1.2.3.86.1' },
      { repositoryUniqueId: REPO, documentUniqueId: '1.2.3.86.404' },
    ]);
    expect(r.removed).toEqual([]);
    expect(r.errors.map((e) => [e.errorCode, e.location])).toEqual([
      ['XDSUnknownRepositoryId', '1.2.3.86.1'],
      ['XDSDocumentUniqueIdError', '1.2.3.86.404'],
    ]);
    expect(await documents.stat('1.2.3.86.1')).toEqual({ size: 3 });
  });
});
