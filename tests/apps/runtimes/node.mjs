// Node.js: the runtime that runs these tests; the project has no dependencies to fetch.
import { must, sh } from "./common.mjs";

export default {
  missing: () => null,
  install: (dir) => must(dir, "npm ci --no-audit --no-fund --loglevel=error"),
  test: (dir) => sh(dir, "npm test --silent"),
};
