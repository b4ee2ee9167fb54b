/**
 * Runs s3rver (an S3 emulator, for tests and local trials only: no multipart, see dependencies.md §6) in
 * the foreground until SIGTERM / SIGINT. Started in the background by s3-test-server.sh.
 *   XDS_S3RVER_PORT (default 4569), XDS_S3RVER_DIR (default a new temp directory, removed on exit)
 * Prints the XDS_DOCUMENT_STORE URL to use (credentials S3RVER / S3RVER).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

type S3rverConstructor = new (options: { address: string; port: number; silent: boolean; directory: string }) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
const port = Number(process.env.XDS_S3RVER_PORT ?? 4569);
const ownDir = !process.env.XDS_S3RVER_DIR;
const directory = process.env.XDS_S3RVER_DIR ?? (await mkdtemp(path.join(tmpdir(), 'xds-s3rver-')));
const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory });
const address = await server.run();
console.log(`s3rver on 127.0.0.1:${address.port}, data in ${directory}`);
console.log(`XDS_DOCUMENT_STORE=s3://S3RVER:S3RVER@127.0.0.1:${address.port}/xds-documents?tls=false`);

const stop = async () => {
  await server.close();
  if (ownDir) await rm(directory, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
