// Python: a virtualenv inside each project, as the README tells users to make, installed from
// the project's requirements.txt with its hashes. pip's cache (filled by the first variant, from
// PyPI) serves the others, so the dependencies are downloaded once per run.
import path from "node:path";

import { must, sh, which } from "./common.mjs";

const python = () => which("python3");

export default {
  contract: 14,
  missing: () => (python() ? null : "python3 is not installed"),
  install: (dir) => {
    must(dir, `${python()} -m venv .venv`);
    must(dir, ".venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt");
    must(dir, ".venv/bin/python -m compileall -q app tests");
  },
  path: (dir) => path.join(dir, ".venv/bin"),
  // OpenSSL (and so Python's ssl and redis-py) reads the CA bundle named by SSL_CERT_FILE.
  trustCa: (caFile) => ({ SSL_CERT_FILE: caFile }),
  test: (dir, services) => sh(dir, ".venv/bin/python -m unittest discover -s tests -v", services),
};
