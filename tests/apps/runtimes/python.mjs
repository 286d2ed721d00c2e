// Python: a virtualenv inside the project, as the README tells users to make.
import path from "node:path";

import { must, sh, which } from "./common.mjs";

const python = () => which("python3");

export default {
  missing: () => (python() ? null : "python3 is not installed"),
  install: (dir) => {
    must(dir, `${python()} -m venv .venv`);
    must(dir, ".venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt");
    must(dir, ".venv/bin/python -m compileall -q app tests");
  },
  path: (dir) => path.join(dir, ".venv/bin"),
  test: (dir) => sh(dir, ".venv/bin/python -m unittest discover -s tests -v"),
};
