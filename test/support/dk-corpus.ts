/**
 * Where the tests find the public Danish NSP material (../shared/dk: samples whose licences do not allow
 * copying them into this repository, so they are read at test time): XDS_DK_CORPUS_DIR, else the dk/
 * folder next to $XDS_CONFORMANCE_DIR, else ../shared/dk beside the project. A test that needs a file
 * that is not there skips and says so (skipWithoutCorpusFile).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function dkCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDS_DK_CORPUS_DIR) return path.resolve(env.XDS_DK_CORPUS_DIR);
  if (env.XDS_CONFORMANCE_DIR) return path.resolve(env.XDS_CONFORMANCE_DIR, '..', 'dk');
  return path.resolve(PROJECT_ROOT, '..', 'shared', 'dk');
}

/** Whether `file` exists; when it does not, prints a loud line naming what is skipped. */
export function haveCorpusFile(file: string, what: string): boolean {
  if (existsSync(file)) return true;
  console.warn(`*** SKIPPING ${what}: ${file} not found (set XDS_DK_CORPUS_DIR to the dk/ corpus) ***`);
  return false;
}
