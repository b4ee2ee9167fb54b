/**
 * One DocumentEntry in readable form, its versions, its associations as a graph, and its bytes (preview
 * and download, both passing the read hooks), plus SubmissionSets and Folders with their contents.
 */
import express, { type Request, type Response, type Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { AssociationType, type Association, type DocumentEntry, type RegistryObject } from '../../xds/model/types.js';
import type { AdminApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { authorizeDocumentRead } from './read-path.js';
import { associationTypeName, documentSummary, readableDocumentEntry, readableFolder, readableSubmissionSet, statusName } from './readable.js';

const PREVIEW_BYTES = 256 * 1024;

/** Types shown as text in the preview (CDA is XML; ITI TF-3 formatCode tells the rest). */
export function previewKind(mimeType: string): 'text' | 'xml' | 'pdf' | 'none' {
  const m = mimeType.toLowerCase().split(';')[0].trim();
  if (m === 'application/pdf') return 'pdf';
  if (m.endsWith('/xml') || m.endsWith('+xml') || m === 'application/hl7-v3' || m === 'application/hl7-cda+xml') return 'xml';
  if (m.startsWith('text/') || m === 'application/json') return 'text';
  return 'none';
}

async function entryOr404(deps: AdminApiDeps, entryUuid: string): Promise<DocumentEntry> {
  const [obj] = await deps.metadata.getObjects([entryUuid]);
  if (!obj || obj.kind !== 'DocumentEntry') throw new ApiError(404, 'NotFound', `no DocumentEntry ${entryUuid}`);
  return obj;
}

function nodeOf(o: RegistryObject) {
  switch (o.kind) {
    case 'DocumentEntry':
      return { id: o.entryUuid, kind: o.kind, label: o.title?.value ?? o.uniqueId, uniqueId: o.uniqueId, status: statusName(o.status), version: o.version };
    case 'SubmissionSet':
      return { id: o.entryUuid, kind: o.kind, label: o.title?.value ?? `SubmissionSet ${o.uniqueId}`, uniqueId: o.uniqueId, status: statusName(o.status) };
    case 'Folder':
      return { id: o.entryUuid, kind: o.kind, label: o.title?.value ?? `Folder ${o.uniqueId}`, uniqueId: o.uniqueId, status: statusName(o.status) };
    default:
      return { id: o.entryUuid, kind: o.kind, label: associationTypeName(o.associationType), status: statusName(o.status) };
  }
}

/**
 * The entry, every version of it, and everything one association away (ITI TF-3 §4.2.2: HasMember from
 * SubmissionSets and Folders, RPLC / APND / XFRM / XFRM_RPLC / signs between documents), as nodes + edges.
 */
export async function associationGraph(deps: AdminApiDeps, entry: DocumentEntry) {
  const versions = await deps.metadata.findDocumentEntries({ logicalIds: [entry.logicalId], allVersions: true });
  const focus = new Set([entry.entryUuid, ...versions.map((v) => v.entryUuid)]);
  const assocs = await deps.metadata.findAssociations({ sourceOrTarget: [...focus] }, { limit: 2000 });
  // A HasMember from a SubmissionSet may target the association that put a document in a folder; skip those.
  const ids = new Set<string>(focus);
  for (const a of assocs) ids.add(a.sourceUuid).add(a.targetUuid);
  const objects = await deps.metadata.getObjects([...ids]);
  const byId = new Map(objects.map((o) => [o.entryUuid, o]));
  const edges = assocs
    .filter((a) => byId.get(a.sourceUuid)?.kind !== 'Association' && byId.get(a.targetUuid)?.kind !== 'Association')
    .map((a: Association) => ({ id: a.entryUuid, type: associationTypeName(a.associationType), typeUrn: a.associationType, source: a.sourceUuid, target: a.targetUuid, status: statusName(a.status) }));
  const used = new Set([...focus, ...edges.flatMap((e) => [e.source, e.target])]);
  const nodes = objects.filter((o) => used.has(o.entryUuid) && o.kind !== 'Association').map((o) => ({ ...nodeOf(o), focus: o.entryUuid === entry.entryUuid }));
  // Versions of one logical document are linked by lid (ITI TF-3 §4.1.3.2), not by an association: draw that link too.
  const sorted = versions.sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    edges.push({ id: `version:${sorted[i].entryUuid}`, type: 'version', typeUrn: 'lid', source: sorted[i].entryUuid, target: sorted[i - 1].entryUuid, status: '' });
  }
  return { focus: entry.entryUuid, nodes, edges };
}

export function documentRoutes(deps: AdminApiDeps): Router {
  const r = express.Router();

  r.get('/documents/:entryUuid', async (req: Request, res: Response) => {
    const entry = await entryOr404(deps, req.params.entryUuid as string);
    const stored = entry.repositoryUniqueId === deps.repositoryUniqueId ? await deps.documents.stat(entry.uniqueId) : undefined;
    res.json({
      ...readableDocumentEntry(entry, deps.codeNames),
      preview: previewKind(entry.mimeType),
      storedHere: entry.repositoryUniqueId === deps.repositoryUniqueId,
      storedSize: stored?.size,
    });
  });

  r.get('/documents/:entryUuid/versions', async (req: Request, res: Response) => {
    const entry = await entryOr404(deps, req.params.entryUuid as string);
    const versions = await deps.metadata.findDocumentEntries({ logicalIds: [entry.logicalId], allVersions: true });
    versions.sort((a, b) => b.version - a.version);
    res.json({ logicalId: entry.logicalId, versions: versions.map((v) => documentSummary(v, deps.codeNames)) });
  });

  r.get('/documents/:entryUuid/associations', async (req: Request, res: Response) => {
    const entry = await entryOr404(deps, req.params.entryUuid as string);
    res.json(await associationGraph(deps, entry));
  });

  r.get('/documents/:entryUuid/preview', async (req: Request, res: Response) => {
    const entry = await entryOr404(deps, req.params.entryUuid as string);
    const kind = previewKind(entry.mimeType);
    if (kind === 'pdf' || kind === 'none') {
      // no bytes read here: the PDF is shown from the content URL, which passes the read hooks itself.
      res.json({ kind, mimeType: entry.mimeType, contentUrl: `content?disposition=inline` });
      return;
    }
    const record = await authorizeDocumentRead(deps.hooks, req, entry);
    const got = await deps.documents.get(entry.uniqueId);
    if (!got) {
      await record('failure');
      throw new ApiError(404, 'ContentMissing', `the repository holds no bytes for document ${entry.uniqueId}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of got.stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= PREVIEW_BYTES) break;
    }
    got.stream.destroy();
    await record('success');
    const text = Buffer.concat(chunks).subarray(0, PREVIEW_BYTES).toString('utf8');
    res.json({ kind, mimeType: entry.mimeType, size: got.size, truncated: got.size > PREVIEW_BYTES, text });
  });

  r.get('/documents/:entryUuid/content', async (req: Request, res: Response) => {
    const entry = await entryOr404(deps, req.params.entryUuid as string);
    const inline = req.query.disposition === 'inline' && previewKind(entry.mimeType) === 'pdf';
    const record = await authorizeDocumentRead(deps.hooks, req, entry);
    const got = await deps.documents.get(entry.uniqueId);
    if (!got) {
      await record('failure');
      throw new ApiError(404, 'ContentMissing', `the repository holds no bytes for document ${entry.uniqueId}`);
    }
    const name = `${entry.uniqueId.replace(/[^A-Za-z0-9._-]/g, '_')}${extension(entry.mimeType)}`;
    res.setHeader('Content-Type', entry.mimeType);
    res.setHeader('Content-Length', String(got.size));
    res.setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Stored bytes are untrusted: never let them run script in the admin origin.
    res.setHeader('Content-Security-Policy', inline ? "frame-ancestors 'self'" : "default-src 'none'; sandbox");
    await record('success');
    await pipeline(got.stream, res);
  });

  r.get('/submission-sets/:entryUuid', async (req: Request, res: Response) => {
    const [ss] = await deps.metadata.getObjects([req.params.entryUuid as string]);
    if (!ss || ss.kind !== 'SubmissionSet') throw new ApiError(404, 'NotFound', `no SubmissionSet ${req.params.entryUuid}`);
    const members = await deps.metadata.findAssociations({ sourceUuids: [ss.entryUuid], types: [AssociationType.HasMember] });
    const objects = await deps.metadata.getObjects(members.map((a) => a.targetUuid));
    res.json({
      submissionSet: readableSubmissionSet(ss, deps.codeNames),
      documents: objects.filter((o): o is DocumentEntry => o.kind === 'DocumentEntry').map((d) => documentSummary(d, deps.codeNames)),
      folders: objects.filter((o) => o.kind === 'Folder').map((f) => readableFolder(f as never, deps.codeNames)),
      associations: objects.filter((o) => o.kind === 'Association').map((a) => ({ entryUuid: a.entryUuid, type: associationTypeName((a as Association).associationType), source: (a as Association).sourceUuid, target: (a as Association).targetUuid })),
    });
  });

  r.get('/folders/:entryUuid', async (req: Request, res: Response) => {
    const [folder] = await deps.metadata.getObjects([req.params.entryUuid as string]);
    if (!folder || folder.kind !== 'Folder') throw new ApiError(404, 'NotFound', `no Folder ${req.params.entryUuid}`);
    const members = await deps.metadata.findAssociations({ sourceUuids: [folder.entryUuid], types: [AssociationType.HasMember] });
    const objects = await deps.metadata.getObjects(members.map((a) => a.targetUuid));
    res.json({
      folder: readableFolder(folder, deps.codeNames),
      documents: objects.filter((o): o is DocumentEntry => o.kind === 'DocumentEntry').map((d) => documentSummary(d, deps.codeNames)),
    });
  });

  return r;
}

function extension(mimeType: string): string {
  const m = mimeType.toLowerCase();
  if (m === 'application/pdf') return '.pdf';
  if (m.includes('xml')) return '.xml';
  if (m === 'text/plain') return '.txt';
  if (m === 'text/html') return '.html';
  if (m === 'application/json') return '.json';
  return '.bin';
}
