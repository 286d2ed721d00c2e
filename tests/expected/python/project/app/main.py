"""billing-api: a minimal service that keeps the twelve-factor contract.

Replace the example routes with your own; keep the contract:
  - every setting comes from the environment, read once in load_config();
  - the web process binds 0.0.0.0:$PORT;
  - /health answers while the process runs, /ready only while the backing services answer;
  - one JSON line on stdout per request and per lifecycle event;
  - on SIGTERM: stop accepting, finish in-flight requests, exit 0.

Run a role with `python -m app.main <role>`: web (default), worker, scheduler, migrate,
healthcheck. Every process type runs from the same code and the same image.
Only the standard library is used, so there is nothing to install for the example itself.
Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
"""

import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

SERVICE = "billing-api"
LOG_LEVELS = ("debug", "info", "warn", "error")
# How long a stopping process waits for in-flight work; below `docker stop`'s 10 s.
SHUTDOWN_GRACE_SECONDS = 8
# How long each readiness probe of a backing service may take.
PROBE_TIMEOUT_SECONDS = 1
# The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
SLOW_MAX_MS = 5000


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Config:
    app_env: str
    log_level: str
    port: int
    database_url: SplitResult


def load_config(env=None):
    """Reads and checks every setting. NAME_FILE (a Docker secret) wins over NAME."""
    env = os.environ if env is None else env

    def read(name):
        path = env.get(name + "_FILE")
        if path:
            try:
                with open(path, encoding="utf-8") as f:
                    return f.read().strip() or None
            except OSError as e:
                raise ConfigError(f"{name}_FILE names {path}, which cannot be read: {e.strerror}") from e
        return env.get(name) or None

    def required(name, why):
        value = read(name)
        if value is None:
            raise ConfigError(f"{name} is required ({why}); set {name} or {name}_FILE")
        return value

    def url(name, value, schemes):
        shape = f"{name} must look like {schemes[0]}://host:port/..."
        try:
            parsed = urlsplit(value)
            parsed.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError as e:
            raise ConfigError(shape) from e
        if parsed.scheme not in schemes or not parsed.hostname:
            raise ConfigError(shape)
        return parsed

    raw_port = read("PORT") or "8080"
    if not (raw_port.isascii() and raw_port.isdigit()) or not 1 <= int(raw_port) <= 65535:
        raise ConfigError(f'PORT must be a whole number from 1 to 65535, not "{raw_port}"')
    log_level = read("LOG_LEVEL") or "info"
    if log_level not in LOG_LEVELS:
        raise ConfigError(f'LOG_LEVEL must be one of {", ".join(LOG_LEVELS)}, not "{log_level}"')
    return Config(
        app_env=read("APP_ENV") or "development",
        log_level=log_level,
        port=int(raw_port),
        database_url=url("DATABASE_URL", required("DATABASE_URL", "the PostgreSQL database"), ("postgres", "postgresql")),
    )


class Logger:
    """Writes one JSON object per line to stdout; levels below `min_level` are dropped."""

    def __init__(self, min_level="info", out=None):
        self.min = LOG_LEVELS.index(min_level)
        self.out = out or sys.stdout
        # Reentrant: a signal handler on the main thread may log while the main thread logs.
        self.lock = threading.RLock()

    def __call__(self, level, msg, **fields):
        if LOG_LEVELS.index(level) < self.min:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        record = {"time": now, "level": level, "service": SERVICE, "msg": msg, **fields}
        line = json.dumps(record) + "\n"
        with self.lock:
            self.out.write(line)
            self.out.flush()


def exchange(host, port, hello, complete=lambda reply: len(reply) > 0, secure=False):
    """Connects (over TLS when `secure`), sends `hello` and reads until `complete(reply)` or the
    server closes."""
    deadline = time.monotonic() + PROBE_TIMEOUT_SECONDS
    conn = socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS)
    with conn:
        conn.sendall(hello)
        reply = b""
        while not complete(reply):
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
            chunk = conn.recv(256)
            if not chunk:
                break
            reply += chunk
        return reply


def probes(config):
    """The backing services /ready checks: each raises when its service does not answer."""
    checks = {}

    def postgres():
        # PostgreSQL answers an SSLRequest with one byte, "S" or "N", before any login.
        reply = exchange(config.database_url.hostname, config.database_url.port or 5432, bytes([0, 0, 0, 8, 4, 210, 22, 47]))
        if reply[:1] not in (b"S", b"N"):
            raise OSError("the server did not answer as PostgreSQL")

    checks["postgres"] = postgres
    return checks


def describe(error, check):
    if isinstance(error, UnicodeError):
        return "unreachable: the host name is not valid"
    if isinstance(error, socket.gaierror):
        return f"unreachable: cannot resolve the host ({error.strerror})"
    if isinstance(error, TimeoutError):
        return f"no answer within {PROBE_TIMEOUT_SECONDS} s"
    if isinstance(error, ConnectionError):
        return f"unreachable: {error.strerror or error}"
    return str(error) or check


def readiness(checks):
    """Runs every probe at once, each on its own thread, and waits at most PROBE_TIMEOUT_SECONDS
    in all (a thread also bounds a slow DNS lookup, which no socket timeout covers).
    Returns (all passed, {name: "ok" or the reason})."""
    results = {}

    def run(name, probe):
        try:
            probe()
            results[name] = "ok"
        except Exception as e:  # noqa: BLE001 - any failure means "not ready", with its reason
            results[name] = describe(e, name)

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in checks.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + PROBE_TIMEOUT_SECONDS
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    report = {name: results.get(name, f"no answer within {PROBE_TIMEOUT_SECONDS} s") for name in checks}
    return all(v == "ok" for v in report.values()), report


class Handler(BaseHTTPRequestHandler):
    """The example routes. `server.app` holds the config, logger, probes and stopping flag."""

    server_version = SERVICE
    # A client gets 5 s to send its request, so a silent connection cannot hold a stop for long.
    timeout = 5

    def do_GET(self):
        self.started = time.monotonic()
        app = self.server.app
        parts = urlsplit(self.path)
        if parts.path == "/health":
            self.reply(200, {"status": "ok"})
        elif parts.path == "/ready":
            if app.stopping.is_set():
                self.reply(503, {"status": "stopping"})
            else:
                ok, checks = readiness(app.checks)
                self.reply(200 if ok else 503, {"status": "ready" if ok else "not ready", "checks": checks})
        elif parts.path == "/":
            self.reply(200, {"service": SERVICE, "env": app.config.app_env})
        elif parts.path == "/demo/slow":
            # An example of a request that takes a while, to watch graceful shutdown at work.
            try:
                ms = int(parse_qs(parts.query).get("ms", ["0"])[0])
            except ValueError:
                ms = 0
            ms = min(max(ms, 0), SLOW_MAX_MS)
            time.sleep(ms / 1000)
            self.reply(200, {"slept_ms": ms})
        else:
            self.reply(404, {"error": "not found"})

    do_HEAD = do_GET

    def refuse(self):
        self.started = time.monotonic()
        self.reply(405, {"error": "method not allowed"})

    def __getattr__(self, name):
        # Every other method (POST, OPTIONS, anything unknown) gets the same JSON 405.
        if name.startswith("do_"):
            return self.refuse
        raise AttributeError(name)

    def reply(self, status, data):
        body = json.dumps(data).encode()
        duration_ms = round((time.monotonic() - self.started) * 1000)
        path = urlsplit(self.path).path
        self.server.app.log("info", "request", method=self.command, path=path, status=status, duration_ms=duration_ms)
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        """Requests are logged as JSON by reply(); silence the default access line."""

    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        self.server.app.log("warn", "http error", client=self.client_address[0], detail=format % args)


class App:
    """What the request handlers share."""

    def __init__(self, config, log):
        self.config = config
        self.log = log
        self.checks = probes(config)
        self.stopping = threading.Event()


class Server(ThreadingHTTPServer):
    # Keep request threads non-daemon and join them on close, so in-flight requests finish.
    daemon_threads = False
    block_on_close = True

    def __init__(self, address, app):
        self.app = app
        super().__init__(address, Handler)


def on_stop(log, stop):
    """Calls `stop` once on SIGTERM or SIGINT, and exits 1 if the process has not ended in time."""
    fired = threading.Event()

    def give_up():
        log("error", "in-flight work did not finish in time", grace_ms=SHUTDOWN_GRACE_SECONDS * 1000)
        os._exit(1)

    def handler(signum, frame):
        if fired.is_set():
            return
        fired.set()
        log("info", "stopping", signal=signal.Signals(signum).name)
        timer = threading.Timer(SHUTDOWN_GRACE_SECONDS, give_up)
        timer.daemon = True
        timer.start()
        stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def web(config, log):
    app = App(config, log)
    try:
        server = Server(("0.0.0.0", config.port), app)
    except OSError as e:
        log("error", "cannot listen", port=config.port, error=e.strerror or str(e))
        return 1

    def stop():
        app.stopping.set()
        # shutdown() waits for serve_forever() to return, so it cannot run on this (main) thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    on_stop(log, stop)
    log("info", "listening", port=config.port, env=config.app_env)
    server.serve_forever()
    # Closes the listening socket (no new connections), then joins the request threads.
    server.server_close()
    log("info", "stopped")
    return 0


def loop(role, every_s, config, log):
    """A process that does one unit of work per tick and finishes the current one on SIGTERM."""
    stopping = threading.Event()
    on_stop(log, stopping.set)
    log("info", "started", role=role, env=config.app_env, every_ms=every_s * 1000)
    while not stopping.wait(every_s):
        log("debug", "tick", role=role)
    log("info", "stopped", role=role)
    return 0


def migrate(config, log):
    """The release step, run once per deploy before the new web processes start.

    It must be safe to run again: it checks that the backing services answer, then applies
    pending migrations. Wire your migration tool in here (for example Alembic or yoyo); it must
    skip migrations that have already run, so a repeated release is harmless.
    """
    ok, checks = readiness(probes(config))
    if not ok:
        log("error", "migrate: a backing service is not ready", checks=checks)
        return 1
    log("info", "migrate: nothing to apply", checks=checks)
    return 0


def healthcheck(config):
    # No proxy: the probe is for this container's own port, whatever HTTP_PROXY says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://127.0.0.1:{config.port}/health", timeout=2) as r:
            return 0 if r.status == 200 else 1
    except OSError:
        return 1


ROLES = ("web", "worker", "scheduler", "migrate", "healthcheck")


def main(argv):
    role = argv[1] if len(argv) > 1 else "web"
    if role not in ROLES:
        Logger()("error", "unknown role", role=role, roles=list(ROLES))
        return 2
    try:
        config = load_config()
    except ConfigError as e:
        Logger()("error", "configuration error", role=role, error=str(e))
        return 1
    log = Logger(config.log_level)
    roles = {
        "web": lambda: web(config, log),
        "worker": lambda: loop("worker", 5, config, log),
        "scheduler": lambda: loop("scheduler", 60, config, log),
        "migrate": lambda: migrate(config, log),
        "healthcheck": lambda: healthcheck(config),
    }
    return roles[role]()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
