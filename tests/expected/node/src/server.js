// billing-api: the placeholder service. Replace the handlers; keep the contract:
// bind $PORT, answer /health and /ready, log JSON lines to stdout, read every
// setting from the environment, exit cleanly on SIGTERM.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), IX (disposability), XI (logs as event streams) and XII (admin processes).
"use strict";

const fs = require("node:fs");
const http = require("node:http");

/** A setting from the environment, or from the file named by <NAME>_FILE (Docker secrets). */
function setting(name, fallback = "") {
  const file = process.env[`${name}_FILE`];
  if (file) return fs.readFileSync(file, "utf8").trim();
  return process.env[name] ?? fallback;
}

const config = {
  appEnv: setting("APP_ENV", "development"),
  logLevel: setting("LOG_LEVEL", "info"),
  port: Number(setting("PORT", "8080")),
  databaseUrl: setting("DATABASE_URL"),
  redisUrl: setting("REDIS_URL"),
};

const LEVELS = ["debug", "info", "warn", "error"];
function log(level, msg, fields = {}) {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(config.logLevel)) return;
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n");
}

function serve() {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, "http://localhost").pathname;
    const body = (status, data) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    if (path === "/health") return body(200, { status: "ok" });
    if (path === "/ready") return body(200, { status: "ready" });
    if (path === "/") return body(200, { service: "billing-api" });
    return body(404, { error: "not found" });
  });
  server.listen(config.port, "0.0.0.0", () => log("info", "listening", { port: config.port, env: config.appEnv }));
  process.on("SIGTERM", () => {
    log("info", "SIGTERM received, draining");
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 10000).unref();
  });
}

function loop(role, everyMs) {
  log("info", `${role} started`, { env: config.appEnv });
  const timer = setInterval(() => log("debug", `${role} tick`), everyMs);
  process.on("SIGTERM", () => {
    clearInterval(timer);
    log("info", `${role} stopped`);
    process.exit(0);
  });
}

async function healthcheck() {
  const res = await fetch(`http://127.0.0.1:${config.port}/health`);
  process.exit(res.ok ? 0 : 1);
}

const role = process.argv[2] ?? "web";
switch (role) {
  case "web":
    serve();
    break;
  case "worker":
    loop("worker", 5000);
    break;
  case "scheduler":
    loop("scheduler", 60000);
    break;
  case "migrate":
    log("info", "no migrations yet");
    break;
  case "healthcheck":
    healthcheck().catch(() => process.exit(1));
    break;
  default:
    log("error", "unknown role", { role });
    process.exit(2);
}
