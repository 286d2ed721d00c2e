// Node.js: the runtime that runs these tests. Each variant's project installs from its own
// package-lock.json with `npm ci`; npm's cache (filled by the first variant, from the registry)
// serves the others, so the dependencies are fetched once per run.
import { must, sh } from "./common.mjs";

export default {
  contract: 14,
  missing: () => null,
  install: (dir) => must(dir, "npm ci --prefer-offline --no-audit --no-fund --loglevel=error"),
  // Node verifies rediss:// against its bundled CAs plus NODE_EXTRA_CA_CERTS.
  trustCa: (caFile) => ({ NODE_EXTRA_CA_CERTS: caFile }),
  // Not as a child of this node --test run (NODE_TEST_CONTEXT), which would swallow its result.
  test: (dir, services) => sh(dir, "env -u NODE_TEST_CONTEXT npm test --silent", services),
};
