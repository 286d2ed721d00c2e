//! {{ name }}: the build script. `sqlx::migrate!` embeds migrations/ in the binary at compile
//! time, but Cargo rebuilds only when a Rust file changes; this makes a migration added to (or
//! removed from) migrations/ rebuild the binary too, so a release carries every migration.
//! Serves factor V (build, release, run).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
