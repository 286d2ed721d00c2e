"""billing-api: the service's own tests, run by `python -m unittest discover -s tests` locally and in
CI (standard library only). They start the server on a free port and talk HTTP to it.
Serves factor V (build, release, run: CI builds a release only from code that passes) and checks
III (config) and IV (backing services).
"""

import io
import json
import socket
import threading
import unittest
import urllib.error
import urllib.request

from app.main import App, ConfigError, Logger, Server, load_config


def closed_port():
    """A port nothing listens on: bind one, note it, close it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

SERVICES = {
    "DATABASE_URL": "postgres://app:secret@localhost:5432/app",
}


class ConfigTest(unittest.TestCase):
    def test_safe_defaults_for_everything_but_backing_services(self):
        config = load_config(dict(SERVICES))
        self.assertEqual(config.port, 8080)
        self.assertEqual(config.log_level, "info")

    def test_a_port_that_is_not_a_port_is_named(self):
        with self.assertRaisesRegex(ConfigError, "PORT"):
            load_config({**SERVICES, "PORT": "eighty"})

    def test_missing_database_url_is_named(self):
        env = {k: v for k, v in SERVICES.items() if k != "DATABASE_URL"}
        with self.assertRaisesRegex(ConfigError, "DATABASE_URL is required"):
            load_config(env)


class HttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = {"PORT": "1"}
        env["DATABASE_URL"] = f"postgres://app:secret@127.0.0.1:{closed_port()}/app"
        cls.logs = io.StringIO()
        cls.server = Server(("127.0.0.1", 0), App(load_config(env), Logger("info", cls.logs)))
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def get(self, path):
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(self.base + path, timeout=5) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def test_health_answers_200(self):
        self.assertEqual(self.get("/health"), (200, {"status": "ok"}))

    def test_ready_reports_each_backing_service(self):
        status, body = self.get("/ready")
        # Nothing listens on the configured port, so the service is not ready and says why.
        self.assertEqual(status, 503)
        self.assertEqual(body["status"], "not ready")
        self.assertIn("unreachable", body["checks"]["postgres"])

    def test_unknown_paths_get_a_json_404(self):
        self.assertEqual(self.get("/no-such-page"), (404, {"error": "not found"}))

    def test_each_request_is_one_json_log_line(self):
        self.get("/")
        lines = [json.loads(line) for line in self.logs.getvalue().splitlines()]
        self.assertTrue(any(line["msg"] == "request" and line["path"] == "/" for line in lines))


if __name__ == "__main__":
    unittest.main()
