// billing-api: a minimal service that keeps the twelve-factor contract. Replace the example
// routes with your own; keep the contract:
//   - every setting comes from the environment, read once in loadConfig();
//   - the web process binds 0.0.0.0:$PORT;
//   - /health answers while the process runs, /ready only while the backing services answer;
//   - one JSON line on stdout per request and per lifecycle event;
//   - on SIGTERM: stop accepting, finish in-flight requests, exit 0.
// Run a role with `node src/server.js <role>`: web (default), worker, scheduler, migrate,
// healthcheck. Every process type runs from the same code and the same image.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const tls = require("node:tls");

const SERVICE = "billing-api";
const LOG_LEVELS = ["debug", "info", "warn", "error"];
/** How long a stopping process waits for in-flight work; below `docker stop`'s 10 s. */
const SHUTDOWN_GRACE_MS = 8000;
/** How long each readiness probe of a backing service may take. */
const PROBE_TIMEOUT_MS = 1000;
/** The longest delay /demo/slow accepts, so the example can never outlive a graceful stop. */
const SLOW_MAX_MS = 5000;

class ConfigError extends Error {}

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

  const rawPort = read("PORT") ?? "8080";
  const port = /^[0-9]+$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, not "${rawPort}"`);
  }
  const logLevel = read("LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${logLevel}"`);
  }
  return {
    appEnv: read("APP_ENV") ?? "development",
    logLevel,
    port,
    databaseUrl: url("DATABASE_URL", required("DATABASE_URL", "the PostgreSQL database"), ["postgres:", "postgresql:"]),
    redisUrl: url("REDIS_URL", required("REDIS_URL", "the Redis instance"), ["redis:", "rediss:"]),
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

/**
 * Opens a TCP connection, writes `hello` and resolves with what the server sends back once
 * `complete(reply)` holds (or the server closes); rejects on refusal, unknown host or timeout.
 */
function exchange(host, port, hello, complete = (reply) => reply.length > 0, secure = false) {
  return new Promise((resolve, reject) => {
    const socket = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    let reply = Buffer.alloc(0);
    // A deadline for the whole exchange, not an idle timeout: a trickling peer cannot stall it.
    const deadline = setTimeout(() => fail(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    const fail = (err) => {
      clearTimeout(deadline);
      socket.destroy();
      reject(err);
    };
    socket.once("error", fail);
    socket.once(secure ? "secureConnect" : "connect", () => socket.write(hello));
    socket.on("data", (data) => {
      reply = Buffer.concat([reply, data]);
      if (!complete(reply)) return;
      clearTimeout(deadline);
      socket.destroy();
      resolve(reply);
    });
    socket.once("end", () => {
      clearTimeout(deadline);
      socket.destroy();
      resolve(reply);
    });
  });
}

/** A URL's host without the brackets of an IPv6 literal ("[::1]" -> "::1"). */
function bare(hostname) {
  return hostname.replace(/^\[(.*)\]$/, "$1");
}

/** The backing services /ready checks: each resolves when the service answers its own protocol. */
function probes(config) {
  const checks = {};
  // PostgreSQL answers an SSLRequest with one byte, "S" or "N", before any login.
  checks.postgres = async () => {
    const { hostname, port } = config.databaseUrl;
    const reply = await exchange(bare(hostname), Number(port || 5432), Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]));
    const byte = String.fromCharCode(reply[0]);
    if (byte !== "S" && byte !== "N") throw new Error("the server did not answer as PostgreSQL");
  };
  // Redis answers PING with +PONG (after AUTH when the URL carries a password); rediss:// is TLS.
  checks.redis = async () => {
    const { protocol, hostname, port, username, password } = config.redisUrl;
    const command = (...words) =>
      `*${words.length}\r\n` + words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join("");
    const auth = password
      ? command("AUTH", ...(username ? [decodeURIComponent(username)] : []), decodeURIComponent(password))
      : "";
    // One reply line per command sent; an error reply ("-...") ends the exchange early.
    const expected = auth ? 2 : 1;
    const done = (r) => r.toString().split("\r\n").length > expected || r[0] === 0x2d;
    const secure = protocol === "rediss:";
    const reply = (await exchange(bare(hostname), Number(port || 6379), auth + command("PING"), done, secure)).toString();
    if (!reply.includes("+PONG")) throw new Error(`Redis answered ${reply.trim() || "nothing"}`);
  };
  return checks;
}

/** Runs every probe; `ok` is true only when all of them pass. */
async function readiness(checks) {
  const results = {};
  let ok = true;
  await Promise.all(
    Object.entries(checks).map(async ([name, probe]) => {
      try {
        await probe();
        results[name] = "ok";
      } catch (err) {
        ok = false;
        results[name] = err.code ? `unreachable: ${err.code}` : err.message;
      }
    }),
  );
  return { ok, checks: results };
}

/**
 * The HTTP server, not yet listening. `state.stopping` turns /ready to 503;
 * `state.active` counts the requests in flight, so a stop knows when they are all done.
 */
function createServer(config, log, state = { stopping: false, active: 0 }) {
  const checks = probes(config);
  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    state.active += 1;
    res.once("close", () => {
      state.active -= 1;
      // Once stopping, the last request to finish closes whatever connections remain.
      if (state.stopping && state.active === 0) server.closeAllConnections();
    });
    let path = req.url;
    const send = (status, data) => {
      // While stopping, close each connection after its response instead of keeping it alive.
      if (state.stopping) res.setHeader("connection", "close");
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log("info", "request", { method: req.method, path, status, duration_ms: Math.round(durationMs) });
    };
    try {
      let url;
      try {
        url = new URL(req.url, "http://localhost");
      } catch {
        return send(400, { error: "bad request" });
      }
      path = url.pathname;
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, { error: "method not allowed" });
      switch (url.pathname) {
        case "/health":
          return send(200, { status: "ok" });
        case "/ready": {
          if (state.stopping) return send(503, { status: "stopping" });
          const result = await readiness(checks);
          return send(result.ok ? 200 : 503, { status: result.ok ? "ready" : "not ready", checks: result.checks });
        }
        case "/":
          return send(200, { service: SERVICE, env: config.appEnv });
        case "/demo/slow": {
          // An example of a request that takes a while, to watch graceful shutdown at work.
          const raw = url.searchParams.get("ms") ?? "";
          const ms = Math.min(/^[0-9]+$/.test(raw) ? Number(raw) : 0, SLOW_MAX_MS);
          await new Promise((resolve) => setTimeout(resolve, ms));
          return send(200, { slept_ms: ms });
        }
        default:
          return send(404, { error: "not found" });
      }
    } catch (err) {
      log("error", "request failed", { path, error: err.message });
      if (!res.headersSent) send(500, { error: "internal error" });
    }
  });
  // A client gets 5 s to send its request, so a silent connection cannot hold a stop for long.
  server.headersTimeout = 5000;
  server.requestTimeout = 5000;
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

/** A process that does one unit of work per tick and finishes the current one on SIGTERM. */
function loop(role, everyMs, config, log) {
  log("info", "started", { role, env: config.appEnv, every_ms: everyMs });
  const timer = setInterval(() => log("debug", "tick", { role }), everyMs);
  onStop(log, () => {
    clearInterval(timer);
    log("info", "stopped", { role });
    process.exit(0);
  });
}

/**
 * The release step, run once per deploy before the new web processes start. It must be safe to
 * run again: it checks that the backing services answer, then applies pending migrations.
 */
async function migrate(config, log) {
  const result = await readiness(probes(config));
  if (!result.ok) {
    log("error", "migrate: a backing service is not ready", { checks: result.checks });
    process.exit(1);
  }
  // Wire your migration tool in here (for example node-pg-migrate or Knex); it must skip
  // migrations that have already run, so a repeated release is harmless.
  log("info", "migrate: nothing to apply", { checks: result.checks });
}

async function healthcheck(config) {
  const res = await fetch(`http://127.0.0.1:${config.port}/health`, { signal: AbortSignal.timeout(2000) });
  process.exit(res.ok ? 0 : 1);
}

const ROLES = ["web", "worker", "scheduler", "migrate", "healthcheck"];

function main(argv = process.argv.slice(2)) {
  const role = argv[0] ?? "web";
  if (!ROLES.includes(role)) {
    makeLogger()("error", "unknown role", { role, roles: ROLES });
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
  const log = makeLogger(config.logLevel);
  switch (role) {
    case "web":
      return web(config, log);
    case "worker":
      return loop("worker", 5000, config, log);
    case "scheduler":
      return loop("scheduler", 60000, config, log);
    case "migrate":
      return migrate(config, log);
    case "healthcheck":
      return healthcheck(config).catch(() => process.exit(1));
  }
}

if (require.main === module) main();

module.exports = { ConfigError, createServer, loadConfig, makeLogger, readiness, probes };
