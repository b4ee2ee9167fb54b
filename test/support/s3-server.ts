/**
 * Starts a private s3rver (an S3 API emulator, test use only) on an ephemeral port with a temporary
 * directory, for the S3 DocumentStore contract tests; stop() closes it and removes the directory.
 * s3rver lacks multipart uploads (dependencies.md §6): the multipart path is tested against
 * test/unit/storage-s3/multipart-s3-stub.ts instead.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets?: { name: string }[];
}) => S3rverInstance;

export interface RunningS3Server {
  /** `s3://S3RVER:S3RVER@127.0.0.1:<port>/<bucket>?tls=false` for openS3DocumentStore. */
  url(bucket: string): string;
  endPoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

export async function startS3Server(): Promise<RunningS3Server> {
  // s3rver ships CommonJS without type declarations; load it through require with a narrow type.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(path.join(tmpdir(), 'xds-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const address = await server.run();
  return {
    endPoint: '127.0.0.1',
    port: address.port,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    url: (bucket) => `s3://S3RVER:S3RVER@127.0.0.1:${address.port}/${bucket}?tls=false`,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
