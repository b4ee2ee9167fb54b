/**
 * Display names for codes, from the affinity domain's code lists (ihe-profiles/<profile>/codes/*.json,
 * following `extends`), so the admin UI can name a code even when the submitter sent no rim:Name.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CodeNames {
  /** the display name of scheme|code, when a code list knows it. */
  lookup(scheme: string, code: string): string | undefined;
}

export function loadCodeNames(profilesDir: string, profile: string): CodeNames {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  let current: string | undefined = profile;
  const chain: string[] = [];
  while (current && !seen.has(current) && /^[a-z0-9][a-z0-9-]*$/.test(current)) {
    seen.add(current);
    chain.push(current);
    const file = path.join(profilesDir, current, 'profile.json');
    if (!fs.existsSync(file)) break;
    current = (JSON.parse(fs.readFileSync(file, 'utf8')) as { extends?: string }).extends;
  }
  // base profiles first, so an extending profile's names win.
  for (const name of chain.reverse()) {
    const dir = path.join(profilesDir, name, 'codes');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const list = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { codes?: { code: string; scheme: string; display?: string }[] };
      for (const c of list.codes ?? []) if (c.display) names.set(`${c.scheme}|${c.code}`, c.display);
    }
  }
  return { lookup: (scheme, code) => names.get(`${scheme}|${code}`) };
}
