// Proof that generated projects run against the real servers they will meet (issue #14). For
// every stack whose runtime is on this machine and that keeps the #14 contract, and for each
// variant (all services, Redis only, none), it generates a project with the CLI, installs it,
// starts its processes exactly as the Procfile says against real PostgreSQL 15 and Redis 7
// (servers.mjs), and checks the contract from outside: readiness and its reasons, migrations up,
// again, down and up, jobs through the worker (one killed mid-job is retried exactly once), the
// scheduler, a Redis restart under running processes, draining on SIGTERM, and JSON on every
// stdout line.
//
//   node --test tests/apps/                               every stack, every variant
//   PROVE_STACKS=node,python node --test tests/apps/      some stacks
//   PROVE_VARIANTS=all,none ...                           some variants
//   PROVE_KEEP=1                                          keep the generated projects, print where
//   PROVE_REPORT=/tmp/proof.json                          write the cold start times there
//
// A stack's hooks live in runtimes/<stack>.mjs (see runtimes.mjs): `contract: 14` opts it in
// (a stack without it is skipped, saying so); `prepare()` runs once per run and builds the
// dependencies every variant reuses; `install(dir, variant)`; `trustCa(caFile)` the environment
// that makes the app trust the proof's CA for rediss://; optional `command`, `path`, `env`,
// `test`.
//
// Jobs are observed the way a user would: GET /jobs/<id> (state, attempts), the workers' "job
// done" lines, and the table or Redis keys the contract names. A killed worker's take must count:
// attempts is 2 after the retry, so the take is recorded durably before the work starts.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { runtimes } from "./runtimes.mjs";
import { freePort, serversMissing, startServers } from "./servers.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = process.env.TFSTUDIO_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, "target"), "debug/tfstudio");
const STACKS = (process.env.PROVE_STACKS || Object.keys(runtimes).join(",")).split(",").filter(Boolean);
const NAME = "proof-service";
/** The exit deadline after SIGTERM the contract sets (8 s grace), with room for a slow machine. */
const STOP_DEADLINE_MS = 10_000;
/** What every process gets: a fast reclaim of a dead worker's job, a one-second schedule. */
const PROOF_ENV = { JOB_CLAIM_IDLE_MS: "2000", SCHEDULE_INTERVAL: "1", LOG_LEVEL: "info" };

/** The variants: what is chosen, and the process types the Procfile must then declare. */
const VARIANTS = [
  { id: "all", postgres: true, redis: true, worker: true, scheduler: true, release: true },
  { id: "redis-only", postgres: false, redis: true, worker: true, scheduler: true, release: false },
  { id: "none", postgres: false, redis: false, worker: false, scheduler: false, release: false },
].filter((v) => !process.env.PROVE_VARIANTS || process.env.PROVE_VARIANTS.split(",").includes(v.id));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const coldStarts = [];
/** Connections Redis has accepted since it started (its redis-cli call included). */
const redisConnections = () => Number(/total_connections_received:(\d+)/.exec(servers.redisCli("INFO", "stats"))[1]);

/** `NAME=value` lines of a dotenv file. */
function dotenv(text) {
  const vars = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2];
  }
  return vars;
}

/** `type: command` lines of a Procfile. */
function procfile(text) {
  const types = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z][a-z0-9_-]*):\s*(.+)$/.exec(line);
    if (m) types[m[1]] = m[2];
  }
  return types;
}

/**
 * One running process: its stdout lines, its exit. Started through `sh -c "exec env <cmd>"`, so
 * the Procfile's `PORT=${PORT:-...}` prefix works and signals reach the app itself.
 */
class Proc {
  constructor(command, cwd, env) {
    this.command = command;
    this.stdout = "";
    this.stderr = "";
    this.started = Date.now();
    this.child = spawn("sh", ["-c", `exec env ${command}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout.on("data", (d) => (this.stdout += d));
    this.child.stderr.on("data", (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  lines() {
    return this.stdout.split("\n").filter((l) => l.trim() !== "");
  }

  /** The JSON objects on stdout; fails on any line that is not one. */
  json() {
    return this.lines().map((line) => {
      let parsed;
      assert.doesNotThrow(() => (parsed = JSON.parse(line)), `not a JSON line on stdout: ${line}\n${this.describe()}`);
      assert.ok(parsed && typeof parsed === "object" && !Array.isArray(parsed), `not a JSON object: ${line}`);
      return parsed;
    });
  }

  /** Waits for the process to exit, or kills it and fails after `ms`. */
  async exit(ms) {
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result === "timeout") {
      this.child.kill("SIGKILL");
      assert.fail(`${this.command} did not exit within ${ms} ms\n${this.describe()}`);
    }
    return result;
  }

  /** SIGTERM, then: exits 0 within the deadline, and every stdout line is JSON. */
  async stop() {
    this.child.kill("SIGTERM");
    const { code, signal } = await this.exit(STOP_DEADLINE_MS);
    assert.equal(signal, null, `killed by ${signal} instead of exiting\n${this.describe()}`);
    assert.equal(code, 0, `exit status after SIGTERM\n${this.describe()}`);
    return this.json();
  }

  kill() {
    if (this.running) this.child.kill("SIGKILL");
  }

  describe() {
    return `$ ${this.command}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`;
  }
}

async function request(port, pathname, { method = "GET", body, timeoutMs = 5000 } = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`, {
    method,
    body,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}
const get = (port, pathname, timeoutMs) => request(port, pathname, { timeoutMs });
const post = (port, pathname, data) =>
  request(port, pathname, { method: "POST", body: typeof data === "string" ? data : JSON.stringify(data) });

/** Polls /health until it answers 200 (or the process dies); returns ms since the spawn. */
async function waitHealthy(proc, port, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!proc.running) assert.fail(`the web process exited before answering /health\n${proc.describe()}`);
    try {
      if ((await get(port, "/health", 1000)).status === 200) return Date.now() - proc.started;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  proc.kill();
  assert.fail(`/health did not answer 200 within ${ms} ms\n${proc.describe()}`);
}

/** Polls until `check()` returns a truthy value; fails with `what()` after `ms`. */
async function until(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`${what()} (waited ${ms} ms)`);
    await sleep(100);
  }
}

/** A TCP port that accepts connections and never answers: a network black hole. */
async function blackHole() {
  const sockets = new Set();
  const server = net.createServer((s) => (sockets.add(s), s.on("error", () => {})));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(resolve))),
  };
}

function generate(stack, variant) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tfstudio-proof-${stack}-${variant.id}-`));
  const spec = {
    name: NAME,
    description: `Proof that the ${stack} scaffold runs (${variant.id}).`,
    stack,
    port: 8080,
    processes: { worker: variant.worker, scheduler: variant.scheduler, release: variant.release },
    services: { postgres: variant.postgres, redis: variant.redis },
    ci: "github_actions",
    registry: "ghcr",
  };
  const specPath = path.join(dir, "spec.json");
  fs.writeFileSync(specPath, JSON.stringify(spec));
  execFileSync(CLI, ["generate", "--spec", specPath, "--out", dir], { stdio: "pipe" });
  return path.join(dir, NAME);
}

/** Why a stack is skipped here, or false. */
function skipReason(stack) {
  const runtime = runtimes[stack];
  if (!runtime) return `no runtime description for ${stack} in runtimes.mjs`;
  if (runtime.contract !== 14) return `${stack}: not yet converted to the #14 contract (runtimes/${stack}.mjs has no contract: 14)`;
  return runtime.missing() ?? false;
}

const serversNeeded = serversMissing();
let servers;
before(async () => {
  if (!serversNeeded) servers = await startServers({ postgres: true, redis: true });
});
after(async () => {
  await servers?.stop();
  if (coldStarts.length) {
    const table = coldStarts.map((c) => `${c.stack}/${c.variant}: ${c.ms} ms`).join(", ");
    console.log(`# cold start (spawn to /health 200): ${table}`);
    if (process.env.PROVE_REPORT) fs.writeFileSync(process.env.PROVE_REPORT, JSON.stringify(coldStarts, null, 2));
  }
});

for (const stack of STACKS) {
  const runtime = runtimes[stack];
  const skip = serversNeeded ? `PostgreSQL/Redis for the proof: ${serversNeeded}` : skipReason(stack);
  describe(`${stack} starter`, { skip }, () => {
    before(async () => runtime.prepare?.());
    for (const variant of VARIANTS) proveVariant(stack, runtime, variant);
  });
}

function proveVariant(stack, runtime, variant) {
  const queued = variant.postgres || variant.redis;
  /** The queue is in Redis (with PostgreSQL chosen it is the jobs table). */
  const redisQueue = variant.redis && !variant.postgres;
  describe(`${stack}, ${variant.id}`, () => {
    let dir;
    let types;
    let envExample;
    const running = [];
    /** The variant's own database and Redis URLs (a fresh database: nothing migrated yet). */
    let services = {};

    const envFor = (port, extra) => ({
      PATH: runtime.path ? `${runtime.path(dir)}:${process.env.PATH}` : process.env.PATH,
      HOME: process.env.HOME,
      ...runtime.env?.(dir),
      ...envExample,
      ...PROOF_ENV,
      PORT: String(port),
      ...extra,
    });
    const spawnCommand = (command, port, extra) => {
      const proc = new Proc(runtime.command ? runtime.command(command) : command, dir, envFor(port, extra));
      running.push(proc);
      return proc;
    };
    const start = async (type, extra = {}) => spawnCommand(types[type], await freePort(), { ...services, ...extra });
    /** A role's command: the release line (`<entry> migrate`) with another role. */
    const role = (name) => types.release.replace(/\bmigrate\s*$/, name);
    const web = async (extra = {}) => {
      const port = await freePort();
      const proc = spawnCommand(types.web, port, { ...services, ...extra });
      const ms = await waitHealthy(proc, port);
      return { proc, port, ms };
    };
    /** Runs a command to its end; `lines` is its stdout as JSON objects (an app's every line is JSON). */
    const runToEnd = async (command, extra = {}, { json = true } = {}) => {
      const proc = spawnCommand(command, await freePort(), { ...services, ...extra });
      const result = await proc.exit(60_000);
      return { ...result, proc, lines: json ? proc.json() : [] };
    };
    const jobsTable = () => servers.query(services.DATABASE_URL, "SELECT to_regclass('public.jobs') IS NOT NULL");
    const doneLines = (procs, id) =>
      procs.flatMap((p) => p.json().filter((l) => l.msg === "job done" && String(l.job_id) === String(id)));

    before(() => {
      dir = generate(stack, variant);
      if (process.env.PROVE_KEEP) console.log(`# ${stack} ${variant.id} project kept in ${dir}`);
      types = procfile(fs.readFileSync(path.join(dir, "Procfile"), "utf8"));
      envExample = dotenv(fs.readFileSync(path.join(dir, ".env.example"), "utf8"));
      runtime.install(dir, variant);
      if (variant.postgres) services.DATABASE_URL = servers.freshDatabase(`${stack}_${variant.id}`);
      if (variant.redis) {
        servers.flushRedis();
        services.REDIS_URL = servers.redisUrl;
      }
    });

    after(() => {
      for (const p of running) p.kill();
      if (!process.env.PROVE_KEEP && dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    it("the Procfile declares exactly the chosen process types", () => {
      const expected = ["web", ...["worker", "scheduler", "release"].filter((t) => variant[t])];
      assert.deepEqual(Object.keys(types).sort(), expected.sort());
    });

    if (variant.postgres) {
      it("is ready only once migrations are applied; migrate is a no-op the second time", async () => {
        const { proc, port, ms } = await web();
        coldStarts.push({ stack, variant: variant.id, ms });
        const before = await get(port, "/ready");
        assert.equal(before.status, 503, before.text);
        assert.equal(before.json?.status, "not ready", before.text);
        assert.equal(before.json.checks?.postgres, "migrations pending", before.text);
        assert.equal(before.json.checks?.redis, "ok", before.text);

        const first = await runToEnd(types.release);
        assert.equal(first.code, 0, first.proc.describe());
        assert.equal(jobsTable(), "t", "migrate exited 0 but there is no jobs table");
        const ready = await get(port, "/ready");
        assert.equal(ready.status, 200, `${ready.text}\n${proc.describe()}`);
        assert.deepEqual(ready.json, { status: "ready", checks: { postgres: "ok", redis: "ok" } });

        // A row that a migration re-run must leave alone.
        const job = await post(port, "/jobs", { kind: "keep-me", payload: {} });
        assert.equal(job.status, 202, job.text);
        const again = await runToEnd(types.release);
        assert.equal(again.code, 0, again.proc.describe());
        assert.equal(servers.query(services.DATABASE_URL, `SELECT kind FROM jobs WHERE id = ${Number(job.json.id)}`), "keep-me");
        await proc.stop();
      });

      it("migrate-down rolls back the latest migration, and migrate applies it again", async () => {
        const down = await runToEnd(role("migrate-down"));
        assert.equal(down.code, 0, down.proc.describe());
        assert.equal(jobsTable(), "f", `the jobs table is still there after migrate-down\n${down.proc.describe()}`);
        const { proc, port } = await web();
        const pending = await get(port, "/ready");
        assert.equal(pending.status, 503, pending.text);
        assert.equal(pending.json?.checks?.postgres, "migrations pending", pending.text);
        // Nothing left to roll back: still exit 0, with a log line.
        const none = await runToEnd(role("migrate-down"));
        assert.equal(none.code, 0, none.proc.describe());
        assert.ok(none.lines.length > 0, `migrate-down with nothing applied logged nothing\n${none.proc.describe()}`);
        const up = await runToEnd(types.release);
        assert.equal(up.code, 0, up.proc.describe());
        assert.equal(jobsTable(), "t");
        assert.equal((await get(port, "/ready")).status, 200);
        await proc.stop();
      });

      it("names the reason: wrong password, missing database, refused, timed out", async () => {
        const hole = await blackHole();
        const refused = await freePort();
        try {
          const cases = [
            [servers.wrongPasswordDatabaseUrl, "authentication failed"],
            [servers.missingDatabaseUrl, "database missing"],
            [`postgres://app:x@127.0.0.1:${refused}/app`, "refused"],
            [`postgres://app:x@127.0.0.1:${hole.port}/app`, "timed out"],
          ];
          const procs = await Promise.all(cases.map(([url]) => web({ DATABASE_URL: url })));
          for (const [i, [, reason]] of cases.entries()) {
            const t0 = Date.now();
            const res = await get(procs[i].port, "/ready", 10_000);
            assert.equal(res.status, 503, res.text);
            assert.equal(res.json?.checks?.postgres, reason, `${res.text}\n${procs[i].proc.describe()}`);
            assert.equal(res.json.checks.redis, "ok", res.text);
            assert.ok(Date.now() - t0 < 4000, `/ready took ${Date.now() - t0} ms: each probe must time out within 2 s`);
          }
          for (const { proc } of procs) await proc.stop();
        } finally {
          await hole.close();
        }
      });

      it("PostgreSQL: a few kept connections serve 40 requests; /ready is 503 `refused` while it is stopped, 200 when it is back", async (t) => {
        // A project that documents its pool size (DB_POOL_SIZE in .env.example) must keep to it:
        // set to 3 here. Otherwise the bound is the largest pool a starter has (10).
        const sized = "DB_POOL_SIZE" in envExample;
        const bound = sized ? 3 : 10;
        const { proc, port } = await web(sized ? { DB_POOL_SIZE: "3" } : {});
        const db = new URL(services.DATABASE_URL).pathname.slice(1);
        // Counted from another database, so the counting sessions are not counted.
        const admin = services.DATABASE_URL.replace(/\/[^/]+$/, "/postgres");
        const sessions = () => Number(servers.query(admin, `SELECT sessions FROM pg_stat_database WHERE datname = '${db}'`));
        const before = sessions();
        const posts = await Promise.all(Array.from({ length: 20 }, (_, i) => post(port, "/jobs", { kind: `burst-${i}`, payload: {} })));
        for (const res of posts) assert.equal(res.status, 202, `${res.text}\n${proc.describe()}`);
        const gets = await Promise.all(posts.map((res) => get(port, `/jobs/${res.json.id}`)));
        for (const res of gets) assert.equal(res.status, 200, res.text);
        await sleep(300); // a closed session's count reaches the statistics as its backend exits
        // Every session the web process opened so far is counted once; a process that logs in
        // per request opened 40 here.
        const opened = sessions() - before;
        const open = Number(servers.query(admin, `SELECT count(*) FROM pg_stat_activity WHERE datname = '${db}'`));
        t.diagnostic(`PostgreSQL sessions opened by the web process for 40 requests: ${opened}, open after them: ${open} (bound ${bound})`);
        assert.ok(opened <= bound, `${opened} PostgreSQL sessions for 40 requests: the pool must keep at most ${bound} connections, not log in per request`);
        assert.ok(open >= 1 && open <= bound, `${open} PostgreSQL sessions open after the requests: the pool keeps 1 to ${bound}`);
        servers.query(services.DATABASE_URL, "DELETE FROM jobs WHERE kind LIKE 'burst-%'");

        // The database goes away under the running process (its sessions ended), then comes back.
        servers.stopPostgres();
        try {
          const t0 = Date.now();
          const down = await get(port, "/ready", 10_000);
          assert.equal(down.status, 503, down.text);
          assert.ok(Date.now() - t0 < 4000, `/ready took ${Date.now() - t0} ms with PostgreSQL stopped: each probe must give up within 2 s`);
          // A connection the stop broke may first give its own error; then the reason is "refused".
          await until(async () => (await get(port, "/ready", 10_000)).json?.checks?.postgres === "refused", 5000,
            () => `/ready never said "refused" with PostgreSQL stopped\n${proc.describe()}`);
        } finally {
          servers.startPostgres();
        }
        await until(async () => (await get(port, "/ready")).status === 200, 10_000,
          () => `/ready did not recover after PostgreSQL came back\n${proc.describe()}`);
        await until(async () => (await post(port, "/jobs", { kind: "after-postgres-restart", payload: {} })).status === 202, 5000,
          () => `POST /jobs did not recover after PostgreSQL came back\n${proc.describe()}`);
        const lines = await proc.stop();
        // HikariCP logs through slf4j: without a binding it complains on stderr at start.
        assert.doesNotMatch(proc.stderr, /SLF4J/, proc.describe());
        assert.ok(lines.length > 0);
      });

      it("refuses to start without DATABASE_URL, and an empty secret file counts as missing", async () => {
        await configError("DATABASE_URL");
      });
    }

    if (variant.redis) {
      it("Redis: ready with the right password; wrong password, a stopped server, TLS with and without the CA", async () => {
        const { proc, port, ms } = await web();
        if (!variant.postgres) coldStarts.push({ stack, variant: variant.id, ms });
        const ok = await get(port, "/ready");
        assert.equal(ok.status, 200, `${ok.text}\n${proc.describe()}`);
        assert.equal(ok.json.checks?.redis, "ok", ok.text);
        // The server goes away under a running app, then comes back.
        await servers.stopRedis();
        try {
          const down = await get(port, "/ready", 10_000);
          assert.equal(down.status, 503, down.text);
          assert.equal(down.json?.checks?.redis, "refused", down.text);
          if (variant.postgres) assert.equal(down.json.checks.postgres, "ok", down.text);
        } finally {
          await servers.startRedis();
        }
        await until(async () => (await get(port, "/ready")).status === 200, 5000, () => `/ready did not recover after Redis came back\n${proc.describe()}`);
        await proc.stop();

        const trusted = runtime.trustCa(servers.caFile);
        const [wrong, tlsOk, tlsUntrusted] = await Promise.all([
          web({ REDIS_URL: servers.wrongPasswordRedisUrl }),
          web({ REDIS_URL: servers.redisTlsUrl, ...trusted }),
          web({ REDIS_URL: servers.redisTlsUrl }),
        ]);
        const wrongReady = await get(wrong.port, "/ready", 10_000);
        assert.equal(wrongReady.status, 503, wrongReady.text);
        assert.equal(wrongReady.json?.checks?.redis, "authentication failed", wrongReady.text);
        const tlsReady = await get(tlsOk.port, "/ready", 10_000);
        assert.equal(tlsReady.status, 200, `rediss:// with the CA trusted: ${tlsReady.text}\n${tlsOk.proc.describe()}`);
        const untrusted = await get(tlsUntrusted.port, "/ready", 10_000);
        assert.equal(untrusted.status, 503, `rediss:// without trusting the CA must fail: ${untrusted.text}`);
        assert.match(untrusted.json?.checks?.redis ?? "", /^error: /, untrusted.text);
        for (const p of [wrong, tlsOk, tlsUntrusted]) await p.proc.stop();
      });

      if (!variant.postgres) {
        it("refuses to start without REDIS_URL, and an empty secret file counts as missing", async () => {
          await configError("REDIS_URL");
        });
      }
    }

    if (!queued) {
      it("is ready as soon as it listens; /jobs says there is no queue", async () => {
        const { proc, port, ms } = await web();
        coldStarts.push({ stack, variant: variant.id, ms });
        const ready = await get(port, "/ready");
        assert.equal(ready.status, 200, ready.text);
        assert.equal(ready.json?.status, "ready", ready.text);
        const jobs = await post(port, "/jobs", { kind: "demo", payload: {} });
        assert.equal(jobs.status, 503, jobs.text);
        assert.deepEqual(jobs.json, { error: "no queue: choose PostgreSQL or Redis" });
        // The README promises 404 for any id: with no queue, no job exists.
        const job = await get(port, "/jobs/1");
        assert.equal(job.status, 404, job.text);
        assert.deepEqual(job.json, { error: "no such job" });
        await proc.stop();
      });
    }

    if (queued) {
      it("POST /jobs validates, enqueues, and two workers process every job exactly once", async (t) => {
        const redisBefore = redisQueue ? redisConnections() : 0;
        const { proc, port } = await web();
        for (const [body, why] of [
          ["{not json", "bad JSON"],
          [{ payload: {} }, "no kind"],
          [{ kind: "", payload: {} }, "empty kind"],
          [{ kind: "k".repeat(65), payload: {} }, "kind longer than 64"],
        ]) {
          const res = await post(port, "/jobs", body);
          assert.equal(res.status, 400, `${why}: ${res.text}`);
          assert.equal(typeof res.json?.error, "string", `${why}: ${res.text}`);
        }
        const missing = await get(port, "/jobs/987654321");
        assert.equal(missing.status, 404, missing.text);
        assert.deepEqual(missing.json, { error: "no such job" });

        const ids = [];
        for (let i = 0; i < 6; i++) {
          const res = await post(port, "/jobs", { kind: `demo-${i}`, payload: { sleep_ms: 100 } });
          assert.equal(res.status, 202, res.text);
          assert.equal(res.json?.state, "queued", res.text);
          assert.equal(typeof res.json.id, "string", `the id must be a string: ${res.text}`);
          assert.equal(res.headers.get("location"), `/jobs/${res.json.id}`);
          ids.push(res.json.id);
        }
        const first = await get(port, `/jobs/${ids[0]}`);
        assert.deepEqual(first.json, { id: ids[0], kind: "demo-0", state: "queued", attempts: 0 });

        const workers = [await start("worker"), await start("worker")];
        for (const id of ids) {
          await until(async () => (await get(port, `/jobs/${id}`)).json?.state === "done", 20_000,
            () => `job ${id} not done\n${workers.map((w) => w.describe()).join("\n")}`);
          const job = (await get(port, `/jobs/${id}`)).json;
          assert.equal(job.attempts, 1, JSON.stringify(job));
        }
        if (redisQueue) {
          // Each new connection costs a TCP (and TLS) handshake and AUTH. Processes that keep
          // theirs open need a few; a queue that opened one per command took 37 here.
          const opened = redisConnections() - redisBefore - 1; // the second INFO's own connection
          t.diagnostic(`Redis connections opened by web + 2 workers for 6 jobs: ${opened}`);
          assert.ok(opened <= 12, `${opened} Redis connections for 6 jobs: the queue must keep its connections, not open one per command`);
        }
        for (const w of workers) await w.stop();
        for (const id of ids) assert.equal(doneLines(workers, id).length, 1, `job ${id} must be logged done once\n${workers.map((w) => w.describe()).join("\n")}`);
        await proc.stop();
      });

      if (redisQueue) {
        it("Redis restarts under running processes (data kept, then empty): the first POST /jobs after it is accepted and done", async () => {
          const { proc, port } = await web();
          const worker = await start("worker");
          // One job first, so both processes hold connections (or a pool) that the restart breaks.
          const warm = await post(port, "/jobs", { kind: "before-restart", payload: {} });
          assert.equal(warm.status, 202, warm.text);
          await until(async () => (await get(port, `/jobs/${warm.json.id}`)).json?.state === "done", 10_000, () => worker.describe());
          await servers.restartRedis();
          const job = await post(port, "/jobs", { kind: "after-restart", payload: {} });
          assert.equal(job.status, 202, `the first POST /jobs after a Redis restart: ${job.text}\n${proc.describe()}`);
          const ready = await get(port, "/ready");
          assert.equal(ready.status, 200, `/ready after a Redis restart: ${ready.text}\n${proc.describe()}`);
          assert.equal(ready.json?.checks?.redis, "ok", ready.text);
          await until(async () => (await get(port, `/jobs/${job.json.id}`)).json?.state === "done", 10_000,
            () => `the job enqueued after the restart was not done\n${worker.describe()}`);
          // A Redis without persistence comes back empty: the worker must create its consumer
          // group again (the queued jobs are lost with the data; new ones must still run).
          await servers.stopRedis();
          await servers.startRedis();
          const fresh = await post(port, "/jobs", { kind: "after-empty-restart", payload: {} });
          assert.equal(fresh.status, 202, `the first POST /jobs after Redis restarted empty: ${fresh.text}\n${proc.describe()}`);
          await until(async () => (await get(port, `/jobs/${fresh.json.id}`)).json?.state === "done", 10_000,
            () => `the job enqueued after Redis restarted empty was not done\n${worker.describe()}`);
          await worker.stop();
          await proc.stop();
        });
      }

      it("a worker killed mid-job: another worker retries it exactly once", async () => {
        const { proc, port } = await web();
        const a = await start("worker");
        const job = await post(port, "/jobs", { kind: "slow", payload: { sleep_ms: 3000 } });
        assert.equal(job.status, 202, job.text);
        const id = job.json.id;
        await until(async () => (await get(port, `/jobs/${id}`)).json?.state === "running", 5000,
          () => `the worker never took job ${id} (GET /jobs/${id} must say "running" while it works)\n${a.describe()}`);
        a.child.kill("SIGKILL");
        await a.exit(5000);
        const b = await start("worker");
        await until(async () => (await get(port, `/jobs/${id}`)).json?.state === "done", 20_000,
          () => `job ${id} was not retried to done\n${b.describe()}`);
        const done = (await get(port, `/jobs/${id}`)).json;
        assert.equal(done.attempts, 2, `attempts counts takes: ${JSON.stringify(done)}`);
        await sleep(2500); // longer than JOB_CLAIM_IDLE_MS: a duplicate would show now
        await b.stop();
        assert.equal(doneLines([a, b], id).length, 1, `logged done more than once or never\n${a.describe()}\n${b.describe()}`);
        assert.equal(doneLines([b], id)[0].attempts, 2, b.describe());
        assert.equal((await get(port, `/jobs/${id}`)).json.attempts, 2, "taken again after it was done");
        await proc.stop();
      });

      it("a job longer than JOB_CLAIM_IDLE_MS runs once while its worker lives", async () => {
        const { proc, port } = await web();
        const workers = [await start("worker"), await start("worker")];
        // 2.5 times the proof's JOB_CLAIM_IDLE_MS: the worker must keep its claim while it works.
        const { json } = await post(port, "/jobs", { kind: "long", payload: { sleep_ms: 5000 } });
        await until(async () => (await get(port, `/jobs/${json.id}`)).json?.state === "done", 20_000,
          () => workers.map((w) => w.describe()).join("\n"));
        await sleep(500);
        for (const w of workers) await w.stop();
        const job = (await get(port, `/jobs/${json.id}`)).json;
        assert.equal(job.attempts, 1, `taken again while its worker still ran it: ${JSON.stringify(job)}`);
        assert.equal(doneLines(workers, json.id).length, 1, workers.map((w) => w.describe()).join("\n"));
        await proc.stop();
      });

      it("a worker stopped mid-job finishes it or puts it back: never lost, never duplicated", async () => {
        const { proc, port } = await web();
        const c = await start("worker");
        const { json } = await post(port, "/jobs", { kind: "slow", payload: { sleep_ms: 1500 } });
        await until(async () => (await get(port, `/jobs/${json.id}`)).json?.state === "running", 5000, () => c.describe());
        await c.stop();
        const d = await start("worker");
        await until(async () => (await get(port, `/jobs/${json.id}`)).json?.state === "done", 20_000, () => d.describe());
        await sleep(500);
        await d.stop();
        assert.equal(doneLines([c, d], json.id).length, 1, `${c.describe()}\n${d.describe()}`);
        await proc.stop();
      });

      it("the scheduler enqueues a job per SCHEDULE_INTERVAL", async () => {
        const scheduler = await start("scheduler");
        const count = () =>
          variant.postgres
            ? Number(servers.query(services.DATABASE_URL, "SELECT count(*) FROM jobs WHERE kind = 'scheduled'"))
            : servers.redisCli("--scan", "--pattern", "job:*").split("\n").filter(Boolean)
                .filter((key) => servers.redisCli("HGET", key, "kind") === "scheduled").length;
        await until(() => count() >= 2, 6000, () => `fewer than 2 scheduled jobs in 6 s at SCHEDULE_INTERVAL=1\n${scheduler.describe()}`);
        await scheduler.stop();
      });
    }

    it("drains an in-flight request on SIGTERM, survives a malformed request, exits 0, logs only JSON", async () => {
      const { proc, port } = await web();
      const answer = await new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.write("GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        let data = "";
        socket.on("data", (d) => (data += d));
        socket.on("close", () => resolve(data));
        socket.on("error", () => resolve(data));
        socket.setTimeout(5000, () => socket.destroy());
      });
      assert.match(answer, /^HTTP\/1\.[01] [45]\d\d/, `no error status for a malformed request: ${JSON.stringify(answer)}`);
      const silent = net.connect(port, "127.0.0.1");
      silent.on("error", () => {});
      await new Promise((resolve) => silent.once("connect", resolve));
      const slow = get(port, "/demo/slow?ms=2000", 15_000);
      await sleep(500);
      const signalled = Date.now();
      proc.child.kill("SIGTERM");
      const res = await slow;
      assert.equal(res.status, 200, `the in-flight request failed: ${res.text}\n${proc.describe()}`);
      const lines = await proc.stop();
      silent.destroy();
      assert.ok(Date.now() - signalled < STOP_DEADLINE_MS);
      assert.ok(lines.some((l) => JSON.stringify(l).includes("/demo/slow")), `no log line for the slow request\n${proc.describe()}`);
    });

    if (variant.worker) {
      it("an unknown role exits 2", async () => {
        const result = await runToEnd(types.worker.replace(/\bworker\s*$/, "no-such-role"));
        assert.equal(result.code, 2, result.proc.describe());
      });
    }

    it("the project's own tests pass", (t) => {
      const result = runtime.test(dir, { ...services });
      if (result.skip) return t.skip(result.skip);
      assert.equal(result.status, 0, `${result.command}\n${result.output}`);
    });

    it("the CI smoke test passes against the migrated services", async () => {
      const workflow = fs.readFileSync(path.join(dir, ".github/workflows/ci.yml"), "utf8");
      const line = /run: scripts\/smoke-test\.sh (.+)$/m.exec(workflow);
      assert.ok(line, "the workflow runs no smoke test");
      if (variant.postgres) {
        // The workflow migrates the service container's empty database before the tests.
        const migrate = /- name: Migrate[^\n]*\n\s+run: (.+)$/m.exec(workflow);
        assert.ok(migrate, "the workflow has no Migrate step");
        const fresh = await runToEnd(migrate[1], { DATABASE_URL: servers.freshDatabase(`${stack}_ci`) });
        assert.equal(fresh.code, 0, fresh.proc.describe());
      }
      const command = `bash scripts/smoke-test.sh ${runtime.command ? runtime.command(line[1]) : line[1]}`;
      const result = await runToEnd(command, {}, { json: false });
      assert.equal(result.code, 0, result.proc.describe());
      assert.match(result.proc.stdout, /\/ready answered 200/, result.proc.describe());
    });

    /** A missing variable, and an empty NAME_FILE: a JSON line naming it, a non-zero exit. */
    async function configError(name) {
      const missing = await runToEnd(types.web, { [name]: "" });
      assert.notEqual(missing.code, 0, `started without ${name}\n${missing.proc.describe()}`);
      assert.match(missing.proc.stdout, new RegExp(name), missing.proc.describe());
      const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tfstudio-secret-")), "secret");
      fs.writeFileSync(empty, "\n");
      const fromFile = await runToEnd(types.web, { [name]: "", [`${name}_FILE`]: empty });
      assert.notEqual(fromFile.code, 0, fromFile.proc.describe());
      assert.match(fromFile.proc.stdout, new RegExp(`${name} is required`), fromFile.proc.describe());
    }
  });
}
