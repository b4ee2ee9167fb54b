/**
 * A fresh hub for a replay: the composition root (src/app.ts) started on a temporary data directory with
 * ephemeral ports, torn down (and its directory deleted) afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig, type HubConfig } from '../../../src/config/config.js';
import { createSchemaSet } from '../../../src/xml/schemas.js';
import type { HubEndpoints } from './transactions.js';

export interface RunningHub { baseUrl: string; httpPort: number; mllpPort: number; stop(): Promise<void> }
type StartHub = (config: HubConfig) => Promise<RunningHub>;

export interface TestHub extends HubEndpoints { stop(): Promise<void> }

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Loads `startHub` from src/app.ts; a clear error while the composition root does not exist yet. */
async function loadStartHub(): Promise<StartHub> {
  // XDS_CONFORMANCE_APP_MODULE: replay against another module exporting startHub (e.g. the dist/ build).
  const other = process.env.XDS_CONFORMANCE_APP_MODULE;
  if (other) {
    const mod = (await import(path.isAbsolute(other) ? pathToFileURL(other).href : other)) as { startHub?: StartHub };
    if (typeof mod.startHub !== 'function') throw new Error(`${other} exports no startHub(config)`);
    return mod.startHub;
  }
  const file = path.join(ROOT, 'src', 'app.ts');
  if (!fs.existsSync(file)) throw new Error(`src/app.ts does not exist yet (no composition root to start)`);
  const mod = (await import(pathToFileURL(path.join(ROOT, 'src', 'app.js')).href)) as { startHub?: StartHub };
  if (typeof mod.startHub !== 'function') throw new Error('src/app.ts exports no startHub(config)');
  return mod.startHub;
}

export async function startTestHub(): Promise<TestHub> {
  const startHub = await loadStartHub();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-conformance-'));
  const schemas = createSchemaSet(path.join(ROOT, 'schemas'));
  let hub: RunningHub;
  try {
    const config = loadConfig({}, { httpPort: 0, httpHost: '127.0.0.1', mllpPort: 0, dataDir, insecureDevelopment: true, profile: 'xds-generic' });
    hub = await startHub(config);
  } catch (e) {
    schemas.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    registryUrl: `${hub.baseUrl}/xds/registry`,
    repositoryUrl: `${hub.baseUrl}/xds/repository`,
    mllpHost: '127.0.0.1',
    mllpPort: hub.mllpPort,
    validate: (xml: string) => schemas.validateAny(xml),
    async stop() {
      try {
        await hub.stop();
      } finally {
        schemas.dispose();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
