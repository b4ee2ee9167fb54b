/**
 * Admin passwords are never stored in plain text: configuration holds an scrypt hash (RFC 7914, the
 * memory-hard KDF Node ships) in a self-describing string `scrypt$N$r$p$<salt b64>$<key b64>`, so the cost
 * parameters can be raised later without breaking existing hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const DEFAULT_COST = { N: 16384, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export class PasswordHashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordHashError';
  }
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

/** Parses and sanity-checks a stored hash; throws PasswordHashError naming what is wrong. */
export function parsePasswordHash(hash: string): ParsedHash {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new PasswordHashError('a password hash must look like scrypt$N$r$p$salt$key');
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || (N & (N - 1)) !== 0 || N < 1024 || N > 2 ** 20 || r > 32 || p > 16) {
    throw new PasswordHashError('scrypt parameters must be N a power of two in [1024, 2^20], r <= 32, p <= 16');
  }
  const salt = Buffer.from(parts[4], 'base64');
  const key = Buffer.from(parts[5], 'base64');
  if (salt.length < 16 || key.length < 16) throw new PasswordHashError('the salt and the key must be at least 16 bytes');
  return { N, r, p, salt, key };
}

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  if (password.length < 8) throw new PasswordHashError('an admin password must have at least 8 characters');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r });
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time comparison of the derived key (no early exit that would leak how much matched). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const h = parsePasswordHash(hash);
  const key = await scrypt(password, h.salt, h.key.length, { N: h.N, r: h.r, p: h.p, maxmem: 256 * h.N * h.r });
  return timingSafeEqual(key, h.key);
}
