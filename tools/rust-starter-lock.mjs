// Regenerates templates/app/rust/Cargo.lock, the Rust starter's lock file. The starter's
// dependencies depend on the services chosen (sqlx for PostgreSQL, redis and rustls for Redis),
// so the lock is a template: this renders the project for each combination with the CLI, lets
// cargo resolve it, and writes one lock whose [[package]] entries are wrapped in `{% if %}` by
// the combinations that have them. `cargo build --locked` compares lock files by content, not
// by text, so the entries' order does not matter.
//
//   cargo build --bin tfstudio && node tools/rust-starter-lock.mjs            keep the versions
//   cargo build --bin tfstudio && node tools/rust-starter-lock.mjs --upgrade  newest versions
//
// Reproducible: without --upgrade the versions in the current template are kept (cargo only adds
// what a changed Cargo.toml needs); the other combinations start from the full combination's lock
// and cargo only drops what they do not use. Needs crates.io. Then refresh the expected outputs
// (UPDATE_EXPECT=1 cargo test --test generate) and run `make test-apps`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = process.env.TFSTUDIO_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, "target"), "debug/tfstudio");
const OUT = path.join(ROOT, "templates/app/rust/Cargo.lock");
const NAME = "lock-template-name";

/** The combinations; the first (everything) is resolved first and seeds the others. */
const COMBOS = [
  { id: "all", postgres: true, redis: true },
  { id: "postgres", postgres: true, redis: false },
  { id: "redis", postgres: false, redis: true },
  { id: "none", postgres: false, redis: false },
];
/** The Tera condition for the set of combinations an entry appears in, simplest first. */
const CONDITIONS = [
  ["postgres or redis", (c) => c.postgres || c.redis],
  ["postgres", (c) => c.postgres],
  ["redis", (c) => c.redis],
  ["postgres and redis", (c) => c.postgres && c.redis],
  ["postgres and not redis", (c) => c.postgres && !c.redis],
  ["redis and not postgres", (c) => c.redis && !c.postgres],
  ["not postgres and not redis", (c) => !c.postgres && !c.redis],
  ["not postgres", (c) => !c.postgres],
  ["not redis", (c) => !c.redis],
];

/** A generated project for the combination, with the template's current lock rendered in it. */
function project(combo) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rust-lock-${combo.id}-`));
  const spec = {
    name: NAME,
    description: "Lock template.",
    stack: "rust",
    port: 8080,
    processes: { worker: false, scheduler: false, release: false },
    services: { postgres: combo.postgres, redis: combo.redis },
    ci: "github_actions",
    registry: "ghcr",
  };
  fs.writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec));
  execFileSync(CLI, ["generate", "--spec", path.join(dir, "spec.json"), "--out", dir], { stdio: "pipe" });
  return path.join(dir, NAME);
}

/** Lets cargo bring the project's Cargo.lock in line with its Cargo.toml, changing no more than needed. */
function resolve(dir, upgrade) {
  const cargo = (args) => execFileSync("cargo", args, { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  if (upgrade) cargo(["generate-lockfile"]);
  else cargo(["metadata", "--format-version", "1"]);
  return fs.readFileSync(path.join(dir, "Cargo.lock"), "utf8");
}

/** The header and the [[package]] entries of a lock file, the project's name made a placeholder. */
function entries(lock) {
  const [header, ...packages] = lock.replaceAll(`"${NAME}"`, '"{{ name }}"').split("\n[[package]]\n");
  return { header: header.trimEnd(), packages: packages.map((p) => `[[package]]\n${p.trim()}\n`) };
}

function condition(combos) {
  if (combos.length === COMBOS.length) return null;
  const match = CONDITIONS.find(([, test]) => COMBOS.every((c) => test(c) === combos.includes(c)));
  if (!match) throw new Error(`no condition for ${combos.map((c) => c.id).join(", ")}`);
  return match[0];
}

/** `name version` of an entry, for sorting. */
const sortKey = (entry) => /name = "(.*)"\nversion = "(.*)"/.exec(entry).slice(1).join(" ");

function main() {
  const upgrade = process.argv.includes("--upgrade");
  const dirs = COMBOS.map(project);
  const full = resolve(dirs[0], upgrade);
  const locks = [full];
  for (const dir of dirs.slice(1)) {
    fs.writeFileSync(path.join(dir, "Cargo.lock"), full);
    locks.push(resolve(dir, false));
  }
  const where = new Map(); // entry text -> combinations with it
  let header;
  locks.forEach((lock, i) => {
    const parsed = entries(lock);
    header = parsed.header;
    for (const entry of parsed.packages) where.set(entry, [...(where.get(entry) ?? []), COMBOS[i]]);
  });
  const body = [...where.entries()]
    .sort(([a], [b]) => sortKey(a).localeCompare(sortKey(b)))
    .map(([entry, combos]) => {
      const when = condition(combos);
      return when ? `{% if ${when} -%}\n${entry}\n{% endif -%}\n` : `${entry}\n`;
    });
  fs.writeFileSync(OUT, `${header}\n\n${body.join("")}`.trimEnd() + "\n");
  for (const dir of dirs) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  console.log(`wrote ${path.relative(ROOT, OUT)}: ${where.size} entries`);
}

main();
