"""{{ name }}: the backing services: readiness probes and the job queue.
Serves factors IV (backing services), VI (stateless processes) and VIII (concurrency).

{%- if postgres %}
Jobs live in PostgreSQL (table jobs, created by migration 0001). A take commits state
'running' and attempts + 1 at once, so a worker killed mid-job still counts; the row's
updated_at is its lease, renewed while the job runs, and a running job whose lease is older
than JOB_CLAIM_IDLE_MS is taken again. FOR UPDATE SKIP LOCKED lets workers take different jobs
without waiting on each other. Finishing or putting back applies only while this worker's take
is the latest (same attempts), so a job is never done twice.
{%- else %}
Jobs live in Redis Streams: each job is an entry of the stream "jobs" read by the consumer group
"workers", its state in the hash job:<id>. A worker acknowledges an entry only once the job is
done; an entry a dead worker left pending is claimed by another with XAUTOCLAIM once it has been
idle JOB_CLAIM_IDLE_MS (a running job renews it with XCLAIM, so it is never idle that long).
{%- endif %}
"""

import json
{%- if redis and not postgres %}
import os
import socket
from datetime import datetime, timezone
{%- endif %}
import threading
from concurrent.futures import ThreadPoolExecutor
{%- if postgres %}

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool
{%- endif %}
{%- if redis %}
{%- if not postgres %}

{%- endif %}
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
{%- endif %}

# How long each readiness probe may take (libpq's connect_timeout counts whole seconds, at least 2).
PROBE_TIMEOUT_SECONDS = 2
# How long an idle worker waits for a job.
POLL_SECONDS = 0.5


class Pending(Exception):
    """The database answers, but the newest migration is not applied."""


def reason(error):
    """The reason {{ ready_path }} gives for a failed probe: one of a few words an operator can act on."""
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
{%- if postgres %}


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
{%- endif %}
{%- if redis %}


def redis_client(config, **options):
    """A client for the URL: AUTH with its credentials; rediss:// is TLS verified against the
    system CAs (OpenSSL's default paths, so SSL_CERT_FILE names another bundle)."""
    settings = {"socket_connect_timeout": PROBE_TIMEOUT_SECONDS, "socket_timeout": PROBE_TIMEOUT_SECONDS, **options}
    return redis.Redis.from_url(config.redis_url.geturl(), decode_responses=True, **settings)


def probe_redis(config):
    """Connects with the URL's credentials (AUTH) and sends PING, without retrying."""
    client = redis_client(config, retry=Retry(NoBackoff(), 0), single_connection_client=True)
    try:
        client.ping()
    finally:
        client.close()
{%- if not postgres %}


STREAM = "jobs"
GROUP = "workers"


def now():
    return datetime.now(timezone.utc).isoformat()


class RedisQueue:
    def __init__(self, config, log):
        self.claim_idle_ms = config.job_claim_idle_ms
        # Reads block for up to POLL_SECONDS, so the socket timeout must be longer.
        self.client = redis_client(config, socket_timeout=POLL_SECONDS + 5)
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self.group_ready = False

    def _ensure_group(self):
        if self.group_ready:
            return
        try:
            self.client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise
        self.group_ready = True

    def enqueue(self, kind, payload):
        job_id = str(self.client.incr("jobs:next-id"))
        fields = {"kind": kind, "payload": json.dumps(payload), "state": "queued", "attempts": 0, "created_at": now(), "updated_at": now()}
        self.client.pipeline().hset(f"job:{job_id}", mapping=fields).xadd(STREAM, {"id": job_id}).execute()
        return job_id

    def get(self, job_id):
        h = self.client.hgetall(f"job:{job_id}")
        return h and {"id": job_id, "kind": h["kind"], "state": h["state"], "attempts": int(h["attempts"])}

    def take(self):
        self._ensure_group()
        try:
            _, claimed, *_ = self.client.xautoclaim(STREAM, GROUP, self.consumer, self.claim_idle_ms, "0-0", count=1)
            entries = [e for e in claimed if e and e[1]]
            if not entries:
                read = self.client.xreadgroup(GROUP, self.consumer, {STREAM: ">"}, count=1, block=int(POLL_SECONDS * 1000))
                entries = read[0][1] if read else []
        except redis.ResponseError as e:
            # Redis restarted without its data (no persistence): the group is gone with the
            # stream; the next take creates it again.
            if str(e).startswith("NOGROUP"):
                self.group_ready = False
            raise
        if not entries:
            return None
        entry_id, message = entries[0]
        key = f"job:{message['id']}"
        if self.client.hget(key, "state") in (None, "done", "failed"):
            # Done (or gone) already: a worker died between marking it done and acknowledging it.
            self.client.xack(STREAM, GROUP, entry_id)
            return None
        attempts, _ = self.client.pipeline().hincrby(key, "attempts", 1).hset(key, mapping={"state": "running", "updated_at": now()}).execute()
        h = self.client.hgetall(key)
        return {"id": message["id"], "kind": h["kind"], "payload": json.loads(h["payload"]), "attempts": attempts, "entry": entry_id}

    def heartbeat(self, job):
        self.client.xclaim(STREAM, GROUP, self.consumer, 0, [job["entry"]], justid=True)

    def finish(self, job, state):
        self.client.pipeline().hset(f"job:{job['id']}", mapping={"state": state, "updated_at": now()}).xack(STREAM, GROUP, job["entry"]).execute()
        return True

    def put_back(self, job):
        (self.client.pipeline().hset(f"job:{job['id']}", mapping={"state": "queued", "updated_at": now()})
         .xadd(STREAM, {"id": job["id"]}).xack(STREAM, GROUP, job["entry"]).execute())

    def close(self):
        self.client.close()
{%- endif %}
{%- endif %}


def open_queue(config, log):
    """The queue jobs go through: PostgreSQL when chosen, else Redis."""
{%- if postgres %}
    return PostgresQueue(config, log)
{%- else %}
    return RedisQueue(config, log)
{%- endif %}


_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="probe")


def readiness(config):
    """Runs every probe at once; returns (all ok, {service: "ok" or the reason})."""
    checks = {
{%- if postgres %}
        "postgres": probe_postgres,
{%- endif %}
{%- if redis %}
        "redis": probe_redis,
{%- endif %}
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
