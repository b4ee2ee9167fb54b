/** The security stack's public surface (issue #4); the composition root imports from here. */
export { createSecurityStack, contextFromCard, type SecurityStack, type SecurityStackOptions } from './security-stack.js';
export { defaultPolicies, parsePolicies, enforcePolicy, DEFAULT_DDS_AUDIENCE, type SecurityPolicy, type SecurityPolicies } from './policies.js';
export { dgwsSoapFault, SecurityError, DGWS_FAULT_CODES, type DgwsFaultCode } from './faults.js';
export { buildMedcomReplyHeader, type MedcomReplyInput } from './medcom-header.js';
export { createTrustStore, splitPem, type TrustStore } from './trust-store.js';
export { anonymousContext, type SecurityContext, type TokenType } from './context.js';
export { createSecurityFromEnv, type SecuritySetup } from './setup.js';
export { createMemoryReplayStore, DEFAULT_REPLAY_MAX_ENTRIES, type ReplayStore } from './replay-store.js';
export { withSecurityReplyHeaders } from './reply-headers.js';
