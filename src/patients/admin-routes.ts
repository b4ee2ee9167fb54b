/**
 * Admin REST endpoint for patient identities (issue #2 "Patient identity" (b)): a way to make a patient
 * known to the registry without an ITI-8 feed, and to look patients up.
 *
 *   POST /            {"patientId": "id^^^&oid&ISO", "demographics"?: {"familyName": "…", …}}
 *                     → 201 (created) / 200 (updated) with the record
 *   GET  /:patientId  (URL-encoded CX) → 200 record | 404
 *   GET  /?prefix=&limit=&offset=      → 200 {"patients": [...], "limit", "offset"}
 *
 * Mount it under `/api/patients`. Every error is JSON `{"error": <code>, "message": <text>}` — never an
 * HTML page or a stack trace. Authentication is the admin issue's; pass its middleware as `auth`.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { PatientRecord } from '../storage/ports.js';
import { InvalidPatientIdError, PatientIdentityService } from './patient-identity.js';

export interface PatientAdminRouterOptions {
  identity: Pick<PatientIdentityService, 'register' | 'get' | 'list'>;
  /** Runs before every route (login protection, added by the admin issue). */
  auth?: RequestHandler;
  /** Largest page a list call may ask for; default 1000. */
  maxListLimit?: number;
  /** Where unexpected failures (500) are logged; the response never carries their details. */
  logger?: { error(msg: string, fields?: Record<string, unknown>): void };
}

const DEFAULT_LIST_LIMIT = 100;
const MAX_DEMOGRAPHIC_KEYS = 32;
const MAX_DEMOGRAPHIC_VALUE = 256;

/** A client error with an HTTP status, turned into the JSON error body. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function toJson(record: PatientRecord): Record<string, unknown> {
  return { ...record, active: record.mergedInto === undefined };
}

function parseDemographics(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'InvalidDemographics', 'demographics must be an object of string values');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_DEMOGRAPHIC_KEYS) {
    throw new ApiError(400, 'InvalidDemographics', `demographics may have at most ${MAX_DEMOGRAPHIC_KEYS} keys`);
  }
  const result: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (typeof v !== 'string') throw new ApiError(400, 'InvalidDemographics', `demographics.${key} must be a string`);
    if (v.length > MAX_DEMOGRAPHIC_VALUE) {
      throw new ApiError(400, 'InvalidDemographics', `demographics.${key} is longer than ${MAX_DEMOGRAPHIC_VALUE} characters`);
    }
    result[key] = v;
  }
  return result;
}

function parseNonNegativeInt(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
    throw new ApiError(400, 'InvalidParameter', `${name} must be a non-negative integer`);
  }
  const n = Number(raw);
  if (n > max) throw new ApiError(400, 'InvalidParameter', `${name} must be at most ${max}`);
  return n;
}

export function createPatientAdminRouter(options: PatientAdminRouterOptions): Router {
  const { identity } = options;
  const maxListLimit = options.maxListLimit ?? 1000;
  const router = express.Router();
  if (options.auth) router.use(options.auth);
  router.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));

  router.post('/', async (req: Request, res: Response) => {
    if (!req.is('application/json') && !req.is('application/*+json')) {
      throw new ApiError(415, 'UnsupportedMediaType', 'the request body must be application/json');
    }
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'InvalidBody', 'the body must be a JSON object {"patientId": ..., "demographics"?: {...}}');
    }
    const { patientId, demographics } = body as { patientId?: unknown; demographics?: unknown };
    if (typeof patientId !== 'string' || patientId === '') {
      throw new ApiError(400, 'InvalidPatientId', 'patientId is required: a CX string id^^^&oid&ISO');
    }
    const parsedDemographics = parseDemographics(demographics);
    const existed = (await identity.get(patientId)) !== undefined;
    const record = await identity.register(patientId, 'admin', parsedDemographics);
    res.status(existed ? 200 : 201).json(toJson(record));
  });

  router.get('/', async (req: Request, res: Response) => {
    const prefix = req.query.prefix;
    if (prefix !== undefined && typeof prefix !== 'string') {
      throw new ApiError(400, 'InvalidParameter', 'prefix must be given at most once');
    }
    const limit = parseNonNegativeInt(req.query.limit, 'limit', DEFAULT_LIST_LIMIT, maxListLimit);
    const offset = parseNonNegativeInt(req.query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const patients = await identity.list({ prefix: prefix || undefined, limit, offset });
    res.json({ patients: patients.map(toJson), limit, offset });
  });

  router.get('/:patientId', async (req: Request, res: Response) => {
    const patientId = req.params.patientId as string;
    const record = await identity.get(patientId);
    if (!record) throw new ApiError(404, 'NotFound', `no patient with id "${patientId}"`);
    res.json(toJson(record));
  });

  router.use((req: Request) => {
    throw new ApiError(404, 'NotFound', `no route ${req.method} ${req.baseUrl}${req.path}`);
  });

  // Error handler: a JSON body for every failure, including body-parser errors.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: err.code, message: err.message, ...err.details });
      return;
    }
    if (err instanceof InvalidPatientIdError) {
      res.status(400).json({ error: 'InvalidPatientId', message: err.message, problems: err.problems });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'InvalidJson', message: 'the request body is not valid JSON' });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'PayloadTooLarge', message: 'the request body is larger than 64 KB' });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'BadRequest', message: e.message ?? 'bad request' });
      return;
    }
    options.logger?.error('patient admin request failed', { error: e.message });
    res.status(500).json({ error: 'InternalError', message: 'the patient store failed; see the server log' });
  });

  return router;
}
