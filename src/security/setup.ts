/**
 * One call for the composition root: reads the security settings from the environment, builds the
 * stack, and the optional development routers (test STS, NTS).
 *
 * Environment:
 * - XDS_TRUSTED_STS_CERTS   comma-separated PEM files (or inline PEM) of trusted STS signing certificates
 * - XDS_TRUSTED_STS_ISSUERS comma-separated saml:Issuer names accepted (empty = any issuer with a trusted key)
 * - XDS_CLOCK_SKEW_SECONDS  accepted clock difference for validity windows (default 300)
 * - XDS_SECURITY_POLICIES   JSON file of policies, merged over the built-in xds-read / xds-write
 * - XDS_IDWS_AUDIENCE       IDWS audience when a policy names none (default https://audience.nspop.dk/dds)
 * - XDS_DEV_STS=1           mount the development STS (/sts/services/...) and trust its certificate
 * - XDS_NTS=1               mount the NTS request checker (/nts/services/NtsService); on with XDS_DEV_STS
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import { createSecurityStack, type SecurityStack } from './security-stack.js';
import type { ReplayStore } from './replay-store.js';
import { DEFAULT_DDS_AUDIENCE, defaultPolicies, parsePolicies, type SecurityPolicies } from './policies.js';
import { loadOrCreateTestCa, type TestCa } from '../services/sts/test-ca.js';
import { createStsRouter } from '../services/sts/sts-router.js';
import { createNtsRouter } from '../services/nts/nts-router.js';

export interface SecuritySetup {
  stack: SecurityStack;
  /** express routers to mount (empty unless XDS_DEV_STS / XDS_NTS). */
  routers: Router[];
  /** start-up warnings the composition root should log. */
  warnings: string[];
  /** the development STS key material when XDS_DEV_STS=1 (the demo issues cards with it). */
  devSts?: TestCa;
  policies: SecurityPolicies;
}

const flag = (v: string | undefined): boolean => v === '1' || v === 'true';
const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function createSecurityFromEnv(
  base: {
    dataDir: string;
    insecureDevelopment: boolean;
    extraPolicies?: SecurityPolicies;
    /** MessageID replay store shared by worker processes (createSqliteReplayStore); default in-process. */
    replay?: ReplayStore;
  },
  env: NodeJS.ProcessEnv = process.env,
): SecuritySetup {
  const warnings: string[] = [];
  const trusted: string[] = [];
  const raw = env.XDS_TRUSTED_STS_CERTS ?? '';
  if (raw.includes('-----BEGIN')) trusted.push(raw);
  else for (const file of list(raw)) trusted.push(fs.readFileSync(path.resolve(file), 'utf8'));

  let devSts: TestCa | undefined;
  if (flag(env.XDS_DEV_STS)) {
    devSts = loadOrCreateTestCa(path.join(base.dataDir, 'sts'));
    trusted.push(devSts.sts.certPem);
    warnings.push(`DEVELOPMENT STS enabled (XDS_DEV_STS): it issues ID cards to anyone and its certificate ${path.join(base.dataDir, 'sts', 'sts-cert.pem')} is trusted. Never enable it in production.`);
  }
  if (trusted.length === 0 && !base.insecureDevelopment) {
    warnings.push('no trusted STS certificate (XDS_TRUSTED_STS_CERTS): every request with a token will be refused with invalid_certificate');
  }
  const skewRaw = env.XDS_CLOCK_SKEW_SECONDS;
  const clockSkewSeconds = skewRaw ? Number(skewRaw) : 300;
  if (!Number.isInteger(clockSkewSeconds) || clockSkewSeconds < 0) throw new Error(`XDS_CLOCK_SKEW_SECONDS must be a non-negative integer, got "${skewRaw}"`);
  const policies: SecurityPolicies = {
    ...defaultPolicies(),
    ...(base.extraPolicies ?? {}),
    ...(env.XDS_SECURITY_POLICIES ? parsePolicies(fs.readFileSync(path.resolve(env.XDS_SECURITY_POLICIES), 'utf8')) : {}),
  };
  const trustedIssuers = list(env.XDS_TRUSTED_STS_ISSUERS);
  const options = {
    trustedCertificatesPem: trusted,
    clockSkewSeconds,
    policies,
    insecureDevelopment: base.insecureDevelopment,
    trustedIssuers,
    defaultAudience: env.XDS_IDWS_AUDIENCE || DEFAULT_DDS_AUDIENCE,
    replay: base.replay,
  };
  const stack = createSecurityStack(options);
  const routers: Router[] = [];
  if (devSts) routers.push(createStsRouter({ ca: devSts }));
  if (devSts || flag(env.XDS_NTS)) routers.push(createNtsRouter({ trustedCertificatesPem: trusted, clockSkewSeconds, policies, trustedIssuers }));
  return { stack, routers, warnings, devSts, policies };
}
