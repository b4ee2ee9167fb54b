/**
 * A short "who called, for which organisation" for request logs and the admin activity view: names
 * rather than CPR numbers where the token carries them (the audit record holds the identifiers).
 */
import type { SecurityContext } from './context.js';

export function callerName(ctx: SecurityContext): string {
  if (ctx.tokenType === 'none') return 'anonymous';
  const who = ctx.hsuid?.actingUserName ?? ctx.subjectName ?? ctx.systemName ?? ctx.hsuid?.systemName ?? ctx.tokenType;
  const org = ctx.hsuid?.orgUsingName ?? ctx.careProvider?.name ?? ctx.careProvider?.id;
  return org ? `${who} (${org})` : who;
}
