#!/usr/bin/env bash
# Starts or stops a private redis-server for tests and benchmarks (BullMQ JobQueue, issue #7).
# Usage: scripts/services/redis.sh start|stop|status
#   XDS_REDIS_PORT (default 6390)   port bound on 127.0.0.1
#   XDS_REDIS_DIR  (default ${TMPDIR:-/tmp}/xds-hub-redis-$PORT)  pidfile, log; no persistence
# Installs Debian's redis-server when the binary is missing (apt-get update only if the install needs it).
set -euo pipefail

PORT="${XDS_REDIS_PORT:-6390}"
DIR="${XDS_REDIS_DIR:-${TMPDIR:-/tmp}/xds-hub-redis-$PORT}"
PIDFILE="$DIR/redis.pid"

ensure_installed() {
  if command -v redis-server >/dev/null 2>&1; then return 0; fi
  echo "redis-server not found: installing Debian package redis-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends redis-server >/dev/null 2>&1; then
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends redis-server >/dev/null
  fi
}

is_running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

case "${1:-}" in
  start)
    ensure_installed
    mkdir -p "$DIR"
    if is_running; then echo "redis already running on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"; exit 0; fi
    redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --pidfile "$PIDFILE" \
      --dir "$DIR" --save '' --appendonly no --logfile "$DIR/redis.log"
    for _ in $(seq 1 200); do
      if redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; then
        echo "redis started on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"; exit 0
      fi
      sleep 0.05
    done
    echo "redis did not answer PING on port $PORT within 10 s; see $DIR/redis.log" >&2
    exit 1
    ;;
  stop)
    if is_running; then
      pid="$(cat "$PIDFILE")"
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      rm -f "$PIDFILE"
      echo "redis on port $PORT stopped"
    else
      echo "redis on port $PORT is not running"
    fi
    ;;
  status)
    if is_running; then echo "running (pid $(cat "$PIDFILE"), port $PORT)"; else echo "stopped"; exit 1; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
