/**
 * Reading a document's bytes from the admin UI is a read path like ITI-43 (issue #8, architecture.md
 * "Hooks"): the consent hooks decide before any byte leaves and the recorders (audit, MinLog, BRS) log
 * the access, under the admin user's identity.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { HookRunner } from '../../hooks/types.js';
import type { SecurityContext } from '../../security/context.js';
import type { DocumentEntry } from '../../xds/model/types.js';
import type { RequestContext } from '../../xds/transactions/descriptor.js';
import { ApiError } from './errors.js';

/** The transaction name the admin reads are audited under. */
export const ADMIN_READ_TRANSACTION = 'ADMIN-DOCUMENT-READ';

/**
 * The admin user as a SecurityContext: no token (the admin login is not an NSP token), the user named, and
 * the user's CPR when configured — consent decisions and MinLog registrations then name that person.
 */
export function adminSecurityContext(user: string, cpr?: string): SecurityContext {
  return { tokenType: 'none', authLevel: 0, subjectName: user, subjectCpr: cpr, systemName: 'xds-hub admin UI', policyId: 'admin' };
}

export function adminRequestContext(req: Request): RequestContext {
  return {
    requestId: randomUUID(),
    receivedAt: new Date(),
    security: adminSecurityContext(req.adminSession?.user ?? 'unknown', req.adminSession?.cpr),
    remoteAddress: req.socket.remoteAddress,
    transaction: ADMIN_READ_TRANSACTION,
  };
}

/**
 * Asks the consent hooks; throws 403 when the read is denied or the entry redacted away. Returns the
 * function that records the completed read (call it once the bytes went out, with the outcome).
 */
export async function authorizeDocumentRead(
  hooks: HookRunner,
  req: Request,
  entry: DocumentEntry,
): Promise<(outcome: 'success' | 'failure') => Promise<void>> {
  const context = adminRequestContext(req);
  const decision = await hooks.authorizeRead({ context, patientIds: [entry.patientId], objects: [entry] });
  if (decision.outcome === 'deny') throw new ApiError(403, 'ReadDenied', `the consent hooks denied the read: ${decision.reason}`);
  if (!decision.objects.some((o) => o.entryUuid === entry.entryUuid)) {
    throw new ApiError(403, 'ReadDenied', 'the consent hooks filtered this document out (a consent restriction applies)');
  }
  return (outcome) => hooks.recordRead({ context, patientIds: [entry.patientId], documents: [entry], outcome, addition: decision.addition });
}
