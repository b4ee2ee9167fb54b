/**
 * Admin settings from the environment (read by the composition root, like HubConfig):
 *   XDS_ADMIN_USERS          user:scrypt-hash[,user:scrypt-hash…] (hashes from src/admin/auth/hash-password.ts)
 *   XDS_ADMIN_SECURE_COOKIE  auto (default: Secure when the request came over https; behind a TLS
 *                            proxy set XDS_TRUST_PROXY, see src/config/config.ts) | true | false
 *   XDS_ADMIN_SESSION_IDLE_MINUTES (default 30)
 */
import { parseAdminUsers, AdminUsersError, type AdminUser } from './auth/users.js';

export interface AdminConfig {
  users: AdminUser[];
  secureCookies: boolean | 'auto';
  sessionIdleMs: number;
}

export function adminConfigFromEnv(env: NodeJS.ProcessEnv): AdminConfig {
  const secure = (env.XDS_ADMIN_SECURE_COOKIE ?? 'auto').toLowerCase();
  if (!['auto', 'true', 'false'].includes(secure)) throw new AdminUsersError(`XDS_ADMIN_SECURE_COOKIE must be auto, true or false, got "${secure}"`);
  const idle = env.XDS_ADMIN_SESSION_IDLE_MINUTES ?? '30';
  if (!/^\d+$/.test(idle) || Number(idle) < 1) throw new AdminUsersError(`XDS_ADMIN_SESSION_IDLE_MINUTES must be a positive integer, got "${idle}"`);
  return {
    users: parseAdminUsers(env.XDS_ADMIN_USERS),
    secureCookies: secure === 'auto' ? 'auto' : secure === 'true',
    sessionIdleMs: Number(idle) * 60_000,
  };
}
