/**
 * Patients and their DocumentEntries for the admin UI: search by patient id or CPR prefix (the Danish
 * profile's CX.1), and a patient's entries with filters (status, class/type/format code, creation time)
 * and paging, newest first.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { DocumentEntryFilter } from '../../storage/ports.js';
import { Status, type AvailabilityStatus, type DocumentEntry } from '../../xds/model/types.js';
import type { AdminApiDeps } from './deps.js';
import { ApiError, intParam, stringParam } from './errors.js';
import { documentSummary, readableFolder, readableSubmissionSet, splitCx } from './readable.js';

/** Most entries of one patient examined for one page (sorting happens in memory). */
const MAX_SCAN = 10_000;

const STATUS_PARAM: Record<string, AvailabilityStatus> = { approved: Status.Approved, deprecated: Status.Deprecated, submitted: Status.Submitted };

export function parseStatuses(raw: string | undefined): AvailabilityStatus[] | undefined {
  if (!raw || raw === 'all') return undefined;
  return raw.split(',').map((s) => {
    const st = STATUS_PARAM[s.trim().toLowerCase()];
    if (!st) throw new ApiError(400, 'InvalidParameter', `status "${s}" is not approved, deprecated, submitted or all`);
    return st;
  });
}

/** A date (YYYY-MM-DD) or an HL7 DTM to DTM digits (ITI TF-2a §3.18.4.1.2.3.6 compares DTM strings). */
export function dateParam(raw: string | undefined, name: string): string | undefined {
  if (!raw) return undefined;
  const digits = raw.replace(/[-:T]/g, '').replace(/Z$/, '');
  if (!/^\d{4}(\d{2}){0,5}$/.test(digits)) throw new ApiError(400, 'InvalidParameter', `${name} must be a date YYYY-MM-DD or an HL7 DTM`);
  return digits;
}

function codeParam(raw: string | undefined): DocumentEntryFilter['classCode'] {
  if (!raw) return undefined;
  return [raw.split(',').map((code) => ({ code: code.trim() }))];
}

export function byNewest(a: DocumentEntry, b: DocumentEntry): number {
  return (b.creationTime ?? '').localeCompare(a.creationTime ?? '') || b.version - a.version;
}

export function patientRoutes(deps: AdminApiDeps): Router {
  const r = express.Router();

  r.get('/patients', async (req: Request, res: Response) => {
    const q = stringParam(req.query.q, 'q', 128)?.trim();
    const limit = intParam(req.query.limit, 'limit', 50, 500);
    const offset = intParam(req.query.offset, 'offset', 0, 1_000_000);
    const patients = await deps.patients.list({ prefix: q || undefined, limit: limit + 1, offset });
    res.json({
      patients: patients.slice(0, limit).map((p) => ({ ...p, cx: splitCx(p.patientId), active: p.mergedInto === undefined })),
      limit,
      offset,
      more: patients.length > limit,
    });
  });

  r.get('/patients/:patientId', async (req: Request, res: Response) => {
    const patientId = req.params.patientId as string;
    const record = await deps.patients.get(patientId);
    if (!record) throw new ApiError(404, 'NotFound', `no patient with id "${patientId}"`);
    res.json({ ...record, cx: splitCx(record.patientId), active: record.mergedInto === undefined });
  });

  r.get('/patients/:patientId/documents', async (req: Request, res: Response) => {
    const patientId = req.params.patientId as string;
    const limit = intParam(req.query.limit, 'limit', 50, 500);
    const offset = intParam(req.query.offset, 'offset', 0, MAX_SCAN);
    const from = dateParam(stringParam(req.query.from, 'from', 20), 'from');
    const to = dateParam(stringParam(req.query.to, 'to', 20), 'to');
    const filter: DocumentEntryFilter = {
      patientIds: [patientId],
      statuses: parseStatuses(stringParam(req.query.status, 'status', 64)),
      classCode: codeParam(stringParam(req.query.classCode, 'classCode')),
      typeCode: codeParam(stringParam(req.query.typeCode, 'typeCode')),
      formatCode: codeParam(stringParam(req.query.formatCode, 'formatCode')),
      creationTime: from || to ? { from, to } : undefined,
      allVersions: req.query.allVersions === 'true',
    };
    const found = await deps.metadata.findDocumentEntries(filter, { limit: MAX_SCAN + 1 });
    found.sort(byNewest);
    res.json({
      patientId,
      total: Math.min(found.length, MAX_SCAN),
      truncated: found.length > MAX_SCAN,
      limit,
      offset,
      documents: found.slice(offset, offset + limit).map((e) => documentSummary(e, deps.codeNames)),
    });
  });

  r.get('/patients/:patientId/submission-sets', async (req: Request, res: Response) => {
    const sets = await deps.metadata.findSubmissionSets({ patientIds: [req.params.patientId as string] }, { limit: 1000 });
    sets.sort((a, b) => (b.submissionTime ?? '').localeCompare(a.submissionTime ?? ''));
    res.json({ submissionSets: sets.map((s) => readableSubmissionSet(s, deps.codeNames)) });
  });

  r.get('/patients/:patientId/folders', async (req: Request, res: Response) => {
    const folders = await deps.metadata.findFolders({ patientIds: [req.params.patientId as string] }, { limit: 1000 });
    res.json({ folders: folders.map((f) => readableFolder(f, deps.codeNames)) });
  });

  return r;
}
