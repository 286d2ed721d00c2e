// Go: Debian's go 1.19 on PATH builds the project offline. No module proxy is reachable here,
// so the modules go.mod requires come from Debian's packaged sources (/usr/share/gocode/src,
// golang-github-lib-pq-dev and golang-github-gomodule-redigo-dev, the same versions go.mod
// pins) as a vendor/ directory, and go builds with -mod=vendor. On a user's machine `go mod
// download` fetches the same versions from proxy.golang.org and checks them against go.sum;
// with -mod=vendor go does not read go.sum, so this proof does not check its hashes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { must, sh, which } from "./common.mjs";

const cache = path.join(os.tmpdir(), "tfstudio-go-cache");
const DEBIAN_GOCODE = "/usr/share/gocode/src";

/** Offline, local-toolchain settings for every go command. */
const goEnv = () => ({
  GOTOOLCHAIN: "local",
  GOFLAGS: "-mod=vendor",
  GOPROXY: "off",
  GOCACHE: path.join(cache, "build"),
  GOPATH: path.join(cache, "gopath"),
});

/** `module version` pairs from go.mod's require block. */
function requirements(dir) {
  const text = fs.readFileSync(path.join(dir, "go.mod"), "utf8");
  return [...text.matchAll(/^\s+(\S+) (v\S+)$/gm)].map(([, module, version]) => ({ module, version }));
}

/** The `go` directive of a module's own go.mod (vendor/modules.txt records it). */
function goDirective(moduleDir) {
  const text = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  return /^go (\S+)$/m.exec(text)[1];
}

/** Import paths under moduleDir with non-test Go files. */
function packages(module, moduleDir) {
  const found = [];
  const walk = (rel) => {
    const entries = fs.readdirSync(path.join(moduleDir, rel), { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith(".go") && !e.name.endsWith("_test.go"))) {
      found.push(rel ? `${module}/${rel}` : module);
    }
    for (const e of entries) {
      if (e.isDirectory() && !["testdata", "example", "examples"].includes(e.name)) walk(rel ? `${rel}/${e.name}` : e.name);
    }
  };
  walk("");
  return found;
}

/** vendor/ from Debian's sources, with the modules.txt go checks against go.mod. */
function vendorFromDebian(dir) {
  const vendor = path.join(dir, "vendor");
  fs.rmSync(vendor, { recursive: true, force: true });
  const lines = [];
  for (const { module, version } of requirements(dir)) {
    const source = path.join(DEBIAN_GOCODE, module);
    if (!fs.existsSync(source)) throw new Error(`${module} ${version}: not in ${DEBIAN_GOCODE}; install its Debian package`);
    fs.cpSync(source, path.join(vendor, module), { recursive: true, dereference: true });
    lines.push(`# ${module} ${version}`, `## explicit; go ${goDirective(source)}`, ...packages(module, source));
  }
  if (lines.length) fs.writeFileSync(path.join(vendor, "modules.txt"), `${lines.join("\n")}\n`);
}

export default {
  contract: 14,
  missing: () => (which("go") ? null : "go is not installed"),
  // Go's crypto/x509 reads SSL_CERT_FILE on Linux, as OpenSSL does.
  trustCa: (caFile) => ({ SSL_CERT_FILE: caFile }),
  install: (dir) => {
    vendorFromDebian(dir);
    const unformatted = must(dir, "gofmt -l $(ls *.go)").output.trim();
    if (unformatted) throw new Error(`gofmt -l lists files that are not gofmt-clean:\n${unformatted}`);
    must(dir, "go vet . && go build -o server .", goEnv());
  },
  test: (dir) => sh(dir, "go test .", goEnv()),
};
