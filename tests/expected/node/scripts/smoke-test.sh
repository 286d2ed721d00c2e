#!/usr/bin/env bash
# billing-api: a behaviour check CI runs on every push: start the app with the given command,
# wait for /health to answer 200, then send SIGTERM and expect a clean exit.
#
#   PORT=8080 scripts/smoke-test.sh node src/server.js
#
# Uses only bash (its /dev/tcp), so it runs in slim images without curl.
# Serves factors VII (port binding: the app binds $PORT by itself) and IX (disposability:
# fast start, graceful shutdown).
set -euo pipefail

[ "$#" -gt 0 ] || { echo "usage: $0 <command to start the app...>" >&2; exit 2; }
port="${PORT:-8080}"

probe() {
  local status
  exec 3<>"/dev/tcp/127.0.0.1/${port}" || return 1
  printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  IFS= read -r status <&3 || true
  exec 3>&-
  case "$status" in
    *" 200"*) return 0 ;;
    *) return 1 ;;
  esac
}

"$@" &
pid=$!

healthy=0
for _ in $(seq 1 60); do
  if probe 2>/dev/null; then
    healthy=1
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke test: the app exited before answering /health" >&2
    exit 1
  fi
  sleep 1
done
if [ "$healthy" -ne 1 ]; then
  echo "smoke test: /health did not answer 200 on port ${port} within 60 s" >&2
  kill -KILL "$pid" 2>/dev/null || true
  exit 1
fi
echo "smoke test: /health answered 200 on port ${port}"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
# 0 is a clean exit; 143 (128 + SIGTERM) is what a runtime reports when it exits on the signal.
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
  echo "smoke test: the app exited with status ${status} after SIGTERM" >&2
  exit 1
fi
echo "smoke test: the app shut down cleanly on SIGTERM"
