// Ruby: Debian's ruby, puma and rack packages stand in for the locked gems. This machine cannot
// reach rubygems.org, so `bundle install` cannot fetch Gemfile.lock's versions (Puma 6.5, Rack
// 3.1); the app is written for Puma 5.6/6 and Rack 2.2/3, and the commands run without
// `bundle exec` against the system gems. CI and the Docker image use the locked gems.
import fs from "node:fs";
import path from "node:path";

import { must, sh, which } from "./common.mjs";

/** Every Ruby source file in the project, relative to `dir`. */
function rubyFiles(dir, sub = "") {
  return fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(sub, entry.name);
    if (entry.isDirectory()) return rubyFiles(dir, rel);
    return /\.(rb|ru)$/.test(entry.name) ? [rel] : [];
  });
}

export default {
  missing: () => (!which("ruby") ? "ruby is not installed" : !which("puma") ? "puma is not installed" : null),
  // Nothing to install: only check that every file parses.
  install: (dir) => {
    for (const file of rubyFiles(dir)) must(dir, `ruby -c ${file}`);
    // Gemfile.lock must agree with the Gemfile, or the image's frozen `bundle install` fails.
    // Offline, Bundler stops at the missing gems when they agree, and names the change when not.
    if (which("bundle")) {
      const check = sh(dir, "BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=development:test bundle install --local");
      if (/gemfile changed|lockfile .*(unreadable|corrupt)|You have (added|deleted)/i.test(check.output)) {
        throw new Error(`Gemfile.lock does not match the Gemfile:\n${check.output}`);
      }
    }
  },
  // `PORT=... bundle exec puma ...` -> `PORT=... puma ...`: the system gems, not the bundle.
  command: (procfileCommand) => procfileCommand.replace(/(^|\s)bundle exec /, "$1"),
  test: (dir) => sh(dir, "ruby -Itest test/app_test.rb"),
};
