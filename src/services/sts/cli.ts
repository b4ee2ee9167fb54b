/**
 * Prints a ready-to-use DGWS header block (wsse:Security with a fresh ID card from the local test STS,
 * medcom:Header, HSUID header) for a given CPR, role and level:
 *
 *   npx tsx src/services/sts/cli.ts --cpr 0101011234 --role Læge --level 4 [--citizen 2512489996]
 *   npx tsx src/services/sts/cli.ts --type system --system "My EPJ" --cvr 12345678
 *   npx tsx src/services/sts/cli.ts --trust        (prints the STS certificate path and PEM)
 *
 * Keys come from <dataDir>/sts (XDS_DATA_DIR, default ./data), generated on first use.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateTestCa, stsCertificatePath } from './test-ca.js';
import { issueIdCard } from './id-card-issuer.js';
import { dgwsHeaderBlocks } from './sts-client.js';

export function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      cpr: { type: 'string' },
      role: { type: 'string' },
      level: { type: 'string' },
      type: { type: 'string' },
      system: { type: 'string', default: 'xds-hub CLI' },
      cvr: { type: 'string', default: '12345678' },
      org: { type: 'string', default: 'xds-hub test organisation' },
      given: { type: 'string' },
      sur: { type: 'string' },
      'auth-code': { type: 'string' },
      citizen: { type: 'string' },
      'org-using-id': { type: 'string' },
      'consent-override': { type: 'boolean', default: false },
      'no-hsuid': { type: 'boolean', default: false },
      hours: { type: 'string', default: '24' },
      sha256: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      trust: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const dir = path.join(path.resolve(values['data-dir'] ?? env.XDS_DATA_DIR ?? './data'), 'sts');
  const ca = loadOrCreateTestCa(dir);
  if (values.trust) return `# XDS_TRUSTED_STS_CERTS=${stsCertificatePath(dir)}\n${ca.sts.certPem}`;
  const type = (values.type ?? (values.cpr ? 'user' : 'system')) as 'user' | 'system';
  if (type !== 'user' && type !== 'system') throw new Error('--type must be user or system');
  if (type === 'user' && !values.cpr) throw new Error('--cpr is required for a user card');
  const level = Number(values.level ?? (type === 'user' ? 4 : 3));
  const now = new Date();
  const card = issueIdCard(ca, {
    type,
    level,
    cpr: values.cpr,
    givenName: values.given,
    surName: values.sur,
    role: values.role,
    authorizationCode: values['auth-code'],
    systemName: values.system!,
    careProvider: { type: 'cvrnumber', id: values.cvr!, name: values.org! },
    now,
    notOnOrAfter: new Date(now.getTime() + Number(values.hours) * 3600_000),
    signatureAlgorithm: values.sha256 ? 'rsa-sha256' : 'rsa-sha1',
  });
  const blocks = dgwsHeaderBlocks(card, {
    securityLevel: level,
    hsuid: values['no-hsuid']
      ? undefined
      : {
          userType: 'nsi:HealthcareProfessional',
          actingUserCpr: type === 'user' ? values.cpr : undefined,
          citizenCpr: values.citizen,
          orgUsingId: values['org-using-id'] ? { id: values['org-using-id'], format: 'nsi:sor' } : undefined,
          consentOverride: values['consent-override'],
          systemName: values.system,
          responsibleUserAuthorizationCode: values['auth-code'],
        },
  });
  return blocks.join('\n');
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === path.resolve(import.meta.dirname ?? '', 'cli');
if (invokedDirectly) {
  try {
    process.stdout.write(`${runCli(process.argv.slice(2))}\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
