//! Tool presets for an existing service: one declarative table, one entry per stack and
//! dependency tool. Each says which files pin the dependencies (copied first, so the install
//! layer stays cached until they change), how to install them with a BuildKit cache mount, the
//! build, test and start commands a typical project of that kind uses (the form's defaults), and
//! what the image and CI need beyond the stack's profile. `templates/dockerfile/existing.Dockerfile`
//! and the CI templates read these facts through the model; nothing else branches on the preset.
//! Strings may hold `{pin}`, `{major}` and `{name}` (see [`crate::core::stacks`]).

use serde::{Deserialize, Serialize};

use super::spec::Stack;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PresetId {
    Npm,
    Pnpm,
    Yarn,
    Pip,
    Poetry,
    Uv,
    Go,
    Cargo,
    Maven,
    Gradle,
    Bundler,
}

#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub id: PresetId,
    pub stack: Stack,
    /// The id in specs and the CLI (`pnpm`).
    pub key: &'static str,
    pub label: &'static str,
    /// Copied before the install, one COPY each (folders keep their name).
    pub dependency_files: &'static [&'static str],
    /// Installs dependencies into the project folder (the image keeps them).
    pub install: &'static str,
    /// Where the install's download cache lives, mounted as a BuildKit cache.
    pub cache: &'static str,
    /// Installs dependencies in CI (no image, no cache mount).
    pub ci_install: &'static str,
    /// The form's defaults.
    pub build: &'static str,
    pub test: &'static str,
    pub start_web: &'static str,
    pub source_folders: &'static [&'static str],
    /// Set in both image stages (virtualenv and bundle locations, tool settings).
    pub env: &'static [(&'static str, &'static str)],
    /// Set in the runtime stage only.
    pub runtime_env: &'static [(&'static str, &'static str)],
    /// The build stage's image when the stack profile's does not carry the tool.
    pub build_image: Option<&'static str>,
    /// GitLab's job image when the stack profile's does not carry the tool.
    pub ci_image: Option<&'static str>,
    /// The GitHub Actions steps that set up the toolchain, indented for a job's `steps:`.
    pub github_setup: &'static str,
    /// Local dependency and build folders, for `.dockerignore` and `.gitignore`.
    pub ignore: &'static [&'static str],
}

const SETUP_NODE: &str =
    "      - uses: actions/setup-node@v4\n        with:\n          node-version: \"{pin}\"";
const SETUP_PYTHON: &str =
    "      - uses: actions/setup-python@v5\n        with:\n          python-version: \"{pin}\"";
const NODE_ENV: &[(&str, &str)] = &[("NODE_ENV", "production")];
const VENV: &[(&str, &str)] = &[
    ("VIRTUAL_ENV", "/app/.venv"),
    ("PATH", "/app/.venv/bin:$PATH"),
    ("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
];
const PYTHON_RUNTIME: &[(&str, &str)] = &[("PYTHONUNBUFFERED", "1")];

pub const PRESETS: &[Preset] = &[
    Preset {
        id: PresetId::Npm,
        stack: Stack::Node,
        key: "npm",
        label: "npm",
        dependency_files: &["package.json", "package-lock.json"],
        install: "npm ci --no-audit --no-fund",
        cache: "/root/.npm",
        ci_install: "npm ci --no-audit --no-fund",
        build: "npm run build --if-present && npm prune --omit=dev",
        test: "npm test",
        start_web: "node src/server.js",
        source_folders: &["src"],
        env: &[],
        runtime_env: NODE_ENV,
        build_image: None,
        ci_image: None,
        github_setup: "      - uses: actions/setup-node@v4\n        with:\n          node-version: \"{pin}\"\n          cache: npm",
        ignore: &["node_modules", "dist", "coverage"],
    },
    Preset {
        id: PresetId::Pnpm,
        stack: Stack::Node,
        key: "pnpm",
        label: "pnpm",
        dependency_files: &["package.json", "pnpm-lock.yaml"],
        install: "corepack enable && pnpm install --frozen-lockfile",
        cache: "/root/.local/share/pnpm/store",
        ci_install: "corepack enable && pnpm install --frozen-lockfile",
        build: "pnpm run --if-present build && pnpm prune --prod",
        test: "pnpm test",
        start_web: "node src/server.js",
        source_folders: &["src"],
        env: &[],
        runtime_env: NODE_ENV,
        build_image: None,
        ci_image: None,
        github_setup: SETUP_NODE,
        ignore: &["node_modules", "dist", "coverage"],
    },
    Preset {
        id: PresetId::Yarn,
        stack: Stack::Node,
        key: "yarn",
        label: "Yarn",
        dependency_files: &["package.json", "yarn.lock"],
        install: "corepack enable && yarn install --immutable",
        cache: "/root/.yarn/berry/cache",
        ci_install: "corepack enable && yarn install --immutable",
        build: "",
        test: "yarn test",
        start_web: "node src/server.js",
        source_folders: &["src"],
        env: &[],
        runtime_env: NODE_ENV,
        build_image: None,
        ci_image: None,
        github_setup: SETUP_NODE,
        ignore: &["node_modules", ".yarn/cache", "dist", "coverage"],
    },
    Preset {
        id: PresetId::Pip,
        stack: Stack::Python,
        key: "pip",
        label: "pip + requirements.txt",
        dependency_files: &["requirements.txt"],
        install: "python -m venv /app/.venv && pip install -r requirements.txt",
        cache: "/root/.cache/pip",
        ci_install: "python -m pip install -r requirements.txt",
        build: "",
        test: "python -m pytest",
        start_web: "gunicorn app:app",
        source_folders: &["."],
        env: VENV,
        runtime_env: PYTHON_RUNTIME,
        build_image: None,
        ci_image: None,
        github_setup: "      - uses: actions/setup-python@v5\n        with:\n          python-version: \"{pin}\"\n          cache: pip",
        ignore: &[".venv", "__pycache__", "*.pyc"],
    },
    Preset {
        id: PresetId::Poetry,
        stack: Stack::Python,
        key: "poetry",
        label: "Poetry",
        dependency_files: &["pyproject.toml", "poetry.lock"],
        install: "pip install --no-cache-dir poetry==1.8.4 && poetry install --only main --no-root --no-interaction",
        cache: "/root/.cache/pypoetry",
        ci_install: "pip install --no-cache-dir poetry==1.8.4 && poetry install --no-root --no-interaction",
        build: "",
        test: "poetry run pytest",
        start_web: "gunicorn app:app",
        source_folders: &["."],
        env: &[
            ("VIRTUAL_ENV", "/app/.venv"),
            ("PATH", "/app/.venv/bin:$PATH"),
            ("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
            ("POETRY_VIRTUALENVS_IN_PROJECT", "true"),
        ],
        runtime_env: PYTHON_RUNTIME,
        build_image: None,
        ci_image: None,
        github_setup: SETUP_PYTHON,
        ignore: &[".venv", "__pycache__", "*.pyc"],
    },
    Preset {
        id: PresetId::Uv,
        stack: Stack::Python,
        key: "uv",
        label: "uv",
        dependency_files: &["pyproject.toml", "uv.lock"],
        install: "pip install --no-cache-dir uv==0.5.4 && uv sync --frozen --no-dev --no-install-project",
        cache: "/root/.cache/uv",
        ci_install: "pip install --no-cache-dir uv==0.5.4 && uv sync --frozen",
        build: "",
        test: "uv run pytest",
        start_web: "gunicorn app:app",
        source_folders: &["."],
        env: &[
            ("VIRTUAL_ENV", "/app/.venv"),
            ("PATH", "/app/.venv/bin:$PATH"),
            ("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
            // The cache is a mount, so uv copies instead of hard-linking across file systems.
            ("UV_LINK_MODE", "copy"),
        ],
        runtime_env: PYTHON_RUNTIME,
        build_image: None,
        ci_image: None,
        github_setup: SETUP_PYTHON,
        ignore: &[".venv", "__pycache__", "*.pyc"],
    },
    Preset {
        id: PresetId::Go,
        stack: Stack::Go,
        key: "go",
        label: "Go modules",
        dependency_files: &["go.mod", "go.sum"],
        install: "go mod download",
        cache: "/go/pkg/mod",
        ci_install: "go mod download",
        build: "CGO_ENABLED=0 go build -trimpath -o server .",
        test: "go test ./...",
        start_web: "./server",
        source_folders: &["."],
        env: &[],
        runtime_env: &[],
        build_image: None,
        ci_image: None,
        github_setup: "      - uses: actions/setup-go@v5\n        with:\n          go-version: \"{pin}\"",
        ignore: &["server"],
    },
    Preset {
        id: PresetId::Cargo,
        stack: Stack::Rust,
        key: "cargo",
        label: "Cargo",
        dependency_files: &["Cargo.toml", "Cargo.lock"],
        install: "mkdir -p src && touch src/main.rs && cargo fetch --locked",
        cache: "/usr/local/cargo/registry",
        ci_install: "cargo fetch --locked",
        build: "cargo build --release --locked",
        test: "cargo test --locked",
        start_web: "./target/release/{name}",
        source_folders: &["src"],
        env: &[],
        runtime_env: &[],
        build_image: None,
        ci_image: None,
        github_setup: "      - name: Install Rust {pin}\n        run: rustup toolchain install {pin} --profile minimal && rustup default {pin}",
        ignore: &["target"],
    },
    Preset {
        id: PresetId::Maven,
        stack: Stack::Java,
        key: "maven",
        label: "Maven",
        dependency_files: &["pom.xml"],
        install: "mvn -B -q dependency:go-offline",
        cache: "/root/.m2",
        ci_install: "mvn -B -q dependency:go-offline",
        build: "mvn -B -q -DskipTests package",
        test: "mvn -B -q test",
        start_web: "java -jar target/app.jar",
        source_folders: &["src"],
        env: &[],
        runtime_env: &[],
        build_image: None,
        ci_image: None,
        github_setup: "      - uses: actions/setup-java@v4\n        with:\n          distribution: temurin\n          java-version: \"{major}\"\n          cache: maven",
        ignore: &["target"],
    },
    Preset {
        id: PresetId::Gradle,
        stack: Stack::Java,
        key: "gradle",
        label: "Gradle",
        dependency_files: &["settings.gradle.kts", "build.gradle.kts"],
        install: "gradle --no-daemon -q dependencies",
        cache: "/cache/gradle",
        ci_install: "gradle --no-daemon -q dependencies",
        build: "gradle --no-daemon -q build -x test",
        test: "gradle --no-daemon test",
        start_web: "java -jar build/libs/app.jar",
        source_folders: &["src"],
        env: &[("GRADLE_USER_HOME", "/cache/gradle")],
        runtime_env: &[],
        build_image: Some("gradle:8.11.1-jdk{major}"),
        ci_image: Some("gradle:8.11.1-jdk{major}"),
        github_setup: "      - uses: actions/setup-java@v4\n        with:\n          distribution: temurin\n          java-version: \"{major}\"\n      - uses: gradle/actions/setup-gradle@v4\n        with:\n          gradle-version: \"8.11.1\"",
        ignore: &["build", ".gradle"],
    },
    Preset {
        id: PresetId::Bundler,
        stack: Stack::Ruby,
        key: "bundler",
        label: "Bundler",
        dependency_files: &["Gemfile", "Gemfile.lock"],
        install: "BUNDLE_GLOBAL_GEM_CACHE=true bundle install",
        cache: "/root/.bundle/cache",
        ci_install: "bundle install",
        build: "",
        test: "bundle exec rake test",
        start_web: "bundle exec puma -C config/puma.rb",
        source_folders: &["."],
        env: &[
            ("BUNDLE_DEPLOYMENT", "true"),
            ("BUNDLE_PATH", "/app/vendor/bundle"),
            ("BUNDLE_WITHOUT", "development:test"),
        ],
        runtime_env: &[],
        build_image: None,
        ci_image: None,
        github_setup: "      - uses: ruby/setup-ruby@v1\n        with:\n          ruby-version: \"{pin}\"",
        ignore: &["vendor/bundle", ".bundle"],
    },
];

impl PresetId {
    pub fn preset(self) -> &'static Preset {
        PRESETS
            .iter()
            .find(|p| p.id == self)
            .expect("every preset id has an entry")
    }

    pub fn from_key(key: &str) -> Option<PresetId> {
        PRESETS.iter().find(|p| p.key == key).map(|p| p.id)
    }
}

impl Stack {
    /// The tool presets of this stack, the first the default.
    pub fn presets(self) -> impl Iterator<Item = &'static Preset> {
        PRESETS.iter().filter(move |p| p.stack == self)
    }

    pub fn default_preset(self) -> PresetId {
        self.presets().next().expect("every stack has a preset").id
    }
}
