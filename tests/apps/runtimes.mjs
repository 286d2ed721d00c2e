// What each stack needs on this machine, one file a stack (runtimes/<stack>.mjs). The proof
// (apps.test.mjs) calls these hooks:
//   contract: 14              the stack keeps issue #14's contract; without it the stack is skipped
//   missing()                 why the stack cannot run here (its runtime is absent), or null
//   prepare()                 optional, once per run: build what every variant reuses (dependency
//                             caches, a shared venv or module cache), so variants install fast
//   install(dir, variant)     install and build one generated project (variant: {id, postgres,
//                             redis, worker, scheduler, release}); throw on failure
//   trustCa(caFile)           the environment that makes the app trust the proof's CA for rediss://
//                             (e.g. NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, a JVM trust store)
//   command(procfileCommand)  optional: how this machine runs a Procfile command
//   path(dir), env(dir)       optional: PATH entry and variables every process gets
//   test(dir, services)       run the project's own tests (services: DATABASE_URL, REDIS_URL of
//                             the variant); returns {status, output, command} or {skip: reason}
import go from "./runtimes/go.mjs";
import java from "./runtimes/java.mjs";
import node from "./runtimes/node.mjs";
import python from "./runtimes/python.mjs";
import ruby from "./runtimes/ruby.mjs";
import rust from "./runtimes/rust.mjs";

export const runtimes = { node, python, go, rust, java, ruby };
