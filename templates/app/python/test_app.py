"""{{ name }}: the service's own tests, run by `python -m unittest discover -s tests` locally and in
CI. They call the WSGI application directly, with the backing services on a port where nothing
listens (unless DATABASE_URL / REDIS_URL are set, as in CI).
Serves factor V (build, release, run: CI builds a release only from code that passes) and checks
III (config) and IV (backing services).
"""

import io
import json
import os
import socket
import unittest

from app.main import ConfigError, load_config


def closed_port():
    """A port nothing listens on: bind one, note it, close it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DOWN = closed_port()
SERVICES = {
{%- if postgres %}
    "DATABASE_URL": f"postgres://app:secret@127.0.0.1:{DOWN}/app",
{%- endif %}
{%- if redis %}
    "REDIS_URL": f"redis://127.0.0.1:{DOWN}/0",
{%- endif %}
}
# app.web reads its configuration when imported: point it at the closed port.
os.environ.update(SERVICES)
from app import web  # noqa: E402 - after the environment above


def call(method, path, body=b""):
    """One request through the WSGI application; returns (status, JSON body, headers)."""
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body)}
    data = b"".join(web.application(environ, start_response))
    return seen["status"], json.loads(data), seen["headers"]


class ConfigTest(unittest.TestCase):
    def test_safe_defaults_for_everything_but_backing_services(self):
        config = load_config(dict(SERVICES))
        self.assertEqual(config.port, {{ port }})
        self.assertEqual(config.log_level, "info")
        self.assertEqual(config.schedule_interval_s, 60)

    def test_a_port_that_is_not_a_port_is_named(self):
        with self.assertRaisesRegex(ConfigError, "PORT"):
            load_config({**SERVICES, "PORT": "eighty"})
{%- if postgres %}

    def test_missing_database_url_is_named(self):
        env = {k: v for k, v in SERVICES.items() if k != "DATABASE_URL"}
        with self.assertRaisesRegex(ConfigError, "DATABASE_URL is required"):
            load_config(env)
{%- endif %}
{%- if redis %}

    def test_missing_redis_url_is_named(self):
        env = {k: v for k, v in SERVICES.items() if k != "REDIS_URL"}
        with self.assertRaisesRegex(ConfigError, "REDIS_URL is required"):
            load_config(env)
{%- endif %}


class HttpTest(unittest.TestCase):
    def test_health_answers_200(self):
        self.assertEqual(call("GET", "{{ health_path }}")[:2], (200, {"status": "ok"}))

    def test_ready_reports_each_backing_service(self):
        status, body, _ = call("GET", "{{ ready_path }}")
{%- if postgres or redis %}
        # Nothing listens on the configured port, so the service is not ready and says why.
        self.assertEqual(status, 503)
{%- if postgres %}
        self.assertEqual(body["checks"]["postgres"], "refused")
{%- endif %}
{%- if redis %}
        self.assertEqual(body["checks"]["redis"], "refused")
{%- endif %}
{%- else %}
        # No backing services are configured, so the service is ready as soon as it serves.
        self.assertEqual((status, body["status"]), (200, "ready"))
{%- endif %}

    def test_a_job_that_is_not_json_is_refused_with_the_reason(self):
        status, body, _ = call("POST", "/jobs", b"{not json")
{%- if postgres or redis %}
        self.assertEqual(status, 400)
        self.assertIn("not JSON", body["error"])
{%- else %}
        # No PostgreSQL or Redis was chosen, so there is no queue to put a job in.
        self.assertEqual((status, body), (503, {"error": "no queue: choose PostgreSQL or Redis"}))
{%- endif %}

    def test_unknown_paths_get_a_json_404(self):
        self.assertEqual(call("GET", "/no-such-page")[:2], (404, {"error": "not found"}))
{%- if postgres or redis %}


class JobTest(unittest.TestCase):
    def test_a_job_is_a_kind_and_a_payload(self):
        from app.jobs import parse_job

        self.assertEqual(parse_job(b'{"kind": "email", "payload": {"to": "a"}}'), (None, {"kind": "email", "payload": {"to": "a"}}))
        self.assertIn("JSON object", parse_job(b"[]")[0])
        self.assertIn('"kind"', parse_job(b'{"kind": ""}')[0])
        self.assertIn("1 to 64", parse_job(json.dumps({"kind": "k" * 65}).encode())[0])
        self.assertIn("sleep_ms", parse_job(b'{"kind": "k", "payload": {"sleep_ms": 10001}}')[0])
{%- endif %}


if __name__ == "__main__":
    unittest.main()
