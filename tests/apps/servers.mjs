// Real backing services for the apps' proof: PostgreSQL 15 and Redis 7 from Debian's packages,
// on loopback, on free ports, in temporary directories, stopped when the process exits (also
// when a test fails or the run is interrupted).
//
// PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as `nobody` in a directory
// it owns; as any other user they run as that user. Logins use scram-sha-256 (pg_hba has no
// `trust` line), so a wrong password is refused exactly as a managed database would refuse it.
// Redis requires a password and listens twice: plain, and TLS with a certificate signed by a
// throwaway CA made here with openssl (CA:TRUE), the server certificate CA:FALSE for
// 127.0.0.1 and localhost.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const PG_PASSWORD = "proof-pg-secret";
const REDIS_PASSWORD = "proof-redis-secret";
const PG_USER = "app";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every cleanup still to run; run synchronously at exit, whatever ended the process. */
const cleanups = new Set();
function runCleanups() {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // best effort: the next cleanup must still run
    }
    cleanups.delete(cleanup);
  }
}
process.on("exit", runCleanups);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    runCleanups();
    process.kill(process.pid, signal);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The PostgreSQL 15 binaries: Debian keeps them out of PATH. */
function pgBin(program) {
  const debian = `/usr/lib/postgresql/15/bin/${program}`;
  return fs.existsSync(debian) ? debian : program;
}

/** What is missing to start the servers, or null. */
export function serversMissing() {
  const need = [
    [pgBin("initdb"), "postgresql-15 (initdb)"],
    [pgBin("pg_ctl"), "postgresql-15 (pg_ctl)"],
    ["psql", "postgresql-client (psql)"],
    ["redis-server", "redis-server"],
    ["redis-cli", "redis-tools (redis-cli)"],
    ["openssl", "openssl"],
  ];
  const absent = need.filter(([program]) => spawnSync("sh", ["-c", `command -v ${program}`]).status !== 0);
  return absent.length ? `not installed: ${absent.map(([, pkg]) => pkg).join(", ")}` : null;
}

/** As root: the command run as `nobody` (setpriv execs, so the pid is the program's own). */
function asPgUser(argv) {
  if (process.getuid?.() !== 0) return argv;
  return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", ...argv];
}

function run(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", ...options });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

async function startPostgres(root) {
  const dir = path.join(root, "pg");
  fs.mkdirSync(dir, { mode: 0o700 });
  const pwfile = path.join(dir, "pwfile");
  fs.writeFileSync(pwfile, `${PG_PASSWORD}\n`);
  if (process.getuid?.() === 0) {
    fs.chmodSync(root, 0o755);
    run(["chown", "-R", "nobody:nogroup", dir]);
  }
  const data = path.join(dir, "data");
  run(asPgUser([pgBin("initdb"), "-D", data, "-U", "postgres", "--pwfile", pwfile, "--auth=scram-sha-256",
    "--encoding=UTF8", "--locale=C", "--no-sync"]));
  const port = await freePort();
  // Unix sockets in our own directory; TCP only on loopback.
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
  const pgCtl = (...args) => asPgUser([pgBin("pg_ctl"), "-D", data, ...args]);
  run(pgCtl("-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"));
  const stopArgv = pgCtl("-m", "immediate", "-w", "stop");
  cleanups.add(() => spawnSync(stopArgv[0], stopArgv.slice(1), { stdio: "ignore" }));
  const url = (user, password, db) => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;
  const sql = (statement, db = "postgres") =>
    run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", statement, url("postgres", PG_PASSWORD, db)]).trim();
  sql(`CREATE ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}'`);
  sql(`CREATE DATABASE app OWNER ${PG_USER}`);
  let databases = 0;
  return {
    port,
    /** A fast shutdown (every session is ended, as a restart or failover ends them), then back on the same port. */
    stopPostgres: () => run(pgCtl("-m", "fast", "-w", "-t", "30", "stop")),
    startPostgres: () => run(pgCtl("-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "30", "start")),
    databaseUrl: url(PG_USER, PG_PASSWORD, "app"),
    wrongPasswordDatabaseUrl: url(PG_USER, "not-the-password", "app"),
    missingDatabaseUrl: url(PG_USER, PG_PASSWORD, "no_such_database"),
    /** A new, empty database owned by the app's role; returns its URL. */
    freshDatabase(label = "db") {
      const name = `${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${++databases}`;
      sql(`CREATE DATABASE ${name} OWNER ${PG_USER}`);
      return url(PG_USER, PG_PASSWORD, name);
    },
    /** Runs one statement as the app's role in the database of `databaseUrl`; returns psql's unaligned output. */
    query(databaseUrl, statement) {
      return run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", statement, databaseUrl]).trim();
    },
  };
}

/** A CA (CA:TRUE) and a server certificate it signs (CA:FALSE) for 127.0.0.1 and localhost. */
function makeCertificates(dir) {
  const f = (name) => path.join(dir, name);
  const openssl = (...args) => run(["openssl", ...args]);
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-keyout", f("ca.key"), "-out", f("ca.crt"), "-subj", "/CN=Twelve-Factor Studio proof CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost");
  fs.writeFileSync(f("server.ext"), [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ].join("\n"));
  openssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial",
    "-days", "2", "-extfile", f("server.ext"), "-out", f("server.crt"));
  return { caFile: f("ca.crt"), certFile: f("server.crt"), keyFile: f("server.key") };
}

async function waitForPort(port, child, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) before listening`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not listen on ${port} within ${ms} ms`);
}

async function startRedisServer(root) {
  const dir = path.join(root, "redis");
  fs.mkdirSync(dir);
  const certs = makeCertificates(dir);
  const port = await freePort();
  const tlsPort = await freePort();
  let child = null;
  const args = [
    "--bind", "127.0.0.1", "-::1", "--port", String(port), "--requirepass", REDIS_PASSWORD,
    "--tls-port", String(tlsPort), "--tls-cert-file", certs.certFile, "--tls-key-file", certs.keyFile,
    "--tls-ca-cert-file", certs.caFile, "--tls-auth-clients", "no",
    "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--logfile", path.join(dir, "log"),
  ];
  const kill = () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  };
  cleanups.add(kill);
  const start = async () => {
    child = spawn("redis-server", args, { stdio: "ignore" });
    await waitForPort(port, child);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  const url = (password, p = port, scheme = "redis", host = "127.0.0.1") =>
    `${scheme}://${password ? `:${password}@` : ""}${host}:${p}/0`;
  return {
    port,
    tlsPort,
    caFile: certs.caFile,
    /** The CA in a PKCS12 trust store (password "changeit") for the JVM; needs the JDK's keytool. */
    javaTrustStore() {
      const store = path.join(dir, "trust.p12");
      if (!fs.existsSync(store)) {
        run(["keytool", "-importcert", "-noprompt", "-alias", "proof-ca", "-file", certs.caFile, "-keystore", store,
          "-storetype", "PKCS12", "-storepass", "changeit"]);
      }
      return store;
    },
    redisUrl: url(REDIS_PASSWORD),
    redisTlsUrl: url(REDIS_PASSWORD, tlsPort, "rediss", "localhost"),
    wrongPasswordRedisUrl: url("not-the-password"),
    startRedis: start,
    stopRedis: stop,
    /**
     * A restart that keeps the data, as a failover to a replica or a redeploy of a persistent
     * Redis does: every client's connection breaks, the queue's keys survive. The snapshot is
     * removed afterwards so that a later stopRedis()/startRedis() starts empty as before.
     */
    restartRedis: async () => {
      run(["redis-cli", "-p", String(port), "--no-auth-warning", "-a", REDIS_PASSWORD, "SAVE"]);
      await stop();
      await start();
      // Redis listens before it has loaded the snapshot (and answers LOADING meanwhile).
      const cli = ["redis-cli", "-p", String(port), "--no-auth-warning", "-a", REDIS_PASSWORD, "PING"];
      while (run(cli).trim() !== "PONG") await sleep(20);
      fs.rmSync(path.join(dir, "dump.rdb"), { force: true });
    },
    /** Runs one redis-cli command against the plain port; returns its output. */
    redisCli: (...words) => run(["redis-cli", "-p", String(port), "--no-auth-warning", "-a", REDIS_PASSWORD, ...words]).trim(),
    stop: async () => {
      await stop();
      cleanups.delete(kill);
    },
  };
}

/**
 * Starts the chosen servers. Returns their URLs (the right password, a wrong one, a database
 * that does not exist), Redis's TLS URL (rediss://, trusted through `caFile`), stopRedis() and
 * startRedis() (the same ports again), restartRedis() (keeping the data), stopPostgres() and
 * startPostgres() (the same port, the data kept), freshDatabase(label), query(url, sql), redisCli(...words),
 * flushRedis(), and stop().
 */
export async function startServers({ postgres = true, redis = true } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tfstudio-servers-"));
  const removeRoot = () => fs.rmSync(root, { recursive: true, force: true });
  cleanups.add(removeRoot);
  const result = { root };
  try {
    if (postgres) Object.assign(result, await startPostgres(root));
    if (redis) {
      const r = await startRedisServer(root);
      Object.assign(result, r, { stopRedisServer: r.stop });
      result.flushRedis = () => r.redisCli("FLUSHALL");
    }
  } catch (err) {
    runCleanups();
    throw err;
  }
  result.stop = async () => {
    if (result.stopRedisServer) await result.stopRedisServer();
    runCleanups();
  };
  return result;
}
