// Ruby: Debian's gems (ruby, puma, rack, ruby-pg, ruby-sequel, ruby-redis, ruby-minitest) stand in
// for the locked ones. This machine cannot reach rubygems.org, so `bundle install` cannot fetch
// Gemfile.lock's versions; the lock pins Debian's versions (Puma: 5.6.9, the last 5.6 release,
// where Debian ships 5.6.5 with the same security fixes backported), and the commands run without
// `bundle exec` against the system gems. CI and the Docker image install the locked gems.
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

/** The gems a variant loads, by the name `require` takes. */
const GEMS = { always: ["puma", "rack", "json"], postgres: ["pg", "sequel"], redis: ["redis"] };

export default {
  contract: 14,
  missing: () => {
    if (!which("ruby")) return "ruby is not installed";
    const gems = [...GEMS.always, ...GEMS.postgres, ...GEMS.redis];
    const r = sh("/", `ruby -e '${gems.map((g) => `require "${g}"`).join(";")}'`);
    return r.status === 0 ? null : `a gem is missing (Debian: puma ruby-rack ruby-pg ruby-sequel ruby-redis): ${r.output}`;
  },
  // Nothing to install: only check that every file parses and that the lock matches the Gemfile.
  install: (dir) => {
    must(dir, `for f in ${rubyFiles(dir).join(" ")}; do ruby -c "$f" >/dev/null || exit 1; done`);
    // Gemfile.lock must agree with the Gemfile, or the image's frozen `bundle install` fails.
    // Offline, Bundler stops at the missing gems when they agree, and names the change when not.
    if (which("bundle")) {
      const check = sh(dir, "BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=development:test bundle install --local");
      if (/gemfile changed|lockfile .*(unreadable|corrupt)|You have (added|deleted)/i.test(check.output)) {
        throw new Error(`Gemfile.lock does not match the Gemfile:\n${check.output}`);
      }
    }
  },
  // OpenSSL's default store (which redis-rb's TLS uses) reads SSL_CERT_FILE.
  trustCa: (caFile) => ({ SSL_CERT_FILE: caFile }),
  // `PORT=... bundle exec ruby app.rb` -> `PORT=... ruby app.rb`: the system gems, not the bundle.
  command: (procfileCommand) => procfileCommand.replace(/(^|\s)bundle exec /, "$1"),
  test: (dir, services) => sh(dir, "ruby -Itest test/app_test.rb", services),
};
