// Java: built with the JDK and Debian's jars. The project's own build is Maven (pom.xml: Jackson,
// pgjdbc and the shade plugin), but Maven Central is unreachable from this machine, so Maven is
// bypassed: javac compiles against Debian's jackson-databind 2.14, pgjdbc 42.5.5, HikariCP 2.7.9
// and slf4j 1.7.32 with its slf4j-jdk14 binding (the versions the pom pins), and `jar` packs
// classes, SQL migrations and those jars' classes into the same self-contained target/app.jar
// the shade plugin makes. Debian's JUnit 5 jars run the tests.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { must, sh, which } from "./common.mjs";

const JARS = "/usr/share/java";
/** The runtime dependencies, as Debian names them; the pom pins the same releases. */
const DEPS = {
  always: ["jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar"],
  postgres: ["postgresql.jar", "HikariCP.jar", "slf4j-api.jar", "slf4j-jdk14.jar"],
};
/** What compiling the tests needs, and the launcher that runs them (it bundles the engine). */
const TEST_COMPILE = ["junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar"].map((j) => `${JARS}/${j}`);
const LAUNCHER = `${JARS}/junit-platform-console-standalone.jar`;
const BYPASS = ": Maven is bypassed because Maven Central is unreachable here;";
/** Each dependency's classes, unpacked once per run (prepare) and copied into every variant's jar. */
const UNPACKED = fs.mkdtempSync(path.join(os.tmpdir(), "tfstudio-java-deps-"));

const depJars = (variant) => [...DEPS.always, ...(variant.postgres ? DEPS.postgres : [])].map((j) => `${JARS}/${j}`);

export default {
  contract: 14,
  missing: () => {
    if (!(which("javac") && which("jar") && which("java"))) return "javac (a JDK) is not installed";
    const absent = [...DEPS.always, ...DEPS.postgres].find((j) => !fs.existsSync(`${JARS}/${j}`));
    return absent
      ? `${JARS}/${absent} is missing (Debian: libjackson2-databind-java libpostgresql-jdbc-java libhikaricp-java libslf4j-java)`
      : null;
  },
  prepare: () => {
    for (const jar of [...DEPS.always, ...DEPS.postgres]) {
      const into = path.join(UNPACKED, jar);
      fs.mkdirSync(into, { recursive: true });
      // Only the classes and the service registrations (pgjdbc's java.sql.Driver): each jar's
      // manifest, signatures, NOTICE and versioned module-info would collide in one jar.
      must(into, `jar --extract --file ${JARS}/${jar} && find META-INF -mindepth 1 -maxdepth 1 ! -name services -exec rm -rf {} +`);
    }
  },
  install: (dir, variant) => {
    // Maven can still read and check the pom offline: the validate phase needs no plugins.
    if (which("mvn")) must(dir, "mvn --offline --batch-mode --quiet validate");
    const classpath = depJars(variant).join(":");
    const unpacked = [...DEPS.always, ...(variant.postgres ? DEPS.postgres : [])].map((j) => `-C ${path.join(UNPACKED, j)} .`);
    const resources = fs.existsSync(path.join(dir, "src/main/resources")) ? "&& cp -r src/main/resources/. target/classes/" : "";
    must(
      dir,
      `${BYPASS} rm -rf target/classes && javac --release 17 -cp ${classpath} -d target/classes` +
        ` $(find src/main/java -name '*.java') ${resources}` +
        ` && jar --create --file target/app.jar --main-class com.example.service.App -C target/classes . ${unpacked.join(" ")}`,
    );
  },
  // The JVM does not read SSL_CERT_FILE: a trust store holding the proof's CA, through the
  // JAVA_TOOL_OPTIONS every JVM reads (the app's own Dockerfile sets it too, for the heap).
  trustCa: (caFile) => {
    const store = path.join(path.dirname(caFile), "java-trust.p12");
    if (!fs.existsSync(store)) {
      execFileSync("keytool", ["-importcert", "-noprompt", "-alias", "proof-ca", "-file", caFile, "-keystore", store,
        "-storetype", "PKCS12", "-storepass", "changeit"], { stdio: "pipe" });
    }
    return { JAVA_TOOL_OPTIONS: `-Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=changeit` };
  },
  test: (dir, services) => {
    const missingJar = [...TEST_COMPILE, LAUNCHER].find((jar) => !fs.existsSync(jar));
    if (missingJar) return { skip: `JUnit 5 is not installed (Debian package junit5): no ${missingJar}` };
    return sh(
      dir,
      `${BYPASS} rm -rf target/test-classes` +
        ` && javac --release 17 -d target/test-classes -cp target/app.jar:${TEST_COMPILE.join(":")}` +
        " $(find src/test/java -name '*.java')" +
        ` && java -jar ${LAUNCHER} --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii` +
        " --fail-if-no-tests --class-path target/app.jar:target/test-classes --scan-class-path target/test-classes",
      services,
    );
  },
};
