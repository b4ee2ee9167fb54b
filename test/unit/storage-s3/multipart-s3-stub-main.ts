/**
 * Runs the multipart S3 stub in its own process (started by startMultipartS3StubProcess), so memory
 * measured in the test process belongs to the adapter and the client only, as with a real S3 server.
 * Prints `PORT <n>` when listening; exits when stdin closes or on SIGTERM.
 */
import { startMultipartS3Stub } from './multipart-s3-stub.js';

const stub = await startMultipartS3Stub();
process.stdout.write(`PORT ${stub.port}\n`);
const stop = () => {
  void stub.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
