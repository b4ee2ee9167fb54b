/**
 * CLI: prints the scrypt hash of a password for XDS_ADMIN_USERS (`user:hash,...`).
 *   npx tsx src/admin/auth/hash-password.ts '<password>'
 * The password may also come on stdin (keeps it out of the shell history): `... hash-password.ts -`.
 */
import { hashPassword } from './password.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === undefined) {
    process.stderr.write('usage: tsx src/admin/auth/hash-password.ts <password> | -   (then XDS_ADMIN_USERS=user:<hash>)\n');
    process.exitCode = 2;
    return;
  }
  const password = arg === '-' ? await readStdin() : arg;
  process.stdout.write(`${await hashPassword(password)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
