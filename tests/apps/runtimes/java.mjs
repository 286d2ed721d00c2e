// Java: built and tested with the JDK alone. The project's own build is Maven (pom.xml), but
// Maven Central is unreachable from this machine, so Maven is bypassed: javac and jar build the
// same target/app.jar `mvn package` makes, and Debian's JUnit 5 jars (package junit5) run the tests.
import fs from "node:fs";

import { must, sh, which } from "./common.mjs";

const JARS = "/usr/share/java";
/** What compiling the tests needs, and the launcher that runs them (it bundles the engine). */
const TEST_COMPILE = ["junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar"].map((j) => `${JARS}/${j}`);
const LAUNCHER = `${JARS}/junit-platform-console-standalone.jar`;
const BYPASS = ": Maven is bypassed because Maven Central is unreachable here;";

export default {
  missing: () => (which("javac") && which("jar") && which("java") ? null : "javac (a JDK) is not installed"),
  install: (dir) => {
    // Maven can still read and check the pom offline: the validate phase needs no plugins.
    if (which("mvn")) must(dir, "mvn --offline --batch-mode --quiet validate");
    must(
      dir,
      `${BYPASS} rm -rf target/classes && javac --release 17 -d target/classes $(find src/main/java -name '*.java')` +
        " && jar --create --file target/app.jar --main-class com.example.service.App -C target/classes .",
    );
  },
  test: (dir) => {
    const missingJar = [...TEST_COMPILE, LAUNCHER].find((jar) => !fs.existsSync(jar));
    if (missingJar) return { skip: `JUnit 5 is not installed (Debian package junit5): no ${missingJar}` };
    return sh(
      dir,
      `${BYPASS} rm -rf target/test-classes` +
        ` && javac --release 17 -d target/test-classes -cp target/classes:${TEST_COMPILE.join(":")}` +
        " $(find src/test/java -name '*.java')" +
        ` && java -jar ${LAUNCHER} --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii` +
        " --fail-if-no-tests --class-path target/classes:target/test-classes --scan-class-path",
    );
  },
};
