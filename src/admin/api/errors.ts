/** JSON errors for the admin API: `{"error": <code>, "message": <text>}`, never an HTML page or a stack. */
import type { NextFunction, Request, Response } from 'express';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function apiErrorHandler(log?: { error(msg: string, fields?: Record<string, unknown>): void }) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'InvalidJson', message: 'the request body is not valid JSON' });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'BadRequest', message: e.message ?? 'bad request' });
      return;
    }
    log?.error('admin API request failed', { error: err instanceof Error ? err.stack : String(err) });
    res.status(500).json({ error: 'InternalError', message: 'the request failed; see the server log' });
  };
}

export function intParam(raw: unknown, name: string, dflt: number, max: number): number {
  if (raw === undefined || raw === '') return dflt;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new ApiError(400, 'InvalidParameter', `${name} must be a non-negative integer`);
  const n = Number(raw);
  if (n > max) throw new ApiError(400, 'InvalidParameter', `${name} must be at most ${max}`);
  return n;
}

export function stringParam(raw: unknown, name: string, maxLength = 256): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new ApiError(400, 'InvalidParameter', `${name} must be given at most once`);
  if (raw.length > maxLength) throw new ApiError(400, 'InvalidParameter', `${name} is longer than ${maxLength} characters`);
  return raw;
}
