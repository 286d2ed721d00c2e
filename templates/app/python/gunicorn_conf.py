"""{{ name }}: Gunicorn's settings for the web process (`python -m app.main` starts Gunicorn with it).

gthread workers: each worker process serves requests on a pool of threads, so a slow request
does not hold up the others. On SIGTERM Gunicorn stops accepting, lets in-flight requests finish
for up to graceful_timeout, and exits 0. Both of its logs are JSON lines on stdout.
Serves factors VII (port binding), VIII (concurrency), IX (disposability) and XI (logs).
"""

import os

from app.main import SHUTDOWN_GRACE_SECONDS, JsonFormatter, load_config

_config = load_config()

bind = f"0.0.0.0:{_config.port}"
worker_class = "gthread"
# Processes per container: scale out with more containers rather than more workers here.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("PYTHON_THREADS", "8"))
graceful_timeout = SHUTDOWN_GRACE_SECONDS
# A request that takes longer than this gets its worker restarted.
timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = "warning" if _config.log_level in ("warn", "error") else "info"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"level": "WARNING", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}


def post_worker_init(worker):
    """Lets {{ ready_path }} see when this worker is told to stop (its `alive` turns False)."""
    from app import web

    web.STATE["worker"] = worker
