/**
 * Operations views: overview (object counts, adapters, queue depths), the consistency check as a long
 * job with progress (POST starts it, GET polls it), recent transactions and errors by code, and — where
 * the hub was built with those stores — MinLog entries and consent registrations of one citizen.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { AdminApiDeps } from './deps.js';
import { ApiError, intParam } from './errors.js';
import type { ConsistencyRunner } from './consistency-check.js';

const CPR = /^\d{10}$/;

function cprParam(req: Request): string {
  const cpr = String(req.params.cpr ?? '').replace('-', '');
  if (!CPR.test(cpr)) throw new ApiError(400, 'InvalidParameter', 'a CPR number has 10 digits (DDMMYYXXXX)');
  return cpr;
}

export function operationsRoutes(deps: AdminApiDeps, consistency: ConsistencyRunner): Router {
  const r = express.Router();

  r.get('/overview', async (_req: Request, res: Response) => {
    const counts = await deps.metadata.countObjects();
    const queues = [];
    for (const name of deps.queueNames ?? []) {
      if (!deps.queue) break;
      queues.push({ name, ...(await deps.queue.counts(name)) });
    }
    res.json({
      counts,
      adapters: deps.describe ?? {},
      repositoryUniqueId: deps.repositoryUniqueId,
      queues,
      available: { minlog: !!deps.minlog, consents: !!deps.consents, activity: !!deps.activity, queues: !!deps.queue && (deps.queueNames ?? []).length > 0 },
      minlogRegistrations: deps.minlog ? await deps.minlog.count() : undefined,
    });
  });

  r.post('/consistency-checks', (req: Request, res: Response) => {
    const job = consistency.start(req.adminSession?.user ?? 'unknown');
    deps.log?.info('consistency check started', { jobId: job.id, user: job.startedBy });
    res.status(202).setHeader('Location', `/admin/api/consistency-checks/${job.id}`).json(job);
  });

  r.get('/consistency-checks', (_req: Request, res: Response) => {
    res.json({ jobs: consistency.list().map(({ findings: _f, ...rest }) => rest) });
  });

  r.get('/consistency-checks/:id', (req: Request, res: Response) => {
    const job = consistency.get(req.params.id as string);
    if (!job) throw new ApiError(404, 'NotFound', `no consistency check ${req.params.id}`);
    res.json(job);
  });

  r.get('/activity/transactions', (req: Request, res: Response) => {
    if (!deps.activity) throw new ApiError(404, 'NotAvailable', 'the hub was built without an activity log');
    res.json({ transactions: deps.activity.recent(intParam(req.query.limit, 'limit', 100, 1000)) });
  });

  r.get('/activity/errors', (_req: Request, res: Response) => {
    if (!deps.activity) throw new ApiError(404, 'NotAvailable', 'the hub was built without an activity log');
    res.json({ errors: deps.activity.errorsByCode() });
  });

  r.get('/citizens/:cpr/minlog', async (req: Request, res: Response) => {
    const cpr = cprParam(req);
    if (!deps.minlog) throw new ApiError(404, 'NotAvailable', 'the hub was built without a MinLog store');
    res.json({ cpr, registrations: await deps.minlog.extract(cpr) });
  });

  r.get('/citizens/:cpr/consents', async (req: Request, res: Response) => {
    const cpr = cprParam(req);
    if (!deps.consents) throw new ApiError(404, 'NotAvailable', 'the hub was built without a consent (Min Spærring) store');
    res.json({ cpr, consents: await deps.consents.listForCitizen(cpr) });
  });

  return r;
}
