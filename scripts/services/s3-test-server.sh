#!/usr/bin/env bash
# Starts or stops s3rver (S3 emulator from the npm devDependencies) in the background, for local trials
# of XDS_DOCUMENT_STORE=s3://… and for `npm run bench`. Tests do not need it: they start their own.
# Usage: scripts/services/s3-test-server.sh start|stop|status
#   XDS_S3RVER_PORT (default 4569); state (pidfile, log) in ${TMPDIR:-/tmp}/xds-hub-s3rver-$PORT
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${XDS_S3RVER_PORT:-4569}"
STATE="${TMPDIR:-/tmp}/xds-hub-s3rver-$PORT"
PIDFILE="$STATE/s3rver.pid"

is_running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

case "${1:-}" in
  start)
    mkdir -p "$STATE"
    if is_running; then echo "s3rver already running on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"; exit 0; fi
    XDS_S3RVER_PORT="$PORT" nohup node --import tsx scripts/services/s3-test-server.ts >"$STATE/s3rver.log" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 100); do
      if grep -q '^XDS_DOCUMENT_STORE=' "$STATE/s3rver.log" 2>/dev/null; then cat "$STATE/s3rver.log"; exit 0; fi
      if ! is_running; then echo "s3rver failed to start; see $STATE/s3rver.log" >&2; cat "$STATE/s3rver.log" >&2; exit 1; fi
      sleep 0.1
    done
    echo "s3rver did not start within 10 s; see $STATE/s3rver.log" >&2
    exit 1
    ;;
  stop)
    if is_running; then
      pid="$(cat "$PIDFILE")"
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      rm -f "$PIDFILE"
      echo "s3rver on port $PORT stopped"
    else
      echo "s3rver on port $PORT is not running"
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
