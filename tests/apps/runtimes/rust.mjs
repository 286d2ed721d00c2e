// Rust: cargo builds the project in its own ./target, where the Procfile expects the binary. The
// project has no dependencies, so nothing is fetched. Warnings fail the install: the scaffold
// must compile cleanly whichever options generated it.
import { must, sh, which } from "./common.mjs";

/** Build in the project's own ./target (as the Procfile expects), whatever the caller set. */
const env = { CARGO_TARGET_DIR: undefined };

export default {
  // The standard library has no TLS: for rediss:// the probe only checks the port accepts connections.
  plainRediss: "no TLS in Rust's standard library, so a rediss:// probe only connects; the certificate is not checked",
  missing: () => (which("cargo") ? null : "cargo is not installed"),
  install: (dir) => {
    must(dir, "cargo build --release --locked --quiet", { ...env, RUSTFLAGS: "-D warnings" });
    if (sh(dir, "cargo clippy --version", env).status === 0) {
      must(dir, "cargo clippy --locked --quiet --all-targets -- -D warnings", env);
    }
  },
  test: (dir) => sh(dir, "cargo test --locked", env),
};
