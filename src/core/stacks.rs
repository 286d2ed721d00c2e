//! One profile per stack, in one declarative table: every fact the generator, the form and the
//! CLI know about a language lives here. A stack's templates are its Dockerfile
//! (`templates/dockerfile/<id>.Dockerfile`) and its app (`templates/app/<id>/`); nothing else in
//! the code branches on the stack. `tests/stacks.rs` walks every profile and fails on any empty
//! fact. Strings may hold `{pin}` (the exact patch version), `{major}` (the version the user
//! chose) and `{name}` (the project name); [`StackProfile::fill`] substitutes them.

use super::spec::{ProjectSpec, Stack};

/// A runtime version offered in the form, with the exact patch every image and CI job pins.
#[derive(Clone, Copy, Debug)]
pub struct Version {
    pub major: &'static str,
    pub pin: &'static str,
}

/// One file of the generated app: the template's text, the path in the project, and the choice
/// it belongs to (a project without PostgreSQL has no migrations, for example).
#[derive(Clone, Copy, Debug)]
pub struct AppFile {
    pub path: &'static str,
    pub template: &'static str,
    pub needs: Needs,
}

/// What a generated file depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Always,
    Postgres,
    Redis,
    /// PostgreSQL or Redis: code for the job queue, and the drivers' go.sum.
    AnyService,
    /// Redis without PostgreSQL: the job queue is a Redis stream.
    RedisQueue,
}

impl Needs {
    /// Whether a project with these choices has what this describes.
    pub fn met(self, spec: &ProjectSpec) -> bool {
        let services = &spec.services;
        match self {
            Needs::Always => true,
            Needs::Postgres => services.postgres,
            Needs::Redis => services.redis,
            Needs::AnyService => services.postgres || services.redis,
            Needs::RedisQueue => services.redis && !services.postgres,
        }
    }
}

impl AppFile {
    /// Whether a project with these choices has this file.
    pub fn chosen(&self, spec: &ProjectSpec) -> bool {
        self.needs.met(spec)
    }
}

/// A variable only this stack's app reads, for `.env.example`.
#[derive(Clone, Copy, Debug)]
pub struct StackVar {
    pub name: &'static str,
    pub value: &'static str,
    pub comment: &'static str,
    /// The choice the app reads it for (a pool size only with PostgreSQL).
    pub needs: Needs,
}

#[derive(Clone, Copy, Debug)]
pub struct StackProfile {
    pub stack: Stack,
    /// The id in spec documents, the CLI and the UI (`node`).
    pub id: &'static str,
    pub label: &'static str,
    /// The web framework (or standard library) the app uses.
    pub framework: &'static str,
    /// Newest first; the first is the default.
    pub versions: &'static [Version],
    pub build_image: &'static str,
    pub runtime_image: &'static str,
    /// A full (non-slim) image with bash, for GitLab's test job.
    pub ci_image: &'static str,
    /// The Dockerfile template.
    pub dockerfile: &'static str,
    /// The dependency manifest and its lock file (the Dockerfile copies them first).
    pub manifest: &'static str,
    pub lock: &'static str,
    /// The app's files; the entry point and the tests among them.
    pub app_files: &'static [AppFile],
    /// The program and leading arguments inside the image; a role ("worker") is appended.
    pub entry: &'static [&'static str],
    /// The same from the repository root (Procfile, CI smoke test).
    pub shell_entry: &'static str,
    /// CI: install dependencies and build (also checks formatting where the stack has one).
    pub install: &'static str,
    /// The project's own tests, locally and in CI.
    pub test: &'static str,
    /// CI's smoke test starts the app with this.
    pub start: &'static str,
    /// The GitHub Actions steps that set up the toolchain, indented for a job's `steps:`.
    pub github_setup: &'static str,
    /// `.gitignore`: a heading and the lines for what this stack's tools produce.
    pub gitignore: (&'static str, &'static [&'static str]),
    /// `.dockerignore` lines for local dependencies and build output.
    pub dockerignore: &'static [&'static str],
    /// Variables only this stack's app reads.
    pub env: &'static [StackVar],
    /// When the starter reads JOB_CLAIM_IDLE_MS, the lease on a running job: with any queue,
    /// except Go's PostgreSQL queue, which holds an advisory lock for the job instead.
    pub job_lease: Needs,
}

/// `"path" => "stack/template"`, optionally `if Postgres` (a [`Needs`] variant).
macro_rules! app {
    ($($path:literal => $file:literal $(if $needs:ident)?),* $(,)?) => {
        &[$(AppFile {
            path: $path,
            template: template_text!("app/", $file),
            needs: app!(@needs $($needs)?),
        }),*]
    };
    (@needs) => { Needs::Always };
    (@needs $needs:ident) => { Needs::$needs };
}

macro_rules! dockerfile {
    ($id:literal) => {
        template_text!("dockerfile/", $id, ".Dockerfile")
    };
}

/// Runtime image for compiled stacks: Debian slim (not distroless) so the image keeps a libc
/// and the binary's own `healthcheck` subcommand can run as the HEALTHCHECK.
const DEBIAN_SLIM: &str = "debian:12.8-slim";

pub const PROFILES: &[StackProfile] = &[
    StackProfile {
        stack: Stack::Node,
        id: "node",
        label: "Node.js",
        framework: "node:http from the standard library",
        versions: &[Version { major: "22", pin: "22.11.0" }, Version { major: "20", pin: "20.18.0" }],
        build_image: "node:{pin}-bookworm-slim",
        runtime_image: "node:{pin}-bookworm-slim",
        ci_image: "node:{pin}-bookworm",
        dockerfile: dockerfile!("node"),
        manifest: "package.json",
        lock: "package-lock.json",
        app_files: app![
            "package.json" => "node/package.json",
            "package-lock.json" => "node/package-lock.json",
            "src/server.js" => "node/server.js",
            "src/migrations/0001_create-jobs.js" => "node/migration_0001.js" if Postgres,
            "test/server.test.js" => "node/server.test.js",
        ],
        entry: &["node", "src/server.js"],
        shell_entry: "node src/server.js",
        install: "npm ci",
        test: "npm test",
        start: "node src/server.js",
        github_setup: "      - uses: actions/setup-node@v4\n        with:\n          node-version: \"{pin}\"\n          cache: npm",
        gitignore: ("Dependencies and build output", &["node_modules/", "coverage/"]),
        dockerignore: &["node_modules", "coverage"],
        env: &[],
        job_lease: Needs::AnyService,
    },
    StackProfile {
        stack: Stack::Python,
        id: "python",
        label: "Python",
        framework: "Gunicorn (WSGI) with gthread workers",
        versions: &[Version { major: "3.12", pin: "3.12.7" }, Version { major: "3.11", pin: "3.11.10" }],
        build_image: "python:{pin}-bookworm",
        runtime_image: "python:{pin}-slim-bookworm",
        ci_image: "python:{pin}-bookworm",
        dockerfile: dockerfile!("python"),
        manifest: "pyproject.toml",
        lock: "requirements.txt",
        app_files: app![
            "pyproject.toml" => "python/pyproject.toml",
            "requirements.txt" => "python/requirements.txt",
            "app/main.py" => "python/main.py",
            "app/__init__.py" => "python/__init__.py",
            "app/web.py" => "python/web.py",
            "app/gunicorn_conf.py" => "python/gunicorn_conf.py",
            "app/jobs.py" => "python/jobs.py" if AnyService,
            "app/schema.py" => "python/schema.py" if Postgres,
            "app/migrations/env.py" => "python/migrations_env.py" if Postgres,
            "app/migrations/versions/0001_create_jobs.py" => "python/migration_0001.py" if Postgres,
            "tests/test_app.py" => "python/test_app.py",
            "tests/__init__.py" => "python/tests__init__.py",
        ],
        entry: &["python", "-m", "app.main"],
        shell_entry: "python -m app.main",
        install: "python -m pip install --no-cache-dir -r requirements.txt && python -m compileall -q app",
        test: "python -m unittest discover -s tests -v",
        start: "python -m app.main",
        github_setup: "      - uses: actions/setup-python@v5\n        with:\n          python-version: \"{pin}\"\n          cache: pip",
        gitignore: ("Virtualenv, caches and build output", &[".venv/", "__pycache__/", "*.py[cod]", "*.egg-info/", "build/", "dist/"]),
        dockerignore: &["__pycache__", "*.pyc", ".venv"],
        env: &[],
        job_lease: Needs::AnyService,
    },
    StackProfile {
        stack: Stack::Go,
        id: "go",
        label: "Go",
        framework: "net/http from the standard library",
        versions: &[Version { major: "1.23", pin: "1.23.3" }, Version { major: "1.22", pin: "1.22.9" }],
        build_image: "golang:{pin}-bookworm",
        runtime_image: DEBIAN_SLIM,
        ci_image: "golang:{pin}-bookworm",
        dockerfile: dockerfile!("go"),
        manifest: "go.mod",
        lock: "go.mod",
        app_files: app![
            "go.mod" => "go/go.mod",
            "go.sum" => "go/go.sum" if AnyService,
            "main.go" => "go/main.go",
            "postgres.go" => "go/postgres.go" if Postgres,
            "redis.go" => "go/redis.go" if Redis,
            "migrations/0001_create_jobs.up.sql" => "sql/0001_create_jobs.up.sql" if Postgres,
            "migrations/0001_create_jobs.down.sql" => "sql/0001_create_jobs.down.sql" if Postgres,
            "main_test.go" => "go/main_test.go",
        ],
        entry: &["/app/server"],
        shell_entry: "./server",
        install: "test -z \"$(gofmt -l .)\" && go vet ./... && go build -o server .",
        test: "go test ./...",
        start: "./server",
        github_setup: "      - uses: actions/setup-go@v5\n        with:\n          go-version: \"{pin}\"",
        gitignore: ("Build output", &["/server"]),
        dockerignore: &["server"],
        env: &[],
        job_lease: Needs::RedisQueue,
    },
    StackProfile {
        stack: Stack::Rust,
        id: "rust",
        label: "Rust",
        framework: "axum on tokio",
        versions: &[Version { major: "1.95", pin: "1.95.0" }],
        build_image: "rust:{pin}-slim-bookworm",
        runtime_image: DEBIAN_SLIM,
        ci_image: "rust:{pin}-bookworm",
        dockerfile: dockerfile!("rust"),
        manifest: "Cargo.toml",
        lock: "Cargo.lock",
        app_files: app![
            "Cargo.toml" => "rust/Cargo.toml",
            "Cargo.lock" => "rust/Cargo.lock",
            "src/main.rs" => "rust/main.rs",
            "build.rs" => "rust/build.rs" if Postgres,
            "src/jobs.rs" => "rust/jobs.rs" if AnyService,
            "src/postgres.rs" => "rust/postgres.rs" if Postgres,
            "src/redis_store.rs" => "rust/redis_store.rs" if Redis,
            "migrations/0001_create_jobs.up.sql" => "sql/0001_create_jobs.up.sql" if Postgres,
            "migrations/0001_create_jobs.down.sql" => "sql/0001_create_jobs.down.sql" if Postgres,
        ],
        entry: &["/app/{name}"],
        shell_entry: "./target/release/{name}",
        install: "cargo build --locked --release",
        test: "cargo test --locked",
        start: "./target/release/{name}",
        github_setup: "      - name: Install Rust {pin}\n        run: rustup toolchain install {pin} --profile minimal && rustup default {pin}",
        gitignore: ("Build output", &["/target/"]),
        dockerignore: &["target"],
        env: &[],
        job_lease: Needs::AnyService,
    },
    StackProfile {
        stack: Stack::Java,
        id: "java",
        label: "Java",
        framework: "com.sun.net.httpserver from the JDK",
        versions: &[Version { major: "21", pin: "21.0.5_11" }, Version { major: "17", pin: "17.0.13_11" }],
        build_image: "maven:3.9.9-eclipse-temurin-{major}",
        runtime_image: "eclipse-temurin:{pin}-jre",
        ci_image: "maven:3.9.9-eclipse-temurin-{major}",
        dockerfile: dockerfile!("java"),
        manifest: "pom.xml",
        lock: "pom.xml",
        app_files: app![
            "pom.xml" => "java/pom.xml",
            "src/main/java/com/example/service/App.java" => "java/App.java",
            "src/main/java/com/example/service/Config.java" => "java/Config.java",
            "src/main/java/com/example/service/Log.java" => "java/Log.java",
            "src/main/java/com/example/service/Web.java" => "java/Web.java",
            "src/main/java/com/example/service/Readiness.java" => "java/Readiness.java",
            "src/main/java/com/example/service/Jobs.java" => "java/Jobs.java",
            "src/main/java/com/example/service/Postgres.java" => "java/Postgres.java" if Postgres,
            "src/main/resources/db/migration/0001_create_jobs.up.sql" => "sql/0001_create_jobs.up.sql" if Postgres,
            "src/main/resources/db/migration/0001_create_jobs.down.sql" => "sql/0001_create_jobs.down.sql" if Postgres,
            "src/main/java/com/example/service/Redis.java" => "java/Redis.java" if Redis,
            "src/test/java/com/example/service/AppTest.java" => "java/AppTest.java",
        ],
        entry: &["java", "-jar", "/app/app.jar"],
        shell_entry: "java -jar target/app.jar",
        install: "mvn -B -q -DskipTests package",
        test: "mvn -B -q test",
        start: "java -jar target/app.jar",
        github_setup: "      - uses: actions/setup-java@v4\n        with:\n          distribution: temurin\n          java-version: \"{major}\"\n          cache: maven",
        gitignore: ("Build output", &["/target/"]),
        dockerignore: &["target"],
        env: &[StackVar {
            name: "DB_POOL_SIZE",
            value: "5",
            comment: "The most PostgreSQL connections each process opens (its HikariCP pool; 1 to 100). Each keeps one open while idle. Keep the sum over every process and replica below the server's max_connections.",
            needs: Needs::Postgres,
        }],
        job_lease: Needs::AnyService,
    },
    StackProfile {
        stack: Stack::Ruby,
        id: "ruby",
        label: "Ruby",
        framework: "Rack with Puma",
        versions: &[Version { major: "3.3", pin: "3.3.6" }, Version { major: "3.2", pin: "3.2.6" }],
        build_image: "ruby:{pin}-bookworm",
        runtime_image: "ruby:{pin}-slim-bookworm",
        ci_image: "ruby:{pin}-bookworm",
        dockerfile: dockerfile!("ruby"),
        manifest: "Gemfile",
        lock: "Gemfile.lock",
        app_files: app![
            "Gemfile" => "ruby/Gemfile",
            "Gemfile.lock" => "ruby/Gemfile.lock",
            "config.ru" => "ruby/config.ru",
            "config/puma.rb" => "ruby/puma.rb",
            "app.rb" => "ruby/app.rb",
            "lib/postgres.rb" => "ruby/postgres.rb" if Postgres,
            "db/migrations/0001_create_jobs.rb" => "ruby/0001_create_jobs.rb" if Postgres,
            "lib/redis_store.rb" => "ruby/redis.rb" if Redis,
            "test/app_test.rb" => "ruby/app_test.rb",
        ],
        entry: &["bundle", "exec", "ruby", "app.rb"],
        shell_entry: "bundle exec ruby app.rb",
        install: "BUNDLE_FROZEN=true bundle install",
        test: "bundle exec ruby -Itest test/app_test.rb",
        start: "bundle exec ruby app.rb",
        github_setup: "      - uses: ruby/setup-ruby@v1\n        with:\n          ruby-version: \"{pin}\"\n          bundler-cache: true",
        gitignore: ("Installed gems and local Bundler settings", &["/vendor/bundle/", "/.bundle/"]),
        dockerignore: &["vendor/bundle", ".bundle"],
        env: &[
            StackVar { name: "PUMA_THREADS", value: "5", comment: "Request threads per Puma process (config/puma.rb).", needs: Needs::Always },
            StackVar { name: "WEB_CONCURRENCY", value: "0", comment: "Puma worker processes; 0 runs one process. Prefer scaling out with more web processes.", needs: Needs::Always },
        ],
        job_lease: Needs::AnyService,
    },
];

impl StackProfile {
    /// The version entry for `major`, or the default when it is not offered.
    pub fn version(&self, major: &str) -> Version {
        self.versions
            .iter()
            .copied()
            .find(|v| v.major == major)
            .unwrap_or(self.versions[0])
    }

    /// `text` with `{pin}`, `{major}` and `{name}` filled in for this version and project.
    pub fn fill(&self, text: &str, major: &str, name: &str) -> String {
        let version = self.version(major);
        text.replace("{pin}", version.pin)
            .replace("{major}", version.major)
            .replace("{name}", name)
    }
}

impl Stack {
    /// This stack's profile. Every stack has exactly one (`tests/stacks.rs`).
    pub fn profile(self) -> &'static StackProfile {
        PROFILES
            .iter()
            .find(|p| p.stack == self)
            .expect("every stack has a profile")
    }
}
