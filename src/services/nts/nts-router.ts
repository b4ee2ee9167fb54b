/**
 * The NTS endpoint: POST any DGWS request to `/nts/services/NtsService` (or `/nts`) and get back a
 * report of what is right and wrong with it (src/services/nts/inspect.ts). `?policy=<id>` picks the
 * policy the verdict is given for; `Accept: application/json` returns the report as JSON, otherwise it
 * is a SOAP response (same SOAP version as the request, 1.1 when unreadable) with an
 * nts:ValidationReport body.
 */
import express, { type Request, type Response, type Router } from 'express';
import { responseEnvelope, soapContentType } from '../../soap/response.js';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { inspectDgwsRequest, type NtsOptions, type NtsReport } from './inspect.js';

export const NTS_NS = 'urn:xds-hub:nts:1';
export const NTS_ACTION = 'urn:xds-hub:nts:ValidateResponse';

export function reportXml(r: NtsReport): string {
  const checks = r.checks
    .map(
      (c) =>
        `<nts:Check name="${escapeAttr(c.name)}" status="${c.status}"${c.faultCode ? ` faultCode="${c.faultCode}"` : ''}>${escapeText(c.message)}</nts:Check>`,
    )
    .join('');
  return (
    `<nts:ValidationReport xmlns:nts="${NTS_NS}" verdict="${r.verdict}"${r.soapVersion ? ` soapVersion="${r.soapVersion}"` : ''}>` +
    `<nts:Verdict>${escapeText(r.verdictMessage)}</nts:Verdict>${checks}</nts:ValidationReport>`
  );
}

export function createNtsRouter(opts: NtsOptions & { maxRequestBytes?: number }): Router {
  const router = express.Router();
  const parse = express.text({ type: () => true, limit: opts.maxRequestBytes ?? 4 * 1024 * 1024 });
  const handler = async (req: Request, res: Response): Promise<void> => {
    const body = typeof req.body === 'string' ? req.body : '';
    const policy = typeof req.query.policy === 'string' ? req.query.policy : undefined;
    if (policy && !opts.policies[policy]) {
      res.status(400).json({ error: `unknown policy ${policy}`, policies: Object.keys(opts.policies) });
      return;
    }
    const report = await inspectDgwsRequest(body, opts, policy);
    if (req.accepts(['application/soap+xml', 'text/xml', 'application/json']) === 'application/json') {
      res.status(200).json(report);
      return;
    }
    const version = report.soapVersion === '1.2' ? '1.2' : '1.1';
    res.status(200).type(soapContentType(version, NTS_ACTION)).send(responseEnvelope(version, { action: NTS_ACTION, bodyXml: reportXml(report) }));
  };
  router.post(['/nts/services/NtsService', '/nts'], parse, (req, res, next) => {
    handler(req, res).catch(next);
  });
  return router;
}
