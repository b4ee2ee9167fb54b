/**
 * Patient identity (issue #2): what the composition root needs.
 *
 *   const identity = new PatientIdentityService({ patients, autoAcceptAssigningAuthorities, clock });
 *   const mllp = await startIdentityFeedListener({ host, port: config.mllpPort, identity,
 *                                                affinityDomainAuthorities: config.affinityDomainAuthorities, logger });
 *   app.use('/api/patients', createPatientAdminRouter({ identity, auth, logger }));
 *   ... on shutdown: await mllp.close();
 */
import { createIdentityFeed, type IdentityFeedOptions } from './identity-feed.js';
import { startMllpServer, type MllpLogger, type MllpServer } from './mllp-server.js';

export { createPatientAdminRouter, type PatientAdminRouterOptions } from './admin-routes.js';
export { createIdentityFeed, ITI8_SOURCE, type FeedOutcome, type IdentityFeed, type IdentityFeedOptions } from './identity-feed.js';
export { startMllpServer, type MllpFrameInfo, type MllpLogger, type MllpMessageHandler, type MllpServer, type MllpServerOptions } from './mllp-server.js';
export { InvalidPatientIdError, PatientIdentityService, type Clock, type PatientIdentityServiceOptions } from './patient-identity.js';

export interface IdentityFeedListenerOptions {
  host: string;
  /** 0 = ephemeral (tests). Callers skip this when the configured port is -1 (feed disabled). */
  port: number;
  identity: IdentityFeedOptions['identity'];
  affinityDomainAuthorities?: string[];
  application?: IdentityFeedOptions['application'];
  logger?: MllpLogger;
  maxFrameBytes?: number;
  clock?: IdentityFeedOptions['clock'];
}

/** The ITI-8 Patient Identity Feed listener: MLLP server + ADT handling, ready to take messages. */
export async function startIdentityFeedListener(options: IdentityFeedListenerOptions): Promise<MllpServer> {
  const feed = createIdentityFeed({
    identity: options.identity,
    affinityDomainAuthorities: options.affinityDomainAuthorities,
    application: options.application,
    logger: options.logger,
    clock: options.clock,
  });
  return startMllpServer({
    host: options.host,
    port: options.port,
    onMessage: feed.handleFrame,
    maxFrameBytes: options.maxFrameBytes,
    logger: options.logger,
  });
}
