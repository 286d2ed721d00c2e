// Proof that generated projects run: for every stack whose runtime is on this machine, generate
// a project (PostgreSQL, Redis, worker, scheduler and release phase all chosen), install its
// dependencies, start its processes exactly as the Procfile says, and check the twelve-factor
// contract from the outside. Stacks without a runtime here say so and are skipped.
//
//   node --test tests/apps/                      every stack
//   PROVE_STACKS=go,rust node --test tests/apps/ some stacks
//   PROVE_DIR=/tmp/x PROVE_STACKS=go ...         an already generated project (template work)
//   PROVE_KEEP=1                                 keep the generated projects and print where
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import tls from "node:tls";
import { fileURLToPath } from "node:url";

import { which } from "./runtimes/common.mjs";
import { runtimes } from "./runtimes.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = process.env.TFSTUDIO_BIN || path.join(ROOT, "target/debug/tfstudio");
// Every stack with a runtime proof (runtimes.mjs), unless PROVE_STACKS names some.
const STACKS = (process.env.PROVE_STACKS || Object.keys(runtimes).join(",")).split(",").filter(Boolean);
const NAME = "proof-service";
/** The exit deadline after SIGTERM the issue sets. */
const STOP_DEADLINE_MS = 10_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A stand-in PostgreSQL: answers an SSLRequest with "N", as a server without TLS does. */
async function fakePostgres() {
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", (data) => {
      if (data.length >= 8 && data.readUInt32BE(4) === 80877103) socket.write("N");
      else socket.destroy();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/**
 * A stand-in Redis: answers AUTH with +OK and PING with +PONG. The two replies go out 50 ms
 * apart, as separate packets, so a client must read until its PING is answered.
 */
async function fakeRedis() {
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.on("data", (data) => {
      const text = data.toString().toUpperCase();
      const auth = text.includes("AUTH");
      if (auth) socket.write("+OK\r\n");
      if (text.includes("PING")) setTimeout(() => socket.writable && socket.write("+PONG\r\n"), auth ? 50 : 0);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/**
 * A stand-in Redis over TLS (rediss://), with a throwaway certificate for `localhost`. Returns
 * the server and the environment that makes each runtime trust the certificate.
 */
async function fakeRedisTls(dir) {
  const key = path.join(dir, "redis-key.pem");
  const cert = path.join(dir, "redis-cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], { stdio: "pipe" });
  const store = path.join(dir, "redis-trust.p12");
  execFileSync("keytool", ["-importcert", "-noprompt", "-alias", "redis", "-file", cert, "-keystore", store,
    "-storetype", "PKCS12", "-storepass", "changeit"], { stdio: "pipe" });
  const server = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (socket) => {
    socket.on("error", () => {});
    socket.on("data", (data) => {
      const text = data.toString().toUpperCase();
      if (text.includes("AUTH")) socket.write("+OK\r\n");
      if (text.includes("PING")) socket.write("+PONG\r\n");
    });
  });
  server.on("tlsClientError", () => {});
  // No host: both 127.0.0.1 and ::1, whichever `localhost` resolves to first.
  await new Promise((resolve) => server.listen(0, resolve));
  const trust = {
    NODE_EXTRA_CA_CERTS: cert,
    SSL_CERT_FILE: cert,
    JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12`,
  };
  return { server, trust };
}

function closeServer(server) {
  return new Promise((resolve) => server.close(() => resolve()));
}

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
 * the Procfile's `PORT=${PORT:-...}` prefix works and SIGTERM reaches the app itself.
 */
class Proc {
  constructor(command, cwd, env) {
    this.command = command;
    this.stdout = "";
    this.stderr = "";
    this.child = spawn("sh", ["-c", `exec env ${command}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout.on("data", (d) => (this.stdout += d));
    this.child.stderr.on("data", (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  lines() {
    return this.stdout.split("\n").filter((l) => l.trim() !== "");
  }

  /** Waits for the process to exit, or kills it and fails after `ms`. */
  async exit(ms) {
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result === "timeout") {
      this.child.kill("SIGKILL");
      assert.fail(`${this.command} did not exit within ${ms} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
    }
    return result;
  }

  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  describe() {
    return `${this.command}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`;
  }
}

async function get(port, pathname, timeoutMs = 5000) {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Polls /health until it answers 200 (or the process dies). */
async function waitHealthy(proc, port, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      assert.fail(`the web process exited before answering /health\n${proc.describe()}`);
    }
    try {
      const res = await get(port, "/health", 1000);
      if (res.status === 200) return res;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  proc.kill();
  assert.fail(`/health did not answer 200 within ${ms} ms\n${proc.describe()}`);
}

function assertJsonLines(proc) {
  const lines = proc.lines();
  assert.ok(lines.length > 0, `no output on stdout\n${proc.describe()}`);
  for (const line of lines) {
    let parsed;
    assert.doesNotThrow(() => (parsed = JSON.parse(line)), `not a JSON line: ${line}`);
    assert.equal(typeof parsed, "object", `not a JSON object: ${line}`);
  }
  return lines.map((l) => JSON.parse(l));
}

/** A process's environment: `.env.example`'s values, PORT, the runtime's PATH and settings, `extra`. */
function processEnv(runtime, dir, envExample, port, extra = {}) {
  return {
    PATH: runtime.path ? `${runtime.path(dir)}:${process.env.PATH}` : process.env.PATH,
    HOME: process.env.HOME,
    ...runtime.env?.(dir),
    ...envExample,
    PORT: String(port),
    ...extra,
  };
}

function generate(stack, everything = true) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tfstudio-proof-${stack}-`));
  const spec = {
    name: NAME,
    description: `Proof that the ${stack} scaffold runs.`,
    stack,
    port: 8080,
    processes: { worker: everything, scheduler: everything, release: everything },
    services: { postgres: everything, redis: everything },
    ci: "github_actions",
    registry: "ghcr",
  };
  const specPath = path.join(dir, "spec.json");
  fs.writeFileSync(specPath, JSON.stringify(spec));
  execFileSync(CLI, ["generate", "--spec", specPath, "--out", dir], { stdio: "pipe" });
  return path.join(dir, NAME);
}

for (const stack of STACKS) {
  const runtime = runtimes[stack];
  const missing = runtime ? runtime.missing() : `no runtime description for ${stack}`;
  describe(`${stack} scaffold`, { skip: missing ? `${stack}: ${missing}` : false }, () => {
    let dir;
    let types;
    let envExample;
    let running = [];
    let pg;
    let redis;

    const envFor = (port, extra) => processEnv(runtime, dir, envExample, port, extra);
    const start = (type, port, extra) => {
      const command = runtime.command ? runtime.command(types[type]) : types[type];
      const proc = new Proc(command, dir, envFor(port, extra));
      running.push(proc);
      return proc;
    };
    const localServices = () => ({
      DATABASE_URL: `postgres://app:change-me@127.0.0.1:${pg.address().port}/app`,
      REDIS_URL: `redis://:change-me@127.0.0.1:${redis.address().port}/0`,
    });

    before(async () => {
      dir = process.env.PROVE_DIR || generate(stack);
      if (process.env.PROVE_KEEP) console.log(`# ${stack} project kept in ${dir}`);
      types = procfile(fs.readFileSync(path.join(dir, "Procfile"), "utf8"));
      envExample = dotenv(fs.readFileSync(path.join(dir, ".env.example"), "utf8"));
      runtime.install(dir);
      pg = await fakePostgres();
      redis = await fakeRedis();
    });

    after(async () => {
      for (const p of running) p.kill();
      if (pg) await closeServer(pg);
      if (redis) await closeServer(redis);
      if (!process.env.PROVE_DIR && !process.env.PROVE_KEEP && dir) {
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      }
    });

    it("the Procfile declares web, worker, scheduler and release", () => {
      for (const type of ["web", "worker", "scheduler", "release"]) assert.ok(types[type], `no ${type}: line`);
    });

    it("refuses to start without a required variable, and names it", async () => {
      const port = await freePort();
      const proc = start("web", port, { DATABASE_URL: "" });
      const { code } = await proc.exit(30_000);
      assert.notEqual(code, 0, `exited 0 without DATABASE_URL\n${proc.describe()}`);
      assert.match(proc.stdout + proc.stderr, /DATABASE_URL/, proc.describe());
    });

    it("treats an empty secret file as missing, and names the variable", async () => {
      const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tfstudio-secret-")), "database_url");
      fs.writeFileSync(empty, "\n");
      const proc = start("web", await freePort(), { DATABASE_URL: "", DATABASE_URL_FILE: empty });
      const { code } = await proc.exit(30_000);
      assert.equal(code, 1, proc.describe());
      assert.match(proc.stdout, /DATABASE_URL is required/, proc.describe());
      assertJsonLines(proc);
    });

    it("an unknown role exits 2, whatever the configuration", async () => {
      const command = types.worker.replace(/worker$/, "no-such-role");
      const proc = new Proc(runtime.command ? runtime.command(command) : command, dir, envFor(await freePort(), { DATABASE_URL: "" }));
      running.push(proc);
      const { code } = await proc.exit(30_000);
      assert.equal(code, 2, proc.describe());
    });

    it("survives a malformed request, and a silent connection does not hold up a stop", async () => {
      const port = await freePort();
      const proc = start("web", port, localServices());
      await waitHealthy(proc, port);
      // A request line whose target is not a valid URL path.
      const answer = await new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => socket.write("GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        let data = "";
        socket.on("data", (d) => (data += d));
        socket.on("close", () => resolve(data));
        socket.on("error", () => resolve(data));
        socket.setTimeout(5000, () => socket.destroy());
      });
      assert.match(answer, /^HTTP\/1\.[01] [45]\d\d/, `no error status for a malformed request: ${JSON.stringify(answer)}`);
      assert.equal((await get(port, "/health")).status, 200, `the app died after a malformed request\n${proc.describe()}`);
      // A connection that never sends anything (a load balancer's pre-connect, say).
      const silent = net.connect(port, "127.0.0.1");
      silent.on("error", () => {});
      await new Promise((resolve) => silent.once("connect", resolve));
      await sleep(200);
      proc.child.kill("SIGTERM");
      const { code } = await proc.exit(STOP_DEADLINE_MS);
      silent.destroy();
      assert.equal(code, 0, proc.describe());
      assertJsonLines(proc);
    });

    it("serves /health on $PORT with .env.example defaults; /ready says which service is missing", async () => {
      const port = await freePort();
      const proc = start("web", port);
      const health = await waitHealthy(proc, port);
      assert.equal(health.json?.status, "ok");
      // .env.example points at the compose hosts `db` and `redis`, which do not exist here.
      const ready = await get(port, "/ready");
      assert.equal(ready.status, 503, ready.text);
      assert.ok(ready.json, `/ready is not JSON: ${ready.text}`);
      assert.notEqual(ready.json.checks?.postgres, "ok", ready.text);
      assert.notEqual(ready.json.checks?.redis, "ok", ready.text);
      proc.child.kill("SIGTERM");
      const { code } = await proc.exit(STOP_DEADLINE_MS);
      assert.equal(code, 0, proc.describe());
      const lines = assertJsonLines(proc);
      assert.ok(lines.some((l) => JSON.stringify(l).includes("/ready")), `no request log line for /ready\n${proc.describe()}`);
    });

    it("/ready turns 200 when the services answer, and 503 naming Redis when it goes away", async () => {
      const port = await freePort();
      const proc = start("web", port, localServices());
      await waitHealthy(proc, port);
      const ready = await get(port, "/ready");
      assert.equal(ready.status, 200, ready.text);
      assert.equal(ready.json.checks?.postgres, "ok", ready.text);
      assert.equal(ready.json.checks?.redis, "ok", ready.text);

      const stopped = await fakeRedis();
      const deadPort = stopped.address().port;
      await closeServer(stopped);
      proc.child.kill("SIGTERM");
      await proc.exit(STOP_DEADLINE_MS);

      const port2 = await freePort();
      const proc2 = start("web", port2, { ...localServices(), REDIS_URL: `redis://127.0.0.1:${deadPort}/0` });
      await waitHealthy(proc2, port2);
      const down = await get(port2, "/ready");
      assert.equal(down.status, 503, down.text);
      assert.equal(down.json.checks?.postgres, "ok", down.text);
      assert.notEqual(down.json.checks?.redis, "ok", down.text);
      proc2.child.kill("SIGTERM");
      await proc2.exit(STOP_DEADLINE_MS);
    });

    it("/ready speaks TLS to a rediss:// URL and checks the certificate", async (t) => {
      if (!which("openssl") || !which("keytool")) return t.skip("openssl and keytool make the test certificate");
      const { server, trust } = await fakeRedisTls(fs.mkdtempSync(path.join(os.tmpdir(), "tfstudio-tls-")));
      try {
        const url = `rediss://:change-me@localhost:${server.address().port}/0`;
        const port = await freePort();
        const proc = start("web", port, { ...localServices(), REDIS_URL: url, ...trust });
        await waitHealthy(proc, port);
        const ready = await get(port, "/ready");
        assert.equal(ready.status, 200, `${ready.text}\n${proc.describe()}`);
        assert.equal(ready.json.checks?.redis, "ok", ready.text);
        proc.child.kill("SIGTERM");
        await proc.exit(STOP_DEADLINE_MS);
        if (runtime.plainRediss) return t.diagnostic(`${stack}: ${runtime.plainRediss}`);

        // Without trusting the certificate, the handshake must fail and /ready must say so.
        const port2 = await freePort();
        const proc2 = start("web", port2, { ...localServices(), REDIS_URL: url });
        await waitHealthy(proc2, port2);
        const untrusted = await get(port2, "/ready");
        assert.equal(untrusted.status, 503, untrusted.text);
        assert.notEqual(untrusted.json.checks?.redis, "ok", untrusted.text);
        proc2.child.kill("SIGTERM");
        await proc2.exit(STOP_DEADLINE_MS);
      } finally {
        await closeServer(server);
      }
    });

    it("finishes a slow request after SIGTERM and exits 0 within 10 s", async () => {
      const port = await freePort();
      const proc = start("web", port, localServices());
      await waitHealthy(proc, port);
      const slow = get(port, "/demo/slow?ms=2000", 15_000);
      await sleep(500);
      const signalled = Date.now();
      proc.child.kill("SIGTERM");
      const res = await slow;
      assert.equal(res.status, 200, `the in-flight request failed: ${res.text}\n${proc.describe()}`);
      const { code, signal } = await proc.exit(STOP_DEADLINE_MS);
      assert.equal(signal, null, proc.describe());
      assert.equal(code, 0, proc.describe());
      assert.ok(Date.now() - signalled < STOP_DEADLINE_MS);
      const lines = assertJsonLines(proc);
      assert.ok(lines.some((l) => JSON.stringify(l).includes("/demo/slow")), `no log line for the slow request\n${proc.describe()}`);
    });

    for (const type of ["worker", "scheduler"]) {
      it(`the ${type} process logs JSON and stops cleanly on SIGTERM`, async () => {
        const proc = start(type, await freePort(), localServices());
        const deadline = Date.now() + 30_000;
        while (proc.lines().length === 0 && Date.now() < deadline && proc.child.exitCode === null) await sleep(100);
        assert.equal(proc.child.exitCode, null, `the ${type} exited on its own\n${proc.describe()}`);
        proc.child.kill("SIGTERM");
        const { code } = await proc.exit(STOP_DEADLINE_MS);
        assert.equal(code, 0, proc.describe());
        assertJsonLines(proc);
      });
    }

    it("the release command is repeatable, and fails while the database is missing", async () => {
      for (let run = 1; run <= 2; run++) {
        const proc = start("release", await freePort(), localServices());
        const { code } = await proc.exit(60_000);
        assert.equal(code, 0, `run ${run}: ${proc.describe()}`);
        assertJsonLines(proc);
      }
      const proc = start("release", await freePort());
      const { code } = await proc.exit(60_000);
      assert.notEqual(code, 0, `migrate succeeded with no database\n${proc.describe()}`);
    });

    it("the project's own tests pass", (t) => {
      const result = runtime.test(dir);
      if (result.skip) return t.skip(result.skip);
      assert.equal(result.status, 0, `${result.command}\n${result.output}`);
    });

    it("the CI smoke test passes: health, readiness with the services, clean stop", async () => {
      const workflow = fs.readFileSync(path.join(dir, ".github/workflows/ci.yml"), "utf8");
      const line = /run: scripts\/smoke-test\.sh (.+)$/m.exec(workflow);
      assert.ok(line, "the workflow runs no smoke test");
      const command = runtime.command ? runtime.command(line[1]) : line[1];
      const proc = new Proc(`bash scripts/smoke-test.sh ${command}`, dir, envFor(await freePort(), localServices()));
      running.push(proc);
      const { code } = await proc.exit(120_000);
      assert.equal(code, 0, proc.describe());
      assert.match(proc.stdout, /\/ready answered 200/, proc.describe());
      assert.match(proc.stdout, /shut down cleanly/, proc.describe());
    });
  });
}


// The other end of the options: no backing services and no extra processes. The app must still
// build, pass its own tests and be ready as soon as it listens (nothing to wait for).
for (const stack of STACKS) {
  const runtime = runtimes[stack];
  const missing = runtime ? runtime.missing() : `no runtime description for ${stack}`;
  if (process.env.PROVE_DIR) continue;
  describe(`${stack} scaffold without services or extra processes`, { skip: missing ? `${stack}: ${missing}` : false }, () => {
    let dir;
    let proc;

    before(() => {
      dir = generate(stack, false);
      if (process.env.PROVE_KEEP) console.log(`# ${stack} minimal project kept in ${dir}`);
      runtime.install(dir);
    });

    after(() => {
      proc?.kill();
      if (!process.env.PROVE_KEEP && dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    it("is ready as soon as it listens, and stops cleanly", async () => {
      const types = procfile(fs.readFileSync(path.join(dir, "Procfile"), "utf8"));
      assert.deepEqual(Object.keys(types), ["web"]);
      const port = await freePort();
      const env = dotenv(fs.readFileSync(path.join(dir, ".env.example"), "utf8"));
      const command = runtime.command ? runtime.command(types.web) : types.web;
      proc = new Proc(command, dir, processEnv(runtime, dir, env, port));
      await waitHealthy(proc, port);
      const ready = await get(port, "/ready");
      assert.equal(ready.status, 200, ready.text);
      proc.child.kill("SIGTERM");
      const { code } = await proc.exit(STOP_DEADLINE_MS);
      assert.equal(code, 0, proc.describe());
      assertJsonLines(proc);
    });

    it("the project's own tests pass", (t) => {
      const result = runtime.test(dir);
      if (result.skip) return t.skip(result.skip);
      assert.equal(result.status, 0, `${result.command}\n${result.output}`);
    });
  });
}
