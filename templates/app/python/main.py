"""{{ name }}: a small service that keeps the twelve-factor contract.

Replace the example routes (app/web.py) and the demo job with your own; keep the contract:
  - every setting comes from the environment, read once in load_config();
  - the web process binds 0.0.0.0:$PORT;
  - {{ health_path }} answers while the process runs, {{ ready_path }} only while the backing services answer;
  - one JSON line on stdout per request and per lifecycle event;
  - on SIGTERM: stop accepting, finish in-flight work, exit 0.

Run a role with `python -m app.main <role>`: web (default: Gunicorn serves app.web:application
with app/gunicorn_conf.py), worker, scheduler,{% if postgres %} migrate, migrate-down,{% endif %} healthcheck.
Every process type runs from the same code and the same image.
Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
"""

import json
import logging
import os
import signal
import sys
import threading
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
{%- if postgres or redis %}
from urllib.parse import SplitResult, urlsplit
{%- endif %}

SERVICE = "{{ name }}"
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
# How long a stopping process waits for in-flight work; below `docker stop`'s 10 s.
SHUTDOWN_GRACE_SECONDS = 8


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Config:
    app_env: str
    log_level: str
    port: int
    schedule_interval_s: int
{%- if postgres or redis %}
    job_claim_idle_ms: int
{%- endif %}
{%- if postgres %}
    database_url: SplitResult
{%- endif %}
{%- if redis %}
    redis_url: SplitResult
{%- endif %}


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

    def whole(name, default, low, high):
        raw = read(name) or str(default)
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            raise ConfigError(f'{name} must be a whole number from {low} to {high}, not "{raw}"')
        return int(raw)
{%- if postgres or redis %}

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
{%- endif %}

    log_level = read("LOG_LEVEL") or "info"
    if log_level not in LOG_LEVELS:
        raise ConfigError(f'LOG_LEVEL must be one of {", ".join(LOG_LEVELS)}, not "{log_level}"')
    return Config(
        app_env=read("APP_ENV") or "development",
        log_level=log_level,
        port=whole("PORT", {{ port }}, 1, 65535),
        schedule_interval_s=whole("SCHEDULE_INTERVAL", 60, 1, 86400),
{%- if postgres or redis %}
        job_claim_idle_ms=whole("JOB_CLAIM_IDLE_MS", 30000, 1000, 3600000),
{%- endif %}
{%- if postgres %}
        database_url=url("DATABASE_URL", required("DATABASE_URL", "the PostgreSQL database"), ("postgres", "postgresql")),
{%- endif %}
{%- if redis %}
        redis_url=url("REDIS_URL", required("REDIS_URL", "the Redis instance"), ("redis", "rediss")),
{%- endif %}
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, service, msg and the record's `fields`.

    Gunicorn's access log arrives as a record whose args are the request's atoms; it becomes a
    "request" line with method, path, status and duration_ms, like every stack's request log.
    """

    LEVELS = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warn"}

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": self.LEVELS.get(record.levelno, "error"),
            "service": SERVICE,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            line.update(msg="request", method=atoms.get("m"), path=atoms.get("U"), status=int(atoms.get("s") or 0),
                        duration_ms=round(int(atoms.get("D") or 0) / 1000))
        else:
            line["msg"] = record.getMessage()
            if record.name != SERVICE:
                line["logger"] = record.name
            line.update(getattr(record, "fields", {}))
            if record.exc_info:
                line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def setup_logging(level="info"):
    """Routes every logger (ours, Alembic's, the drivers') to JSON lines on stdout."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in (SERVICE, "alembic"):
        logging.getLogger(name).setLevel(LOG_LEVELS[level])
    return Logger()


class Logger:
    """log("info", "msg", key=value): one JSON line through the logging module."""

    def __init__(self):
        self.logger = logging.getLogger(SERVICE)

    def __call__(self, level, msg, **fields):
        self.logger.log(LOG_LEVELS[level], msg, extra={"fields": fields})


def on_stop(log, stop):
    """Calls `stop` once on SIGTERM or SIGINT; exits 1 if the process has not ended in time."""
    stopping = threading.Event()

    def handler(signum, frame):
        if stopping.is_set():
            return
        stopping.set()
        log("info", "stopping", signal=signal.Signals(signum).name)
        timer = threading.Timer(SHUTDOWN_GRACE_SECONDS, lambda: (log("error", "in-flight work did not finish in time"), os._exit(1)))
        timer.daemon = True
        timer.start()
        stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stopping


def web(config, log):
    """Hands the process to Gunicorn (exec: same pid, so SIGTERM reaches Gunicorn itself)."""
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", "python:app.gunicorn_conf", "app.web:application"]
    sys.stdout.flush()
    os.execv(sys.executable, gunicorn)
{%- if postgres or redis %}


def worker(config, log):
    """Takes jobs one at a time until SIGTERM (see app/jobs.py)."""
    from app import jobs

    queue = jobs.open_queue(config, log)
    current = {}

    def stop():
        # A job still running shortly before the grace period ends is put back for another worker.
        timer = threading.Timer(SHUTDOWN_GRACE_SECONDS - 1.5, lambda: current.get("abort", threading.Event()).set())
        timer.daemon = True
        timer.start()

    stopping = on_stop(log, stop)
    log("info", "started", role="worker", env=config.app_env)
    while not stopping.is_set():
        try:
            job = queue.take()
        except Exception as e:  # noqa: BLE001 - a lost connection: log, wait, try again
            log("warn", "cannot take a job", error=str(e))
            stopping.wait(1)
            continue
        if job is None:
            continue
        current["abort"] = threading.Event()
        jobs.run(queue, job, current["abort"], config, log)
    queue.close()
    log("info", "stopped", role="worker")
{%- endif %}


def scheduler(config, log):
    """Enqueues one {"kind": "scheduled"} job per SCHEDULE_INTERVAL, through the code POST /jobs uses."""
{%- if postgres or redis %}
    from app import jobs

    queue = jobs.open_queue(config, log)
{%- endif %}
    stopping = on_stop(log, lambda: None)
    log("info", "started", role="scheduler", env=config.app_env, every_s=config.schedule_interval_s)
    while not stopping.wait(config.schedule_interval_s):
{%- if postgres or redis %}
        try:
            job_id = queue.enqueue("scheduled", {})
            log("info", "job enqueued", job_id=job_id, kind="scheduled")
        except Exception as e:  # noqa: BLE001 - the next period tries again
            log("error", "cannot enqueue the scheduled job", error=str(e))
    queue.close()
{%- else %}
        log("warn", "no queue: choose PostgreSQL or Redis")
{%- endif %}
    log("info", "stopped", role="scheduler")
{%- if postgres %}


def migrate(config, log, direction):
    """The release step (`migrate`) and its undo (`migrate-down`: the newest migration only).

    Alembic records the applied revision in its table alembic_version, so `migrate` again
    applies nothing. Migrations live in app/migrations/versions/.
    """
    from app import schema

    try:
        done = schema.upgrade(config) if direction == "up" else schema.downgrade(config)
    except Exception as e:  # noqa: BLE001 - any failure fails the release, with the reason
        from app.jobs import reason

        log("error", f"migrate {direction} failed", reason=reason(e), error=str(e))
        sys.exit(1)
    if done:
        log("info", "migrations applied" if direction == "up" else "migration rolled back", revisions=done)
    else:
        log("info", "nothing to apply: every migration is applied" if direction == "up" else "nothing to roll back: no migration is applied")
{%- endif %}


def healthcheck(config, log):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{config.port}{{ health_path }}", timeout=2) as res:
            sys.exit(0 if res.status == 200 else 1)
    except OSError:
        sys.exit(1)


ROLES = {
    "web": web,
{%- if postgres or redis %}
    "worker": worker,
{%- endif %}
    "scheduler": scheduler,
{%- if postgres %}
    "migrate": lambda config, log: migrate(config, log, "up"),
    "migrate-down": lambda config, log: migrate(config, log, "down"),
{%- endif %}
    "healthcheck": healthcheck,
}


def main(argv):
    role = argv[0] if argv else "web"
    if role not in ROLES:
        setup_logging()("error", "unknown role", role=role, roles=list(ROLES))
        sys.exit(2)
    try:
        config = load_config()
    except ConfigError as e:
        setup_logging()("error", "configuration error", role=role, error=str(e))
        sys.exit(1)
    ROLES[role](config, setup_logging(config.log_level))


if __name__ == "__main__":
    main(sys.argv[1:])
