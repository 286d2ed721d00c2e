// {{ name }}: a small service that keeps the twelve-factor contract. Replace the example
// routes and the demo job with your own; keep the contract:
//   - every setting comes from the environment, read once in loadConfig();
//   - the web process binds 0.0.0.0:$PORT;
//   - {{ health_path }} answers while the process runs, {{ ready_path }} only while the backing services answer;
//   - one JSON line on stdout per request and per lifecycle event;
//   - on SIGTERM: stop accepting, finish in-flight work, exit 0.
// Run a role with `node src/server.js <role>`: web (default), worker, scheduler,{% if postgres %} migrate,
// migrate-down,{% endif %} healthcheck. Every process type runs from the same code and the same image.
// The HTTP server is Node's own node:http: it is what Node ships, a starter this size needs no
// router, and there is no framework to upgrade.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
"use strict";

const fs = require("node:fs");
const http = require("node:http");
{%- if redis and not postgres %}
const os = require("node:os");
{%- endif %}
{%- if postgres %}
const path = require("node:path");
{%- endif %}
const { setTimeout: sleep } = require("node:timers/promises");
{%- if postgres %}

const pg = require("pg");
{%- elif redis %}

{%- endif %}
{%- if redis %}
const { createClient } = require("@redis/client");
{%- endif %}

const SERVICE = "{{ name }}";
const LOG_LEVELS = ["debug", "info", "warn", "error"];
/** How long a stopping process waits for in-flight work; below `docker stop`'s 10 s. */
const SHUTDOWN_GRACE_MS = 8000;
/** How long each readiness probe of a backing service may take. */
const PROBE_TIMEOUT_MS = 1500;
/** The longest delay /demo/slow accepts, so the example can never outlive a graceful stop. */
const SLOW_MAX_MS = 5000;
/** The largest POST /jobs body accepted. */
const BODY_LIMIT = 64 * 1024;
{%- if postgres or redis %}
/** How often an idle worker looks for a job. */
const POLL_MS = 500;
{%- endif %}
{%- if redis and not postgres %}
/** How long a queue command waits for the Redis connection to come back (restart, failover). */
const REDIS_OFFLINE_WAIT_MS = 3000;
{%- endif %}
{%- if postgres %}
const MIGRATIONS_DIR = path.join(__dirname, "migrations");
/** node-pg-migrate's own table of applied migrations. */
const MIGRATIONS_TABLE = "pgmigrations";
{%- endif %}

class ConfigError extends Error {}
class TimeoutError extends Error {}

/**
 * Reads and checks every setting. `NAME_FILE` (a Docker secret) wins over `NAME`.
 * Throws a ConfigError that names the variable when one is missing or invalid.
 */
function loadConfig(env = process.env) {
  const read = (name) => {
    const file = env[`${name}_FILE`];
    if (file) {
      let contents;
      try {
        contents = fs.readFileSync(file, "utf8").trim();
      } catch (err) {
        throw new ConfigError(`${name}_FILE names ${file}, which cannot be read: ${err.code || err.message}`);
      }
      return contents === "" ? undefined : contents;
    }
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const required = (name, why) => {
    const value = read(name);
    if (value === undefined) throw new ConfigError(`${name} is required (${why}); set ${name} or ${name}_FILE`);
    return value;
  };
  const url = (name, value, protocols) => {
    let parsed;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`${name} is not a URL`);
    }
    if (!protocols.includes(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError(`${name} must look like ${protocols[0]}//host:port/...`);
    }
    return parsed;
  };
  const whole = (name, fallback, min, max) => {
    const raw = read(name) ?? String(fallback);
    const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return value;
  };

  const logLevel = read("LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${logLevel}"`);
  }
  return {
    appEnv: read("APP_ENV") ?? "development",
    logLevel,
    port: whole("PORT", {{ port }}, 1, 65535),
    scheduleIntervalS: whole("SCHEDULE_INTERVAL", 60, 1, 86400),
{%- if postgres or redis %}
    jobClaimIdleMs: whole("JOB_CLAIM_IDLE_MS", 30000, 1000, 3600000),
{%- endif %}
{%- if postgres %}
    databaseUrl: url("DATABASE_URL", required("DATABASE_URL", "the PostgreSQL database"), ["postgres:", "postgresql:"]),
{%- endif %}
{%- if redis %}
    redisUrl: url("REDIS_URL", required("REDIS_URL", "the Redis instance"), ["redis:", "rediss:"]),
{%- endif %}
  };
}

/** Writes one JSON line to stdout; `level` below the configured LOG_LEVEL is dropped. */
function makeLogger(minLevel = "info", out = process.stdout) {
  const min = LOG_LEVELS.indexOf(minLevel);
  return (level, msg, fields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    out.write(JSON.stringify({ time: new Date().toISOString(), level, service: SERVICE, msg, ...fields }) + "\n");
  };
}

/** `promise`, or a TimeoutError after `ms`; `onTimeout` releases what the promise holds. */
async function withDeadline(promise, ms, onTimeout = () => {}) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new TimeoutError(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The reason {{ ready_path }} gives for a failed probe: one of a few words an operator can act on. */
function reason(err) {
  if (err instanceof TimeoutError) return "timed out";
  if (err.code === "ECONNREFUSED") return "refused";
  // PostgreSQL: invalid_password, invalid_authorization_specification; Redis: WRONGPASS, NOAUTH.
  if (err.code === "28P01" || err.code === "28000" || /^(WRONGPASS|NOAUTH)/.test(err.message)) {
    return "authentication failed";
  }
  if (err.code === "3D000") return "database missing";
  if (err.code === "PENDING") return "migrations pending";
  return `error: ${err.message || err.code}`;
}
{%- if postgres %}

/** The newest migration's name (its file name without extension), as node-pg-migrate records it. */
function latestMigration() {
  const names = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".js")).sort();
  return names.length ? names[names.length - 1].replace(/\.js$/, "") : null;
}

/** Logs in with the URL's credentials, runs SELECT 1, and checks the newest migration is applied. */
async function probePostgres(config) {
  // No connectionTimeoutMillis: the deadline below covers the whole probe and names a timeout as one.
  const client = new pg.Client({ connectionString: config.databaseUrl.href });
  client.on("error", () => {});
  const check = async () => {
    await client.connect();
    await client.query("SELECT 1");
    const latest = latestMigration();
    const { rows } = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [MIGRATIONS_TABLE]);
    const applied = rows[0].present && (await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE name = $1`, [latest])).rowCount > 0;
    if (latest && !applied) throw Object.assign(new Error("migrations pending"), { code: "PENDING" });
  };
  try {
    await withDeadline(check(), PROBE_TIMEOUT_MS, () => client.connection.stream.destroy());
  } finally {
    client.end().catch(() => {});
  }
}

/**
 * The job queue in PostgreSQL. A take commits `running` and attempts + 1 at once, so a worker
 * killed mid-job still counts; the row's updated_at is its lease, renewed while the job runs,
 * and a running job whose lease is older than JOB_CLAIM_IDLE_MS is taken again. SKIP LOCKED lets
 * workers take different jobs without waiting on each other. Finishing and putting back only
 * apply while this worker's take is the latest (same attempts), so a job is never done twice.
 */
function postgresQueue(config, log) {
  const pool = new pg.Pool({ connectionString: config.databaseUrl.href, max: 4, connectionTimeoutMillis: 5000 });
  pool.on("error", (err) => log("warn", "postgres connection lost", { error: err.message }));
  const leaseMs = config.jobClaimIdleMs;
  const job = (row) => row && { id: String(row.id), kind: row.kind, payload: row.payload, state: row.state, attempts: row.attempts };
  const mine = "WHERE id = $1 AND attempts = $2";
  return {
    async enqueue(kind, payload) {
      const { rows } = await pool.query("INSERT INTO jobs (kind, payload) VALUES ($1, $2) RETURNING id", [kind, payload]);
      return String(rows[0].id);
    },
    async get(id) {
      const { rows } = await pool.query("SELECT id, kind, state, attempts FROM jobs WHERE id = $1", [id]);
      return job(rows[0]);
    },
    async take() {
      const { rows } = await pool.query(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
          WHERE id = (SELECT id FROM jobs
                       WHERE state = 'queued'
                          OR (state = 'running' AND updated_at < now() - $1 * interval '1 millisecond')
                       ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id, kind, payload, state, attempts`,
        [leaseMs],
      );
      if (!rows.length) await sleep(POLL_MS);
      return job(rows[0]);
    },
    heartbeat: (j) => pool.query(`UPDATE jobs SET updated_at = now() ${mine}`, [j.id, j.attempts]),
    finish: async (j, state) =>
      (await pool.query(`UPDATE jobs SET state = $3, updated_at = now() ${mine} AND state = 'running'`, [j.id, j.attempts, state])).rowCount === 1,
    putBack: (j) => pool.query(`UPDATE jobs SET state = 'queued', updated_at = now() ${mine}`, [j.id, j.attempts]),
    close: () => pool.end(),
  };
}
{%- endif %}
{%- if redis %}

/** A Redis client for the URL; rediss:// is TLS, verified against the system CAs (and NODE_EXTRA_CA_CERTS). */
function redisClient(config, options = {}) {
  return createClient({ url: config.redisUrl.href, ...options, socket: { connectTimeout: PROBE_TIMEOUT_MS, ...options.socket } });
}

/** Connects with the URL's credentials (AUTH) and sends PING, on a connection of its own. */
async function probeRedis(config) {
  const client = redisClient(config, { socket: { reconnectStrategy: false } });
  client.on("error", () => {});
  try {
    await withDeadline(
      client.connect().then(() => client.ping()),
      PROBE_TIMEOUT_MS,
      () => client.destroy(),
    );
  } finally {
    if (client.isOpen) client.destroy();
  }
}
{%- if not postgres %}

const STREAM = "jobs";
const GROUP = "workers";

/**
 * The job queue in Redis Streams: each job is an entry of the stream "jobs" read by the consumer
 * group "workers", its state in the hash job:<id>. A worker acknowledges an entry only once the
 * job is done; an entry a dead worker left pending is claimed by another with XAUTOCLAIM once it
 * has been idle JOB_CLAIM_IDLE_MS (a running job renews it with XCLAIM, so it is never idle that long).
 */
function redisQueue(config, log) {
  // A Redis restart or failover closes the connection; the client reconnects with backoff. A
  // command issued meanwhile waits, unsent, until it is back, or fails after
  // REDIS_OFFLINE_WAIT_MS (node-redis drops `timeout` once a command is written), so a request
  // right after a restart succeeds and one while Redis stays down still fails fast. Commands
  // already sent when the connection broke fail and are not resent: none can run twice.
  const client = redisClient(config, { commandOptions: { timeout: REDIS_OFFLINE_WAIT_MS } });
  let down = false;
  client.on("error", (err) => {
    if (!down) log("warn", "redis connection lost", { error: err.message || err.code });
    down = true;
  });
  client.on("ready", () => (down = false));
  const connected = client.connect();
  connected.catch(() => {});
  const consumer = `${os.hostname()}-${process.pid}`;
  let group = null;
  const ensureGroup = () =>
    (group ??= client.xGroupCreate(STREAM, GROUP, "0", { MKSTREAM: true }).catch((err) => {
      group = null;
      if (!/BUSYGROUP/.test(err.message)) throw err;
    }));
  const now = () => new Date().toISOString();
  /** A dead worker's entry first, else a new one, waiting up to POLL_MS. */
  const nextEntry = async () => {
    const claimed = await client.xAutoClaim(STREAM, GROUP, consumer, config.jobClaimIdleMs, "0-0", { COUNT: 1 });
    const stale = claimed.messages.find(Boolean);
    if (stale) return stale;
    const read = await client.xReadGroup(GROUP, consumer, { key: STREAM, id: ">" }, { COUNT: 1, BLOCK: POLL_MS });
    return read?.[0]?.messages[0];
  };
  return {
    async enqueue(kind, payload) {
      const id = String(await client.incr("jobs:next-id"));
      await client
        .multi()
        .hSet(`job:${id}`, { kind, payload: JSON.stringify(payload), state: "queued", attempts: 0, created_at: now(), updated_at: now() })
        .xAdd(STREAM, "*", { id })
        .exec();
      return id;
    },
    async get(id) {
      const h = await client.hGetAll(`job:${id}`);
      return h.kind === undefined ? null : { id, kind: h.kind, state: h.state, attempts: Number(h.attempts) };
    },
    async take() {
      await ensureGroup();
      const entry = await nextEntry().catch((err) => {
        // Redis restarted without its data (no persistence): the group is gone with the
        // stream; the next take creates it again.
        if (/^NOGROUP/.test(err.message)) group = null;
        throw err;
      });
      if (!entry) return null;
      const key = `job:${entry.message.id}`;
      const state = await client.hGet(key, "state");
      // Done (or gone) already: a worker died between marking it done and acknowledging it.
      if (state === null || state === "done" || state === "failed") {
        await client.xAck(STREAM, GROUP, entry.id);
        return null;
      }
      const [attempts] = await client.multi().hIncrBy(key, "attempts", 1).hSet(key, { state: "running", updated_at: now() }).exec();
      const h = await client.hGetAll(key);
      return { id: entry.message.id, kind: h.kind, payload: JSON.parse(h.payload), state: "running", attempts: Number(attempts), entry: entry.id };
    },
    heartbeat: (j) => client.xClaimJustId(STREAM, GROUP, consumer, 0, j.entry),
    async finish(j, state) {
      await client.multi().hSet(`job:${j.id}`, { state, updated_at: now() }).xAck(STREAM, GROUP, j.entry).exec();
      return true;
    },
    putBack: (j) =>
      client.multi().hSet(`job:${j.id}`, { state: "queued", updated_at: now() }).xAdd(STREAM, "*", { id: j.id }).xAck(STREAM, GROUP, j.entry).exec(),
    close: async () => client.isOpen && client.destroy(),
  };
}
{%- endif %}
{%- endif %}

/** The queue jobs go through: PostgreSQL when chosen, else Redis, else none. */
function openQueue(config, log) {
{%- if postgres %}
  return postgresQueue(config, log);
{%- elif redis %}
  return redisQueue(config, log);
{%- else %}
  return null;
{%- endif %}
}

/** The backing services {{ ready_path }} checks, each a real round trip with the URL's credentials. */
function probes(config) {
  const checks = {};
{%- if postgres %}
  checks.postgres = () => probePostgres(config);
{%- endif %}
{%- if redis %}
  checks.redis = () => probeRedis(config);
{%- endif %}
  return checks;
}

/** Runs every probe at once; `ok` is true only when all of them pass. */
async function readiness(checks) {
  const results = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, probe]) => {
      try {
        await probe();
        results[name] = "ok";
      } catch (err) {
        results[name] = reason(err);
      }
    }),
  );
  return { ok: Object.values(results).every((r) => r === "ok"), checks: results };
}

/** The request body, up to BODY_LIMIT bytes; null when it is longer. */
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= BODY_LIMIT) chunks.push(chunk);
  }
  return size > BODY_LIMIT ? null : Buffer.concat(chunks).toString("utf8");
}

/** A POST /jobs body checked against the contract: {kind, payload}; returns [error, job]. */
function parseJob(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return [`the body is not JSON: ${err.message}`];
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return ["the body must be a JSON object"];
  const { kind, payload = {} } = body;
  if (typeof kind !== "string" || kind.length < 1 || kind.length > 64) return ['"kind" must be a string of 1 to 64 characters'];
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return ['"payload" must be a JSON object'];
  const ms = payload.sleep_ms;
  if (ms !== undefined && !(Number.isInteger(ms) && ms >= 0 && ms <= 10000)) return ['"payload.sleep_ms" must be a whole number from 0 to 10000'];
  return [null, { kind, payload }];
}

/**
 * The HTTP server, not yet listening. `state.stopping` turns {{ ready_path }} to 503;
 * `state.active` counts the requests in flight, so a stop knows when they are all done.
 */
function createServer(config, log, state = { stopping: false, active: 0 }, queue = openQueue(config, log)) {
  const checks = probes(config);
  const routes = {
    "{{ health_path }}": { GET: async () => [200, { status: "ok" }] },
    "{{ ready_path }}": {
      GET: async () => {
        if (state.stopping) return [503, { status: "stopping" }];
        const result = await readiness(checks);
        return [result.ok ? 200 : 503, { status: result.ok ? "ready" : "not ready", checks: result.checks }];
      },
    },
    "/": { GET: async () => [200, { service: SERVICE, env: config.appEnv }] },
    // An example of a request that takes a while, to watch graceful shutdown at work.
    "/demo/slow": {
      GET: async (url) => {
        const raw = url.searchParams.get("ms") ?? "";
        const ms = Math.min(/^[0-9]+$/.test(raw) ? Number(raw) : 0, SLOW_MAX_MS);
        await sleep(ms);
        return [200, { slept_ms: ms }];
      },
    },
    "/jobs": {
      POST: async (url, req) => {
        if (!queue) return [503, { error: "no queue: choose PostgreSQL or Redis" }];
        const text = await readBody(req);
        if (text === null) return [413, { error: `the body is larger than ${BODY_LIMIT / 1024} KiB` }];
        const [error, job] = parseJob(text);
        if (error) return [400, { error }];
        const id = await queue.enqueue(job.kind, job.payload);
        log("info", "job enqueued", { job_id: id, kind: job.kind });
        return [202, { id, state: "queued" }, { location: `/jobs/${id}` }];
      },
    },
  };
  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    state.active += 1;
    res.once("close", () => {
      state.active -= 1;
      // Once stopping, the last request to finish closes whatever connections remain.
      if (state.stopping && state.active === 0) server.closeAllConnections();
    });
    let reqPath = req.url;
    const send = (status, data, headers = {}) => {
      // While stopping, close each connection after its response instead of keeping it alive.
      if (state.stopping) res.setHeader("connection", "close");
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(data));
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log("info", "request", { method: req.method, path: reqPath, status, duration_ms: Math.round(durationMs) });
    };
    try {
      let url;
      try {
        url = new URL(req.url, "http://localhost");
      } catch {
        return send(400, { error: "bad request" });
      }
      reqPath = url.pathname;
      const method = req.method === "HEAD" ? "GET" : req.method;
      const jobId = /^\/jobs\/([0-9]{1,18})$/.exec(reqPath)?.[1];
      if (jobId && method === "GET") {
        if (!queue) return send(404, { error: "no such job" });
        const job = await queue.get(jobId);
        return send(job ? 200 : 404, job ?? { error: "no such job" });
      }
      const methods = Object.hasOwn(routes, reqPath) ? routes[reqPath] : null;
      if (methods?.[method]) return send(...(await methods[method](url, req)));
      return methods || jobId ? send(405, { error: "method not allowed" }) : send(404, { error: "not found" });
    } catch (err) {
      log("error", "request failed", { path: reqPath, error: err.message });
      if (!res.headersSent) send(503, { error: `a backing service failed: ${err.message}` });
    }
  });
  // A client gets 5 s to send its request, so a silent connection cannot hold a stop for long.
  server.headersTimeout = 5000;
  server.requestTimeout = 5000;
  server.on("close", () => queue?.close().catch(() => {}));
  return server;
}

/** Calls `stop` once on SIGTERM or SIGINT, and exits 1 if it has not finished in time. */
function onStop(log, stop) {
  let stopping = false;
  const handler = (signal) => {
    if (stopping) return;
    stopping = true;
    log("info", "stopping", { signal });
    setTimeout(() => {
      log("error", "in-flight work did not finish in time", { grace_ms: SHUTDOWN_GRACE_MS });
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    stop();
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}

function web(config, log) {
  const state = { stopping: false, active: 0 };
  const server = createServer(config, log, state);
  server.once("error", (err) => {
    log("error", "cannot listen", { port: config.port, error: err.code || err.message });
    process.exit(1);
  });
  server.listen(config.port, "0.0.0.0", () => log("info", "listening", { port: config.port, env: config.appEnv }));
  onStop(log, () => {
    state.stopping = true;
    // Stop accepting and let in-flight requests finish; connections with no request in flight
    // (idle keep-alive, or opened and never used) are closed now, the rest after their response.
    server.close(() => {
      log("info", "stopped");
      process.exit(0);
    });
    if (state.active === 0) server.closeAllConnections();
    else server.closeIdleConnections();
  });
}
{%- if postgres or redis %}

/** The demo work: payload {"sleep_ms": N} takes N ms. Replace it with your jobs' work. */
async function work(job, signal) {
  await sleep(job.payload.sleep_ms ?? 0, undefined, { signal });
}

/**
 * Takes jobs one at a time until SIGTERM. A job still running shortly before the grace period
 * ends is put back for another worker: never lost, never done twice.
 */
async function worker(config, log) {
  const queue = openQueue(config, log);
  let stopping = false;
  let current = null;
  onStop(log, () => {
    stopping = true;
    setTimeout(() => current?.abort(), SHUTDOWN_GRACE_MS - 1500).unref();
  });
  log("info", "started", { role: "worker", env: config.appEnv });
  while (!stopping) {
    let job;
    try {
      job = await queue.take();
    } catch (err) {
      log("warn", "cannot take a job", { error: err.message });
      await sleep(1000);
      continue;
    }
    if (!job) continue;
    current = new AbortController();
    await runJob(queue, job, current.signal, config, log);
    current = null;
  }
  await queue.close().catch(() => {});
  log("info", "stopped", { role: "worker" });
  process.exit(0);
}

async function runJob(queue, job, signal, config, log) {
  const fields = { job_id: job.id, kind: job.kind, attempts: job.attempts };
  log("info", "job started", fields);
  // Renew the take while the job runs, so a live worker's job is never taken by another.
  const lease = setInterval(() => queue.heartbeat(job).catch(() => {}), Math.floor(config.jobClaimIdleMs / 3));
  try {
    await work(job, signal);
    if (await queue.finish(job, "done")) log("info", "job done", fields);
    else log("warn", "job was taken again before it finished", fields);
  } catch (err) {
    if (signal.aborted) {
      await queue.putBack(job);
      log("info", "job put back", fields);
    } else {
      await queue.finish(job, "failed").catch(() => {});
      log("error", "job failed", { ...fields, error: err.message });
    }
  } finally {
    clearInterval(lease);
  }
}
{%- endif %}

/** Enqueues one {"kind":"scheduled"} job per SCHEDULE_INTERVAL, through the same code as POST /jobs. */
function scheduler(config, log) {
  const queue = openQueue(config, log);
  const every = config.scheduleIntervalS * 1000;
  log("info", "started", { role: "scheduler", env: config.appEnv, every_s: config.scheduleIntervalS });
  const timer = setInterval(async () => {
    if (!queue) return log("warn", "no queue: choose PostgreSQL or Redis");
    try {
      const id = await queue.enqueue("scheduled", {});
      log("info", "job enqueued", { job_id: id, kind: "scheduled" });
    } catch (err) {
      log("error", "cannot enqueue the scheduled job", { error: err.message });
    }
  }, every);
  onStop(log, async () => {
    clearInterval(timer);
    await queue?.close().catch(() => {});
    log("info", "stopped", { role: "scheduler" });
    process.exit(0);
  });
}
{%- if postgres %}

/**
 * The release step (`migrate`), and its undo (`migrate-down`: the newest applied migration
 * only). node-pg-migrate records what it applied in its own table, so running `migrate` again
 * applies nothing, and takes a lock, so two releases never migrate at once.
 */
async function migrate(config, log, direction) {
  const { runner } = require("node-pg-migrate");
  const say = (level) => (msg) => log(level, "migration tool", { detail: String(msg).trim() });
  try {
    const ran = await runner({
      databaseUrl: config.databaseUrl.href,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction,
      count: direction === "up" ? Infinity : 1,
      checkOrder: true,
      verbose: false,
      logger: { debug: say("debug"), info: say("debug"), warn: say("warn"), error: say("error") },
    });
    const names = ran.map((m) => m.name);
    const verb = direction === "up" ? "applied" : "rolled back";
    if (names.length) log("info", `migrations ${verb}`, { migrations: names });
    else log("info", direction === "up" ? "nothing to apply: every migration is applied" : "nothing to roll back: no migration is applied");
    process.exit(0);
  } catch (err) {
    log("error", `migrate ${direction} failed`, { reason: reason(err), error: err.message });
    process.exit(1);
  }
}
{%- endif %}

async function healthcheck(config) {
  const res = await fetch(`http://127.0.0.1:${config.port}{{ health_path }}`, { signal: AbortSignal.timeout(2000) });
  process.exit(res.ok ? 0 : 1);
}

const ROLES = {
  web,
{%- if postgres or redis %}
  worker,
{%- endif %}
  scheduler,
{%- if postgres %}
  migrate: (config, log) => migrate(config, log, "up"),
  "migrate-down": (config, log) => migrate(config, log, "down"),
{%- endif %}
  healthcheck: (config) => healthcheck(config).catch(() => process.exit(1)),
};

function main(argv = process.argv.slice(2)) {
  const role = argv[0] ?? "web";
  if (!Object.hasOwn(ROLES, role)) {
    makeLogger()("error", "unknown role", { role, roles: Object.keys(ROLES) });
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    makeLogger()("error", "configuration error", { role, error: err.message });
    process.exit(1);
  }
  ROLES[role](config, makeLogger(config.logLevel));
}

if (require.main === module) main();

module.exports = { ConfigError, createServer, loadConfig, makeLogger, parseJob, readiness, probes, reason };
