/**
 * The in-memory admin stores (one hub process) against the contracts of their ports.
 */
import { createMemoryActivityStore } from '../../src/admin/activity-log.js';
import { createMemoryLoginFailureStore } from '../../src/admin/auth/login-guard.js';
import { createSessionStore } from '../../src/admin/auth/sessions.js';
import { describeActivityStoreContract } from './activity-store.contract.js';
import { describeLoginFailureStoreContract } from './admin-login-guard-store.contract.js';
import { describeSessionStoreContract } from './admin-session-store.contract.js';

const nothing = () => {};
describeSessionStoreContract('memory', (options) => ({ store: createSessionStore(options), cleanup: nothing }));
describeLoginFailureStoreContract('memory', (options) => ({ store: createMemoryLoginFailureStore(options), cleanup: nothing }));
describeActivityStoreContract('memory', (options) => ({ store: createMemoryActivityStore(options.capacity), cleanup: nothing }));
