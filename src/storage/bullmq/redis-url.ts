/**
 * Parses the `redis://` / `rediss://` queue URL (XDS_QUEUE) into connection options, so start-up
 * validation (select-backends.ts) rejects a bad URL before anything connects.
 *
 *   redis://[user:password@]host[:port][/db][?prefix=xds]      rediss:// = TLS
 */
import { ConfigError } from '../../config/config.js';

export interface RedisLocation {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** BullMQ key prefix, so several hubs (or tests) can share one Redis. */
  prefix: string;
}

export function parseRedisUrl(url: string): RedisLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`XDS_QUEUE: "${url.replace(/:[^:@/]*@/, ':***@')}" is not a valid URL (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`XDS_QUEUE: expected redis:// or rediss://, got "${parsed.protocol}"`);
  }
  if (!parsed.hostname) throw new ConfigError('XDS_QUEUE: the redis:// URL has no host');
  const port = parsed.port ? Number(parsed.port) : 6379;
  const dbPart = parsed.pathname.replace(/^\//, '');
  const db = dbPart === '' ? 0 : Number(dbPart);
  if (!Number.isInteger(db) || db < 0) throw new ConfigError(`XDS_QUEUE: database "${dbPart}" must be a non-negative integer`);
  for (const name of parsed.searchParams.keys()) {
    if (name !== 'prefix') throw new ConfigError(`XDS_QUEUE: unknown redis:// parameter "${name}" (known: prefix)`);
  }
  const prefix = parsed.searchParams.get('prefix') ?? 'xds';
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) throw new ConfigError(`XDS_QUEUE: prefix "${prefix}" may hold only letters, digits, _ . -`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'rediss:',
    prefix,
  };
}
