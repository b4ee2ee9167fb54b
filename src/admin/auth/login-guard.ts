/**
 * Brute-force protection for the admin login (OWASP Authentication Cheat Sheet, "Account lockout"):
 * failed attempts are counted per user name; after `maxFailures` within `windowMs` the name is locked for
 * `lockMs`, and every failure costs a small delay. Bounded: at most `maxTracked` names are remembered.
 *
 * The policy and the delay live in `createLoginGuard`; the counters sit behind the `LoginFailureStore` port,
 * in process memory by default. Several hub processes behind one port must share one store
 * (`createSqliteLoginFailureStore`, src/storage/sqlite/admin-login-guard-store.ts): with a counter per
 * process an attacker whose connections are spread round-robin over N workers would get N × maxFailures tries.
 */
export interface LoginGuardOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  /** delay added to each failed attempt (ms); default 300. */
  failureDelayMs?: number;
  /** names remembered by the in-memory store; a store passed to createLoginGuard has its own bound. */
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

/** The failure counter of one user name. */
export interface LoginFailureCounter {
  failures: number;
  /** when the current counting window opened (epoch ms). */
  firstAt: number;
  /** locked until then (epoch ms); 0 = not locked. */
  lockedUntil: number;
}

export interface LoginFailurePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** The counters behind the guard; the contract is test/contract/admin-login-guard-store.contract.ts. */
export interface LoginFailureStore {
  /** epoch ms until which the name is locked; 0 when it is not locked or unknown. */
  lockedUntil(user: string): number;
  /**
   * Counts one failure at time `t`, atomically with respect to every other user of the store (see
   * `nextFailureCounter`); when a new name would exceed the store's bound, the name tracked longest is dropped.
   */
  recordFailure(user: string, t: number, policy: LoginFailurePolicy): void;
  /** forgets the name (after a successful login). */
  clear(user: string): void;
}

/**
 * The counter after one more failure at `t`: a new window when there is none or the open one is older than
 * `windowMs`; the lock set when the count reaches `maxFailures`. Every store applies this one rule.
 */
export function nextFailureCounter(c: LoginFailureCounter | undefined, t: number, policy: LoginFailurePolicy): LoginFailureCounter {
  const base = !c || t - c.firstAt > policy.windowMs ? { failures: 0, firstAt: t, lockedUntil: 0 } : c;
  const failures = base.failures + 1;
  return { failures, firstAt: base.firstAt, lockedUntil: failures >= policy.maxFailures ? t + policy.lockMs : base.lockedUntil };
}

export function checkMaxTracked(maxTracked: number): number {
  if (!Number.isSafeInteger(maxTracked) || maxTracked < 1) throw new RangeError(`login guard maxTracked must be a positive integer, got ${String(maxTracked)}`);
  return maxTracked;
}

/** Counters in process memory, at most `maxTracked` names (default 10 000; the oldest tracked name goes first). */
export function createMemoryLoginFailureStore(options: { maxTracked?: number } = {}): LoginFailureStore {
  const maxTracked = checkMaxTracked(options.maxTracked ?? 10_000);
  // Map order is insertion order, and set() on a present key keeps its place: the first key is the name
  // tracked longest.
  const counters = new Map<string, LoginFailureCounter>();
  return {
    lockedUntil: (user) => counters.get(user)?.lockedUntil ?? 0,
    recordFailure(user, t, policy) {
      const c = counters.get(user);
      if (!c && counters.size >= maxTracked) counters.delete(counters.keys().next().value as string);
      counters.set(user, nextFailureCounter(c, t, policy));
    },
    clear(user) {
      counters.delete(user);
    },
  };
}

/**
 * The guard. `store` holds the counters (default: in memory, bounded by `options.maxTracked`); passing both
 * a store and `maxTracked` is refused, as the store was built with its own bound.
 */
export function createLoginGuard(options: LoginGuardOptions = {}, store?: LoginFailureStore): LoginGuard {
  const policy: LoginFailurePolicy = {
    maxFailures: options.maxFailures ?? 5,
    windowMs: options.windowMs ?? 15 * 60_000,
    lockMs: options.lockMs ?? 15 * 60_000,
  };
  const delay = options.failureDelayMs ?? 300;
  const now = options.now ?? Date.now;
  if (store && options.maxTracked !== undefined) throw new TypeError('createLoginGuard: maxTracked applies to the in-memory counters only; give it to the store you pass');
  const counters = store ?? createMemoryLoginFailureStore({ maxTracked: options.maxTracked });
  return {
    lockedFor(user) {
      return Math.max(0, counters.lockedUntil(user) - now());
    },
    async failed(user) {
      counters.recordFailure(user, now(), policy);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    },
    succeeded(user) {
      counters.clear(user);
    },
  };
}
