// Regenerates templates/app/node/package-lock.json, the Node starter's lock file, from the npm
// registry. The starter's dependencies depend on the services chosen (pg and node-pg-migrate for
// PostgreSQL, @redis/client for Redis), so the lock is a template: this renders package.json for
// each combination with the CLI, lets npm resolve each one (`npm install --package-lock-only`),
// and writes one lock whose entries are wrapped in `{% if %}` by the combinations that need them.
// It fails if two combinations resolve the same package differently.
//
//   cargo build --bin tfstudio && node tools/node-starter-lock.mjs
//
// Run it after changing a version in templates/app/node/package.json; then refresh the expected
// outputs (UPDATE_EXPECT=1 cargo test --test generate) and run `make test-apps`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = process.env.TFSTUDIO_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, "target"), "debug/tfstudio");
const OUT = path.join(ROOT, "templates/app/node/package-lock.json");
const NAME = "lock-template-name";
const RUNTIME = "22";

/** The four combinations, in the order of the root entry's if/elif/else chain. */
const COMBOS = [
  { postgres: true, redis: true, when: "if postgres and redis" },
  { postgres: true, redis: false, when: "elif postgres" },
  { postgres: false, redis: true, when: "elif redis" },
  { postgres: false, redis: false, when: "else" },
];
/** Conditions for a package needed by some combinations, simplest first. */
const CONDITIONS = [
  ["postgres or redis", (c) => c.postgres || c.redis],
  ["postgres", (c) => c.postgres],
  ["redis", (c) => c.redis],
  ["postgres and redis", (c) => c.postgres && c.redis],
];

function lockFor(combo) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "node-lock-"));
  try {
    const spec = {
      name: NAME,
      description: "lock",
      stack: "node",
      runtime_version: RUNTIME,
      port: 8080,
      processes: { worker: false, scheduler: false, release: false },
      services: { postgres: combo.postgres, redis: combo.redis },
      ci: "github_actions",
      registry: "ghcr",
    };
    fs.writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec));
    execFileSync(CLI, ["generate", "--spec", path.join(dir, "spec.json"), "--out", dir], { stdio: "pipe" });
    const project = path.join(dir, NAME);
    // Resolve from package.json alone, not from the lock this tool wrote last time.
    fs.rmSync(path.join(project, "package-lock.json"));
    execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: project,
      stdio: "inherit",
    });
    return JSON.parse(fs.readFileSync(path.join(project, "package-lock.json"), "utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An entry as npm writes it inside "packages" (4 spaces in), with the template's variables. */
function entryText(key, value) {
  const text = JSON.stringify({ [key]: value }, null, 2).split("\n").slice(1, -1).map((l) => `  ${l}`).join("\n");
  return text.replaceAll(NAME, "{{ name }}").replaceAll(`">=${RUNTIME}"`, '">={{ runtime_version }}"');
}

function main() {
  const locks = COMBOS.map(lockFor);
  const entries = new Map();
  for (const [i, lock] of locks.entries()) {
    for (const [key, value] of Object.entries(lock.packages)) {
      if (key === "") continue;
      const seen = entries.get(key);
      if (seen && JSON.stringify(seen.value) !== JSON.stringify(value)) {
        throw new Error(`${key} resolves differently with ${COMBOS[i].when} than with ${COMBOS[seen.combos[0]].when}`);
      }
      entries.set(key, { value, combos: [...(seen?.combos ?? []), i] });
    }
  }
  const root = COMBOS.map((c, i) => `{%- ${c.when} %}\n${entryText("", locks[i].packages[""])}`);
  const lines = [
    "{",
    `  "name": "{{ name }}",`,
    `  "version": "${locks[0].version}",`,
    `  "lockfileVersion": ${locks[0].lockfileVersion},`,
    `  "requires": true,`,
    `  "packages": {`,
    `${root.join("\n")}\n{%- endif %}`,
  ];
  for (const key of [...entries.keys()].sort()) {
    const { value, combos } = entries.get(key);
    const condition = CONDITIONS.find(([, holds]) => COMBOS.every((c, i) => holds(c) === combos.includes(i)));
    if (!condition) throw new Error(`${key} is needed by an unusual set of combinations: ${combos.map((i) => COMBOS[i].when).join("; ")}`);
    lines.push(`{%- if ${condition[0]} %},\n${entryText(key, value)}\n{%- endif %}`);
  }
  lines.push("  }", "}", "");
  fs.writeFileSync(OUT, lines.join("\n"));
  console.log(`wrote ${path.relative(ROOT, OUT)}: ${entries.size} packages`);
}

main();
