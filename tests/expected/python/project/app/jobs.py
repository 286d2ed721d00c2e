"""billing-api: the backing services: readiness probes and the job queue.
Serves factors IV (backing services), VI (stateless processes) and VIII (concurrency).
Jobs live in PostgreSQL (table jobs, created by migration 0001). A take commits state
'running' and attempts + 1 at once, so a worker killed mid-job still counts; the row's
updated_at is its lease, renewed while the job runs, and a running job whose lease is older
than JOB_CLAIM_IDLE_MS is taken again. FOR UPDATE SKIP LOCKED lets workers take different jobs
without waiting on each other. Finishing or putting back applies only while this worker's take
is the latest (same attempts), so a job is never done twice.
"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

# How long each readiness probe may take (libpq's connect_timeout counts whole seconds, at least 2).
PROBE_TIMEOUT_SECONDS = 2
# How long an idle worker waits for a job.
POLL_SECONDS = 0.5


class Pending(Exception):
    """The database answers, but the newest migration is not applied."""


def reason(error):
    """The reason /ready gives for a failed probe: one of a few words an operator can act on."""
    text = str(error)
    if isinstance(error, Pending):
        return "migrations pending"
    if isinstance(error, TimeoutError) or "timeout expired" in text or "Timeout" in type(error).__name__:
        return "timed out"
    if "Connection refused" in text or isinstance(error, ConnectionRefusedError):
        return "refused"
    # libpq's message for PostgreSQL; redis-py raises AuthenticationError for WRONGPASS / NOAUTH.
    if "password authentication failed" in text or "Authentication" in type(error).__name__:
        return "authentication failed"
    if "does not exist" in text and "database" in text:
        return "database missing"
    return f"error: {text.strip()}"


def dsn(config):
    """The URL for libpq (psycopg): postgres:// and postgresql:// both work, sslmode included."""
    return config.database_url.geturl()


def probe_postgres(config):
    """Logs in with the URL's credentials, runs SELECT 1, and checks the newest migration is applied."""
    from app import schema

    with psycopg.connect(dsn(config), connect_timeout=PROBE_TIMEOUT_SECONDS, autocommit=True) as conn:
        conn.execute("SET statement_timeout = 2000")
        conn.execute("SELECT 1")
        applied = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()[0]
        current = applied and conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if (current[0] if current else None) != schema.head():
            raise Pending()


class PostgresQueue:
    def __init__(self, config, log):
        self.lease_ms = config.job_claim_idle_ms
        # Opened at the first query, so importing the app never connects.
        self.pool = ConnectionPool(dsn(config), min_size=1, max_size=4, open=False, timeout=5, kwargs={"autocommit": True})

    def _one(self, sql, params):
        self.pool.open()
        with self.pool.connection() as conn:
            return conn.execute(sql, params).fetchone()

    def enqueue(self, kind, payload):
        return str(self._one("INSERT INTO jobs (kind, payload) VALUES (%s, %s) RETURNING id", (kind, Jsonb(payload)))[0])

    def get(self, job_id):
        row = self._one("SELECT id, kind, state, attempts FROM jobs WHERE id = %s", (int(job_id),))
        return row and {"id": str(row[0]), "kind": row[1], "state": row[2], "attempts": row[3]}

    def take(self):
        row = self._one(
            """UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
                WHERE id = (SELECT id FROM jobs
                             WHERE state = 'queued'
                                OR (state = 'running' AND updated_at < now() - %s * interval '1 millisecond')
                             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, payload, attempts""",
            (self.lease_ms,),
        )
        if row is None:
            threading.Event().wait(POLL_SECONDS)
            return None
        return {"id": str(row[0]), "kind": row[1], "payload": row[2], "attempts": row[3]}

    def heartbeat(self, job):
        self._one("UPDATE jobs SET updated_at = now() WHERE id = %s AND attempts = %s RETURNING id", (int(job["id"]), job["attempts"]))

    def finish(self, job, state):
        row = self._one(
            "UPDATE jobs SET state = %s, updated_at = now() WHERE id = %s AND attempts = %s AND state = 'running' RETURNING id",
            (state, int(job["id"]), job["attempts"]),
        )
        return row is not None

    def put_back(self, job):
        self._one("UPDATE jobs SET state = 'queued', updated_at = now() WHERE id = %s AND attempts = %s RETURNING id",
                  (int(job["id"]), job["attempts"]))

    def close(self):
        self.pool.close()


def open_queue(config, log):
    """The queue jobs go through: PostgreSQL when chosen, else Redis."""
    return PostgresQueue(config, log)


_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="probe")


def readiness(config):
    """Runs every probe at once; returns (all ok, {service: "ok" or the reason})."""
    checks = {
        "postgres": probe_postgres,
    }
    futures = {name: _probes.submit(probe, config) for name, probe in checks.items()}
    results = {}
    for name, future in futures.items():
        try:
            future.result(timeout=PROBE_TIMEOUT_SECONDS + 1)
            results[name] = "ok"
        except Exception as e:  # noqa: BLE001 - every failure becomes a reason
            results[name] = reason(e)
    return all(r == "ok" for r in results.values()), results


def parse_job(body):
    """A POST /jobs body checked against the contract: {kind, payload}; returns (error, job)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        return f"the body is not JSON: {e}", None
    if not isinstance(data, dict):
        return "the body must be a JSON object", None
    kind, payload = data.get("kind"), data.get("payload", {})
    if not isinstance(kind, str) or not 1 <= len(kind) <= 64:
        return '"kind" must be a string of 1 to 64 characters', None
    if not isinstance(payload, dict):
        return '"payload" must be a JSON object', None
    ms = payload.get("sleep_ms")
    if ms is not None and not (type(ms) is int and 0 <= ms <= 10000):
        return '"payload.sleep_ms" must be a whole number from 0 to 10000', None
    return None, {"kind": kind, "payload": payload}


def work(job, abort):
    """The demo work: payload {"sleep_ms": N} takes N ms. Replace it with your jobs' work.
    Returns False when `abort` was set first (the worker is stopping)."""
    return not abort.wait(job["payload"].get("sleep_ms", 0) / 1000)


def run(queue, job, abort, config, log):
    """Runs one job, renewing its take meanwhile; puts it back if the worker stops first."""
    fields = {"job_id": job["id"], "kind": job["kind"], "attempts": job["attempts"]}
    log("info", "job started", **fields)
    done = threading.Event()

    def renew():
        while not done.wait(config.job_claim_idle_ms / 3000):
            try:
                queue.heartbeat(job)
            except Exception:  # noqa: BLE001, S110 - the next renewal tries again
                pass

    threading.Thread(target=renew, daemon=True).start()
    try:
        if not work(job, abort):
            queue.put_back(job)
            log("info", "job put back", **fields)
        elif queue.finish(job, "done"):
            log("info", "job done", **fields)
        else:
            log("warn", "job was taken again before it finished", **fields)
    except Exception as e:  # noqa: BLE001 - the job failed; record it and go on
        queue.finish(job, "failed")
        log("error", "job failed", error=str(e), **fields)
    finally:
        done.set()
