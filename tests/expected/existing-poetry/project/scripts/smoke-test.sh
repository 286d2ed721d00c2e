#!/usr/bin/env bash
# billing-api: a behaviour check CI runs on every push: start the app with the given command,
# wait for /healthz to answer 200, wait for /readyz to answer 200 (the backing services
# CI provides are reachable), then send SIGTERM and expect a clean exit (status 0).
#
#   PORT=8080 scripts/smoke-test.sh gunicorn --config gunicorn.conf.py billing.wsgi:app
#
# Uses only bash (its /dev/tcp and read timeouts), no curl and no GNU `timeout`, so it runs in
# slim images and with macOS's bash 3.2.
# Serves factors IV (backing services: attached by URL), VII (port binding: the app binds $PORT
# by itself) and IX (disposability: fast start, graceful shutdown).
set -euo pipefail

[ "$#" -gt 0 ] || { echo "usage: $0 <command to start the app...>" >&2; exit 2; }
port="${PORT:-8080}"

# probe PATH: succeeds when PATH answers 200; the whole response is left in $answer. Each read
# waits at most 5 s (bash's own `read -t`), so a server that accepts but never answers cannot
# hang the test.
probe() {
  local line
  answer=""
  exec 3<>"/dev/tcp/127.0.0.1/${port}" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
  while IFS= read -r -t 5 line <&3 || [ -n "$line" ]; do
    answer="${answer}${line}"$'\n'
    line=""
  done
  exec 3>&-
  case "${answer%%$'\r'*}" in
    *" 200"*) return 0 ;;
    *) return 1 ;;
  esac
}

"$@" &
pid=$!

healthy=0
for _ in $(seq 1 60); do
  if probe /healthz 2>/dev/null; then
    healthy=1
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke test: the app exited before answering /healthz" >&2
    exit 1
  fi
  sleep 1
done
if [ "$healthy" -ne 1 ]; then
  echo "smoke test: /healthz did not answer 200 on port ${port} within 60 s" >&2
  kill -KILL "$pid" 2>/dev/null || true
  exit 1
fi
echo "smoke test: /healthz answered 200 on port ${port}"

# Backing services may still be starting: give /readyz up to 30 s.
ready=0
for _ in $(seq 1 30); do
  if probe /readyz 2>/dev/null; then
    ready=1
    break
  fi
  sleep 1
done
if [ "$ready" -ne 1 ]; then
  echo "smoke test: /readyz did not answer 200 within 30 s; its last answer:" >&2
  printf '%s\n' "$answer" >&2
  kill -KILL "$pid" 2>/dev/null || true
  exit 1
fi
echo "smoke test: /readyz answered 200"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
# The app drains in-flight requests and exits 0; 143 (128 + SIGTERM) would mean it died on
# the signal instead.
if [ "$status" -ne 0 ]; then
  echo "smoke test: the app exited with status ${status} after SIGTERM" >&2
  exit 1
fi
echo "smoke test: the app shut down cleanly on SIGTERM"
