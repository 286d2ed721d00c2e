"""{{ name }}: the HTTP routes, a plain WSGI application that Gunicorn serves (app/gunicorn_conf.py).

Replace the example routes with your own. Gunicorn writes one JSON access-log line per request.
Serves factors VII (port binding, through Gunicorn), IX (disposability) and XI (logs).
"""

import json
import re
import time
from http import HTTPStatus
from urllib.parse import parse_qs

from app.main import SERVICE, load_config, setup_logging
{%- if postgres or redis %}
from app import jobs
{%- endif %}

# The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
SLOW_MAX_MS = 5000
# The largest POST /jobs body accepted.
BODY_LIMIT = 64 * 1024
JOB_PATH = re.compile(r"^/jobs/([0-9]{1,18})$")

CONFIG = load_config()
log = setup_logging(CONFIG.log_level)
{%- if postgres or redis %}
QUEUE = jobs.open_queue(CONFIG, log)
{%- endif %}
# Gunicorn's worker, set by gunicorn_conf.post_worker_init: once it is told to stop, `alive` is
# False and {{ ready_path }} answers 503 while in-flight requests finish.
STATE = {"worker": None}


def stopping():
    worker = STATE["worker"]
    return worker is not None and not worker.alive


def ready(environ):
    if stopping():
        return 503, {"status": "stopping"}
{%- if postgres or redis %}
    ok, checks = jobs.readiness(CONFIG)
{%- else %}
    ok, checks = True, {}
{%- endif %}
    return (200 if ok else 503), {"status": "ready" if ok else "not ready", "checks": checks}


def slow(environ):
    """An example of a request that takes a while, to watch graceful shutdown at work."""
    raw = parse_qs(environ.get("QUERY_STRING", "")).get("ms", [""])[0]
    ms = min(int(raw) if raw.isascii() and raw.isdigit() else 0, SLOW_MAX_MS)
    time.sleep(ms / 1000)
    return 200, {"slept_ms": ms}


def post_job(environ):
{%- if postgres or redis %}
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > BODY_LIMIT:
        return 413, {"error": f"the body is larger than {BODY_LIMIT // 1024} KiB"}
    error, job = jobs.parse_job(environ["wsgi.input"].read(length))
    if error:
        return 400, {"error": error}
    job_id = QUEUE.enqueue(job["kind"], job["payload"])
    log("info", "job enqueued", job_id=job_id, kind=job["kind"])
    return 202, {"id": job_id, "state": "queued"}, [("Location", f"/jobs/{job_id}")]
{%- else %}
    return 503, {"error": "no queue: choose PostgreSQL or Redis"}
{%- endif %}


def get_job(job_id):
{%- if postgres or redis %}
    job = QUEUE.get(job_id)
    return (200, job) if job else (404, {"error": "no such job"})
{%- else %}
    return 404, {"error": "no such job"}
{%- endif %}


ROUTES = {
    ("GET", "{{ health_path }}"): lambda environ: (200, {"status": "ok"}),
    ("GET", "{{ ready_path }}"): ready,
    ("GET", "/"): lambda environ: (200, {"service": SERVICE, "env": CONFIG.app_env}),
    ("GET", "/demo/slow"): slow,
    ("POST", "/jobs"): post_job,
}


def route(environ):
    method = "GET" if environ["REQUEST_METHOD"] == "HEAD" else environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "")
    match = JOB_PATH.match(path)
    if match and method == "GET":
        return get_job(match.group(1))
    handler = ROUTES.get((method, path))
    if handler:
        return handler(environ)
    if any(p == path for _, p in ROUTES) or path.startswith("/jobs/"):
        return 405, {"error": "method not allowed"}
    return 404, {"error": "not found"}


def application(environ, start_response):
    """The WSGI entry point."""
    try:
        status, body, *headers = route(environ)
    except Exception as e:  # noqa: BLE001 - a backing service failed mid-request
        log("error", "request failed", path=environ.get("PATH_INFO"), error=str(e))
        status, body, headers = 503, {"error": f"a backing service failed: {e}"}, []
    data = json.dumps(body).encode()
    extra = headers[0] if headers else []
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *extra])
    return [data]

