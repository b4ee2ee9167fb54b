/**
 * Admin users from configuration: XDS_ADMIN_USERS = `user:scrypt-hash[:cpr],user2:scrypt-hash` (hashes from
 * src/admin/auth/hash-password.ts). The hash contains `$` but never `,` or `:` (base64 has neither).
 */
import { parsePasswordHash, PasswordHashError } from './password.js';

export interface AdminUser {
  name: string;
  passwordHash: string;
  /** the admin's CPR (optional): admin document reads are then registered in MinLog under it. */
  cpr?: string;
}

export class AdminUsersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminUsersError';
  }
}

const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Parses the XDS_ADMIN_USERS value; an empty/undefined value gives no users (the admin UI then refuses every login). */
export function parseAdminUsers(value: string | undefined): AdminUser[] {
  const users: AdminUser[] = [];
  for (const item of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = item.indexOf(':');
    if (i <= 0) throw new AdminUsersError(`XDS_ADMIN_USERS: "${item.slice(0, 20)}…" is not user:hash`);
    const name = item.slice(0, i);
    // Optional third field: the admin's CPR, so that the admin's document reads are registered in MinLog
    // under a person the citizen can see (MinLog2 names users by CPR or authorisation id).
    let passwordHash = item.slice(i + 1);
    let cpr: string | undefined;
    const last = passwordHash.lastIndexOf(':');
    if (last > 0) {
      cpr = passwordHash.slice(last + 1);
      passwordHash = passwordHash.slice(0, last);
      if (!/^\d{10}$/.test(cpr)) throw new AdminUsersError(`XDS_ADMIN_USERS: the CPR of user "${name}" must be 10 digits`);
    }
    if (!USER_NAME.test(name)) throw new AdminUsersError(`XDS_ADMIN_USERS: user name "${name}" may only use letters, digits and . _ @ -`);
    try {
      parsePasswordHash(passwordHash);
    } catch (e) {
      const why = e instanceof PasswordHashError ? e.message : String(e);
      throw new AdminUsersError(`XDS_ADMIN_USERS: the hash of user "${name}" is not valid (${why}); plain passwords are not accepted`);
    }
    if (users.some((u) => u.name === name)) throw new AdminUsersError(`XDS_ADMIN_USERS: user "${name}" is listed twice`);
    users.push(cpr ? { name, passwordHash, cpr } : { name, passwordHash });
  }
  return users;
}
