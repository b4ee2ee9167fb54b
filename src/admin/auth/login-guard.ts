/**
 * Brute-force protection for the admin login (OWASP Authentication Cheat Sheet, "Account lockout"):
 * failed attempts are counted per user name; after `maxFailures` within `windowMs` the name is locked for
 * `lockMs`, and every failure costs a small delay. Bounded: at most `maxTracked` names are remembered.
 */
export interface LoginGuardOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  /** delay added to each failed attempt (ms); default 300. */
  failureDelayMs?: number;
  maxTracked?: number;
  now?: () => number;
}

export interface LoginGuard {
  /** ms until the name may try again (0 = it may). */
  lockedFor(user: string): number;
  /** records a failure and waits the failure delay. */
  failed(user: string): Promise<void>;
  succeeded(user: string): void;
}

interface Counter {
  failures: number;
  firstAt: number;
  lockedUntil: number;
}

export function createLoginGuard(options: LoginGuardOptions = {}): LoginGuard {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const lockMs = options.lockMs ?? 15 * 60_000;
  const delay = options.failureDelayMs ?? 300;
  const maxTracked = options.maxTracked ?? 10_000;
  const now = options.now ?? Date.now;
  const counters = new Map<string, Counter>();
  return {
    lockedFor(user) {
      const c = counters.get(user);
      return c ? Math.max(0, c.lockedUntil - now()) : 0;
    },
    async failed(user) {
      const t = now();
      let c = counters.get(user);
      if (!c || t - c.firstAt > windowMs) {
        if (!c && counters.size >= maxTracked) counters.delete(counters.keys().next().value as string);
        c = { failures: 0, firstAt: t, lockedUntil: 0 };
        counters.set(user, c);
      }
      c.failures++;
      if (c.failures >= maxFailures) c.lockedUntil = t + lockMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    },
    succeeded(user) {
      counters.delete(user);
    },
  };
}
