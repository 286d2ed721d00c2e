// Rust: cargo builds every variant's project in one persistent target directory, so the
// dependencies (axum, tokio, sqlx, redis, rustls) are compiled once and reused across variants
// and across runs. RUST_STARTER_TARGET moves it (default
// ~/.cache/twelve-factor-studio/rust-starter-target). The release binary is then copied where the
// Procfile expects it (./target/release/<name>). The project's own tests run in the release
// profile too, so they reuse the same compiled dependencies. Every variant must be rustfmt-clean,
// build with RUSTFLAGS=-D warnings and pass clippy -D warnings: each combination of services
// compiles different code (the Redis queue only without PostgreSQL, the 503 /jobs only with
// neither).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { must, sh, which } from "./common.mjs";

const TARGET = process.env.RUST_STARTER_TARGET || path.join(os.homedir(), ".cache/twelve-factor-studio/rust-starter-target");
const env = { CARGO_TARGET_DIR: TARGET, RUSTFLAGS: "-D warnings" };

const cargo = (args) => `cargo ${args}`;

/** The package (and binary) name from Cargo.toml. */
const packageName = (dir) => /^name = "(.+)"$/m.exec(fs.readFileSync(path.join(dir, "Cargo.toml"), "utf8"))[1];

/**
 * sqlx::migrate! embeds migrations/ at compile time: adding or removing a migration must rebuild
 * the app (build.rs), or a release would ship without it. Checked with `cargo check`, which
 * decides what to rebuild the same way as `cargo build`.
 */
function rebuildsForNewMigrations(dir) {
  const name = packageName(dir);
  const rebuilt = new RegExp(`(Compiling|Checking) ${name} `);
  must(dir, cargo("check --release --locked --quiet"), env);
  const files = ["up", "down"].map((step) => path.join(dir, `migrations/9999_rebuild_probe.${step}.sql`));
  for (const file of files) fs.writeFileSync(file, "SELECT 1;\n");
  const added = must(dir, cargo("check --release --locked"), env).output;
  for (const file of files) fs.rmSync(file);
  const removed = must(dir, cargo("check --release --locked"), env).output;
  if (!rebuilt.test(added) || !rebuilt.test(removed)) {
    throw new Error(`adding or removing a migration did not rebuild ${name}:\n${added}\n${removed}`);
  }
}

export default {
  contract: 14,
  missing: () => (which("cargo") ? null : "cargo is not installed"),
  // rustls-native-certs (under both sqlx and redis) reads SSL_CERT_FILE, as OpenSSL does.
  trustCa: (caFile) => ({ SSL_CERT_FILE: caFile }),
  install: (dir, variant) => {
    fs.mkdirSync(TARGET, { recursive: true });
    must(dir, cargo("fmt --check"));
    must(dir, cargo("build --release --locked --quiet"), env);
    if (variant.postgres) rebuildsForNewMigrations(dir);
    const name = packageName(dir);
    fs.mkdirSync(path.join(dir, "target/release"), { recursive: true });
    fs.copyFileSync(path.join(TARGET, "release", name), path.join(dir, "target/release", name));
    must(dir, cargo("clippy --release --locked --quiet --all-targets -- -D warnings"), env);
  },
  test: (dir) => sh(dir, cargo("test --release --locked --quiet"), env),
};
