// Go: Debian's go on PATH builds the project with the standard library only. The toolchain
// must not switch itself or fetch anything, and its caches live outside the generated
// project so that repeated runs are fast.
import os from "node:os";
import path from "node:path";

import { must, sh, which } from "./common.mjs";

const cache = path.join(os.tmpdir(), "tfstudio-go-cache");

/** Offline, local-toolchain settings for every go command. */
const goEnv = () => ({
  GOTOOLCHAIN: "local",
  GOFLAGS: "-mod=mod",
  GOPROXY: "off",
  GOCACHE: path.join(cache, "build"),
  GOPATH: path.join(cache, "gopath"),
});

export default {
  missing: () => (which("go") ? null : "go is not installed"),
  install: (dir) => {
    const unformatted = must(dir, "gofmt -l .").output.trim();
    if (unformatted) throw new Error(`gofmt -l lists files that are not gofmt-clean:\n${unformatted}`);
    must(dir, "go vet ./... && go build -o server .", goEnv());
  },
  test: (dir) => sh(dir, "go test ./...", goEnv()),
};
