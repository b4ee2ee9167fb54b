#!/usr/bin/env bash
# Installs the real servers and browser the test suite needs, from Debian's packages:
# redis-server (BullMQ adapter tests) and chromium (admin UI tests in a real headless browser).
# The tests start and stop their own instances on ports of their own.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-test-deps: missing ${need[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "install-test-deps: redis-server $(redis-server --version | awk '{print $3}'), chromium present: $(command -v chromium)"
