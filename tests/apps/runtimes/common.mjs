// Helpers the per-stack runtime descriptions share.
import { spawnSync } from "node:child_process";

/** The path of `program` on PATH, or null. */
export function which(program) {
  const r = spawnSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Runs a shell command in `dir`; returns its status and combined output. */
export function sh(dir, command, env = {}) {
  const r = spawnSync("sh", ["-c", `${command} 2>&1`], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, output: r.stdout, command };
}

/** Like sh, but throws (failing the suite's setup) with the output when the command fails. */
export function must(dir, command, env = {}) {
  const r = sh(dir, command, env);
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}):\n${r.output}`);
  return r;
}
