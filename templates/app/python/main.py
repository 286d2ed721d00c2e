"""{{ name }}: the placeholder service.

Replace the handlers; keep the contract: bind $PORT, answer {{ health_path }} and {{ ready_path }},
log JSON lines to stdout, read every setting from the environment, exit cleanly on SIGTERM.
Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
binding), IX (disposability), XI (logs as event streams) and XII (admin processes).
"""

import json
import os
import signal
import sys
import threading
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def setting(name, default=""):
    """A setting from the environment, or from the file named by <NAME>_FILE (Docker secrets)."""
    path = os.environ.get(name + "_FILE")
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    return os.environ.get(name, default)


APP_ENV = setting("APP_ENV", "development")
LOG_LEVEL = setting("LOG_LEVEL", "info")
PORT = int(setting("PORT", "{{ port }}"))
{%- if postgres %}
DATABASE_URL = setting("DATABASE_URL")
{%- endif %}
{%- if redis %}
REDIS_URL = setting("REDIS_URL")
{%- endif %}
LEVELS = ["debug", "info", "warn", "error"]


def log(level, msg, **fields):
    if LEVELS.index(level) < LEVELS.index(LOG_LEVEL if LOG_LEVEL in LEVELS else "info"):
        return
    record = {"time": datetime.now(timezone.utc).isoformat(), "level": level, "msg": msg, **fields}
    print(json.dumps(record), flush=True)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "{{ health_path }}":
            self.reply(200, {"status": "ok"})
        elif path == "{{ ready_path }}":
            self.reply(200, {"status": "ready"})
        elif path == "/":
            self.reply(200, {"service": "{{ name }}"})
        else:
            self.reply(404, {"error": "not found"})

    def reply(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        log("debug", "request", line=format % args)


def serve():
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)

    def stop(signum, frame):
        log("info", "SIGTERM received, draining")
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    log("info", "listening", port=PORT, env=APP_ENV)
    server.serve_forever()
    server.server_close()


def loop(role, every):
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    log("info", role + " started", env=APP_ENV)
    while not stopping.wait(every):
        log("debug", role + " tick")
    log("info", role + " stopped")


def healthcheck():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{{ health_path }}", timeout=2) as r:
            return 0 if r.status == 200 else 1
    except OSError:
        return 1


def main(argv):
    role = argv[1] if len(argv) > 1 else "web"
    if role == "web":
        serve()
    elif role == "worker":
        loop("worker", 5)
    elif role == "scheduler":
        loop("scheduler", 60)
    elif role == "migrate":
        log("info", "no migrations yet")
    elif role == "healthcheck":
        return healthcheck()
    else:
        log("error", "unknown role", role=role)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
