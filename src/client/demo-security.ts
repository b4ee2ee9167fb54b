/**
 * Security header blocks for the demo client (issue #4): asks the hub's development STS
 * (`XDS_DEV_STS=1`) for a DGWS user ID card at level 4 and sends it with a fresh medcom:Header on every
 * call. A hub without the development STS must be in the explicit insecure mode for the demo to run.
 */
import { dgwsHeaderBlocks, requestIdCard } from '../services/sts/sts-client.js';

export async function demoSecurityHeaders(baseUrl: string, log: (line: string) => void = console.log): Promise<() => Promise<string[]>> {
  const probe = await fetch(`${baseUrl.replace(/\/$/, '')}/sts/certificate`).catch(() => undefined);
  if (!probe || probe.status === 404) {
    log('   (no development STS on this hub: sending without a security token; the hub must run with XDS_INSECURE_DEV=1)');
    return async () => [];
  }
  const card = await requestIdCard(baseUrl, {
    type: 'user',
    level: 4,
    cpr: '0101801234',
    givenName: 'Demo',
    surName: 'Doctor',
    role: 'Læge',
    authorizationCode: 'ABC12',
    systemName: 'xds-hub demo',
    careProvider: { type: 'cvrnumber', id: '20921897', name: 'Demo Hospital' },
  });
  log('   got a DGWS user ID card (level 4) from the development STS');
  return async () => dgwsHeaderBlocks(card, { securityLevel: 4 });
}
