// billing-api: the service's own tests, run by `npm test` (node:test, no extra dependencies)
// locally and in CI. They start the server on a free port and talk HTTP to it.
// Serves factor V (build, release, run: CI builds a release only from code that passes) and
// checks III (config) and IV (backing services).
"use strict";

const assert = require("node:assert/strict");
const net = require("node:net");
const { after, before, describe, it } = require("node:test");

const { createServer, loadConfig, parseJob } = require("../src/server.js");

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const silent = () => {};

describe("configuration", () => {
  it("has safe defaults for everything that is not a backing service", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://app:secret@localhost:5432/app",
      REDIS_URL: "redis://localhost:6379/0",
    });
    assert.equal(config.port, 8080);
    assert.equal(config.logLevel, "info");
  });

  it("rejects a PORT that is not a port, naming the variable", () => {
    assert.throws(() => loadConfig({ PORT: "eighty" }), /PORT/);
  });

  it("rejects a SCHEDULE_INTERVAL below one second, naming the variable", () => {
    assert.throws(() => loadConfig({ SCHEDULE_INTERVAL: "0" }), /SCHEDULE_INTERVAL/);
  });

  it("names DATABASE_URL when it is missing", () => {
    assert.throws(() => loadConfig({ REDIS_URL: "redis://localhost:6379/0" }), /DATABASE_URL is required/);
  });

  it("names REDIS_URL when it is missing", () => {
    assert.throws(() => loadConfig({ DATABASE_URL: "postgres://app:secret@localhost:5432/app" }), /REDIS_URL is required/);
  });
});

describe("jobs", () => {
  it("accepts a kind and a payload, and names what is wrong otherwise", () => {
    assert.deepEqual(parseJob('{"kind":"email","payload":{"to":"a"}}'), [null, { kind: "email", payload: { to: "a" } }]);
    assert.match(parseJob("[]")[0], /JSON object/);
    assert.match(parseJob('{"kind":""}')[0], /"kind"/);
    assert.match(parseJob(`{"kind":"${"k".repeat(65)}"}`)[0], /1 to 64/);
    assert.match(parseJob('{"kind":"k","payload":{"sleep_ms":10001}}')[0], /sleep_ms/);
  });
});

describe("http", () => {
  let server;
  let base;

  before(async () => {
    const down = await closedPort();
    const config = loadConfig({
      PORT: "1",
      DATABASE_URL: `postgres://app:secret@127.0.0.1:${down}/app`,
      REDIS_URL: `redis://127.0.0.1:${down}/0`,
    });
    server = createServer(config, silent);
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(() => server.close());

  it("answers /health with 200", async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  it("/ready reports each backing service", async () => {
    const res = await fetch(`${base}/ready`);
    const body = await res.json();
    // Nothing listens on the configured port, so the service is not ready and says why.
    assert.equal(res.status, 503);
    assert.equal(body.status, "not ready");
    assert.equal(body.checks.postgres, "refused");
    assert.equal(body.checks.redis, "refused");
  });

  it("POST /jobs refuses a body that is not a job, naming the problem", async () => {
    const res = await fetch(`${base}/jobs`, { method: "POST", body: "{not json" });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /not JSON/);
  });

  it("answers unknown paths with a JSON 404", async () => {
    const res = await fetch(`${base}/no-such-page`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error, "not found");
  });
});
