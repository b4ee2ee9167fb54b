/**
 * A composition root for the DROS transactions until src/app.ts (the lead's) wires them: the hub of
 * src/app.ts, with the registry and repository endpoints rebuilt in front of it so that they also serve
 * ITI-57, ITI-61, ITI-62 (registry) and ITI-86 (repository), and the NSP paths /dros/iti57 and
 * /ddsregistry/metadataupdate. It exports `startHub(config)` so the conformance runner can use it:
 *   XDS_CONFORMANCE_APP_MODULE=$PWD/test/integration/dros-hub.ts npm run conformance -- 15800
 * The wiring is what src/app.ts needs (see the report of issue #6); once src/app.ts serves these actions
 * itself, this module adds nothing and serves the hub of src/app.ts unchanged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { createHub, PROJECT_ROOT, type Hub, type RunningHub } from '../../src/app.js';
import type { HubConfig } from '../../src/config/config.js';
import { createSoapEndpoint } from '../../src/http/soap-endpoint.js';
import { startIdentityFeedListener, type MllpServer } from '../../src/patients/index.js';
import { anonymousContext } from '../../src/security/context.js';
import { RemoveDocumentsService } from '../../src/xds/removal/remove-documents-service.js';
import { RemoveMetadataService } from '../../src/xds/removal/remove-metadata-service.js';
import { RegistryService } from '../../src/xds/registry/register-service.js';
import type { TransactionDescriptor } from '../../src/xds/transactions/descriptor.js';
import { createIti57Descriptor } from '../../src/xds/transactions/iti57-update-document-set.js';
import { createIti61Descriptor } from '../../src/xds/transactions/iti61-register-on-demand.js';
import { createIti62Descriptor } from '../../src/xds/transactions/iti62-delete-document-set.js';
import { createIti86Descriptor } from '../../src/xds/transactions/iti86-remove-documents.js';
import { MetadataUpdateService } from '../../src/xds/update/update-service.js';
import { loadProfile } from '../../src/xds/validate/profile.js';

/** The DROS descriptors for one hub (what src/app.ts adds to its registry / repository lists). */
export function droDescriptors(hub: Hub): { registry: TransactionDescriptor[]; repository: TransactionDescriptor[] } {
  const { config, backends, identity } = hub;
  const profile = loadProfile(path.join(PROJECT_ROOT, 'ihe-profiles'), config.profile);
  const update = new MetadataUpdateService({ store: backends.metadata, patients: identity, profile, codeValidation: config.codeValidation });
  // ITI-61 goes through a RegistryService of its own here; src/app.ts passes its one RegistryService.
  const registry = new RegistryService({ store: backends.metadata, patients: identity, profile, codeValidation: config.codeValidation });
  return {
    registry: [
      createIti57Descriptor({ update }),
      createIti61Descriptor({ registry }),
      createIti62Descriptor({ removal: new RemoveMetadataService({ store: backends.metadata }) }),
    ],
    repository: [createIti86Descriptor({ removal: new RemoveDocumentsService({ documents: backends.documents, repositoryUniqueId: config.repositoryUniqueId }) })],
  };
}

export async function createDrosHub(config: HubConfig): Promise<{ hub: Hub; app: express.Express }> {
  const hub = await createHub(config);
  // Once src/app.ts serves a DROS action itself, its descriptor is used and not added twice.
  const served = new Set(hub.descriptors.map((d) => d.action));
  const all = droDescriptors(hub);
  const extra = { registry: all.registry.filter((d) => !served.has(d.action)), repository: all.repository.filter((d) => !served.has(d.action)) };
  if (extra.registry.length === 0 && extra.repository.length === 0) return { hub, app: hub.app };
  const app = express();
  const limits = {
    maxRequestBytes: config.maxRequestBytes,
    maxXmlBytes: config.maxXmlBytes,
    spoolThresholdBytes: config.spoolThresholdBytes,
    spoolDir: path.join(config.dataDir, 'spool'),
  };
  const authenticate = async () => {
    if (!config.insecureDevelopment) throw new Error('no security stack configured');
    return anonymousContext();
  };
  const of = (name: 'registry' | 'repository') => hub.descriptors.filter((d) => d.endpoints.includes(name));
  app.use(
    createSoapEndpoint({
      name: 'registry',
      paths: ['/xds/registry', '/ddsregistry', '/dros/iti42', '/dros/iti57', '/ddsregistry/metadataupdate'],
      descriptors: [...of('registry'), ...extra.registry],
      schemas: hub.schemas,
      limits,
      authenticate,
      publicBaseUrl: config.publicBaseUrl,
      log: hub.log,
    }),
  );
  app.use(
    createSoapEndpoint({
      name: 'repository',
      paths: ['/xds/repository', '/ddsrepository', '/dros/iti41'],
      descriptors: [...of('repository'), ...extra.repository],
      schemas: hub.schemas,
      limits,
      authenticate,
      publicBaseUrl: config.publicBaseUrl,
      log: hub.log,
    }),
  );
  app.use(hub.app);
  return { hub, app };
}

export async function startHub(config: HubConfig): Promise<RunningHub> {
  const { hub, app } = await createDrosHub(config);
  const server = http.createServer(app);
  let mllp: MllpServer | undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpPort, config.httpHost, () => resolve());
  });
  if (config.mllpPort >= 0) {
    mllp = await startIdentityFeedListener({ host: config.httpHost, port: config.mllpPort, identity: hub.identity, affinityDomainAuthorities: config.affinityDomainAuthorities, logger: hub.log });
  }
  const httpPort = (server.address() as AddressInfo).port;
  return {
    hub,
    baseUrl: `http://${config.httpHost}:${httpPort}`,
    httpPort,
    mllpPort: mllp?.port ?? -1,
    async stop() {
      await mllp?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await hub.close();
    },
  };
}
