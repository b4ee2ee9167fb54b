#!/usr/bin/env bash
# The whole test suite: type check, unit + contract + integration + browser tests, then the NIST
# conformance replay (when XDS_CONFORMANCE_DIR is set; otherwise it says loudly that it skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"
npx tsc -p tsconfig.json --noEmit
echo "== vitest"
npx vitest run
echo "== conformance"
if [ -n "${XDS_CONFORMANCE_DIR:-}" ] && [ -d "${XDS_CONFORMANCE_DIR}" ]; then
  node --import tsx test/conformance/run.ts
else
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!! CONFORMANCE SKIPPED: XDS_CONFORMANCE_DIR is not set or not a directory !!"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
fi
