//! {{ name }}: a small service that keeps the twelve-factor contract. Replace the example
//! routes with your own; keep the contract:
//!   - every setting comes from the environment, read once in `Config::load`;
//!   - the web process binds 0.0.0.0:$PORT;
//!   - {{ health_path }} answers while the process runs, {{ ready_path }} only while the backing services answer;
//!   - one JSON line on stdout per request and per lifecycle event (tracing's JSON output);
//!   - on SIGTERM: stop accepting, finish in-flight work, exit 0.
//!
//! Run a role with `./target/release/{{ name }} <role>`: web (default), worker, scheduler,
//! migrate, migrate-down, healthcheck. Every process type runs from the same binary and image.
//! HTTP is axum on tokio and hyper.
{%- if postgres %}
//! PostgreSQL is sqlx (src/postgres.rs).
{%- endif %}
{%- if redis %}
//! Redis is the redis crate (src/redis_store.rs).
{%- endif %}
{%- if postgres or redis %}
//! Jobs: POST /jobs, the worker and the scheduler (src/jobs.rs).
{%- endif %}
//! Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
//! binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
{%- if postgres or redis %}

mod jobs;
{%- endif %}
{%- if postgres %}
mod postgres;
{%- endif %}
{%- if redis %}
mod redis_store;
{%- endif %}

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
{%- if not postgres and not redis %}
use axum::body::Bytes;
{%- endif %}
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;
use tracing::{error, info};
{%- if postgres or redis %}

use jobs::{get_job, post_job, scheduler, worker};
{%- endif %}

const ROLES: [&str; 6] = [
    "web",
    "worker",
    "scheduler",
    "migrate",
    "migrate-down",
    "healthcheck",
];
/// How long a stopping process waits for in-flight work; below `docker stop`'s 10 s.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);
/// How long each readiness probe of a backing service may take.
const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);
/// The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
const SLOW_MAX_MS: u64 = 5000;
/// The largest request body accepted (POST /jobs).
const MAX_JOB_BODY: usize = 64 * 1024;
{%- if not postgres and not redis %}
/// What /jobs answers in a project without PostgreSQL or Redis.
const NO_QUEUE: &str = "no queue: choose PostgreSQL or Redis";
{%- endif %}

// ---------------------------------------------------------------------------------------------
// Configuration: every setting from the environment, NAME_FILE (a Docker secret) winning.

#[derive(Clone, Debug)]
struct Config {
    /// APP_ENV: which deploy this is; only for logs.
    app_env: String,
    /// LOG_LEVEL: debug, info, warn or error.
    log_level: tracing::Level,
    /// PORT: the port the web process binds.
    port: u16,
{%- if postgres %}
    /// DATABASE_URL: the PostgreSQL database.
    database_url: String,
{%- endif %}
{%- if redis %}
    /// REDIS_URL: the Redis instance; rediss:// is TLS.
    redis_url: String,
{%- endif %}
{%- if postgres or redis %}
    /// SCHEDULE_INTERVAL: seconds between the scheduler's jobs.
    schedule_interval: Duration,
    /// JOB_CLAIM_IDLE_MS: a worker's lease on the job it runs; it renews the lease while the job
    /// runs, so only a job whose worker died sits that long before another worker takes it.
    job_claim_idle: Duration,
{%- endif %}
}

/// Reads variables through `getenv` (the process environment, or a map in tests).
struct Settings<F: Fn(&str) -> Option<String>> {
    getenv: F,
}

impl<F: Fn(&str) -> Option<String>> Settings<F> {
    /// NAME_FILE's trimmed contents, else NAME; an empty value or file counts as unset.
    fn get(&self, name: &str) -> Result<Option<String>, String> {
        if let Some(path) = (self.getenv)(&format!("{name}_FILE")).filter(|p| !p.is_empty()) {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{name}_FILE names {path}, which cannot be read: {e}"))?;
            return Ok(Some(text.trim().to_string()).filter(|v| !v.is_empty()));
        }
        Ok((self.getenv)(name).filter(|v| !v.is_empty()))
    }

    fn or(&self, name: &str, fallback: &str) -> Result<String, String> {
        Ok(self.get(name)?.unwrap_or_else(|| fallback.to_string()))
    }

    /// A whole number in `range`; digits only, so "+80" and " 80" are refused.
    fn number(
        &self,
        name: &str,
        fallback: &str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Result<u64, String> {
        let value = self.or(name, fallback)?;
        value
            .parse::<u64>()
            .ok()
            .filter(|n| value.bytes().all(|b| b.is_ascii_digit()) && range.contains(n))
            .ok_or_else(|| {
                format!(
                    "{name} must be a whole number from {} to {}, not {value:?}",
                    range.start(),
                    range.end()
                )
            })
    }
{%- if postgres or redis %}

    /// A required URL with one of `schemes` and a host. The message never repeats the value:
    /// it usually holds a password.
    fn url(&self, name: &str, why: &str, schemes: &[&str]) -> Result<String, String> {
        let value = self
            .get(name)?
            .ok_or_else(|| format!("{name} is required ({why}); set {name} or {name}_FILE"))?;
        let host = schemes
            .iter()
            .find_map(|s| value.strip_prefix(&format!("{s}://")))
            .map(|rest| {
                rest.split(['/', '?'])
                    .next()
                    .unwrap_or("")
                    .rsplit('@')
                    .next()
                    .unwrap_or("")
            });
        match host {
            Some(h) if !h.is_empty() && !h.starts_with(':') => Ok(value),
            _ => Err(format!(
                "{name} must look like {}://user:password@host:port/...",
                schemes[0]
            )),
        }
    }
{%- endif %}
}

impl Config {
    /// Reads and checks every setting; the error names the first variable that is wrong.
    fn load(getenv: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let s = Settings { getenv };
        let level = s.or("LOG_LEVEL", "info")?;
        Ok(Config {
            app_env: s.or("APP_ENV", "development")?,
            log_level: match level.as_str() {
                "debug" => tracing::Level::DEBUG,
                "info" => tracing::Level::INFO,
                "warn" => tracing::Level::WARN,
                "error" => tracing::Level::ERROR,
                other => {
                    return Err(format!(
                        "LOG_LEVEL must be one of debug, info, warn, error, not {other:?}"
                    ));
                }
            },
            port: s.number("PORT", "{{ port }}", 1..=65535)? as u16,
{%- if postgres %}
            database_url: s.url(
                "DATABASE_URL",
                "the PostgreSQL database",
                &["postgres", "postgresql"],
            )?,
{%- endif %}
{%- if redis %}
            redis_url: s.url("REDIS_URL", "the Redis instance", &["redis", "rediss"])?,
{%- endif %}
{%- if postgres or redis %}
            schedule_interval: Duration::from_secs(s.number(
                "SCHEDULE_INTERVAL",
                "60",
                1..=86_400,
            )?),
            job_claim_idle: Duration::from_millis(s.number(
                "JOB_CLAIM_IDLE_MS",
                "30000",
                1000..=3_600_000,
            )?),
{%- endif %}
        })
    }
}

/// One JSON object per line on stdout; every event names its message in `msg`.
fn init_logs(level: tracing::Level) {
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_max_level(level)
        .with_writer(std::io::stdout)
        .init();
}

// ---------------------------------------------------------------------------------------------
// Stopping: the first SIGTERM (or SIGINT) flips a watch channel every role listens to.

#[derive(Clone)]
struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Listens for the signals; from the first one the process has SHUTDOWN_GRACE to exit.
    fn listen() -> Stop {
        let (tx, rx) = watch::channel(false);
        tokio::spawn(async move {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a process can always install a SIGTERM handler");
            let signal = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            };
            info!(msg = "stopping", signal);
            tx.send_replace(true);
            tokio::time::sleep(SHUTDOWN_GRACE).await;
            error!(
                msg = "in-flight work did not finish in time",
                grace_ms = SHUTDOWN_GRACE.as_millis() as u64
            );
            std::process::exit(1);
        });
        Stop(rx)
    }
{%- if postgres or redis %}

    fn requested(&self) -> bool {
        *self.0.borrow()
    }
{%- endif %}

    /// Returns once a stop is requested.
    async fn wait(&self) {
        let mut rx = self.0.clone();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
{%- if postgres or redis %}

    /// Sleeps for `d`; false when a stop came first.
    async fn pause(&self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = self.wait() => false,
        }
    }
{%- endif %}
}

// ---------------------------------------------------------------------------------------------
// Backing services: clients made once per process; nothing connects before first use.

struct Services {
    // One client per chosen service, and the job queue when there is one.
{%- if postgres %}
    postgres: postgres::Postgres,
{%- endif %}
{%- if redis %}
    redis: redis::Client,
{%- endif %}
{%- if postgres or redis %}
    queue: jobs::Queue,
{%- endif %}
}

type Probe = std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

impl Services {
    fn open({% if not postgres and not redis %}_{% endif %}config: &Config) -> Result<Services, String> {
{%- if postgres %}
        let postgres = postgres::Postgres::new(&config.database_url)?;
{%- endif %}
{%- if redis %}
        let redis = redis_store::client(&config.redis_url)?;
{%- endif %}
        Ok(Services {
            // Every client connects on first use.
{%- if postgres %}
            queue: postgres::JobQueue::new(postgres.pool.clone(), config.job_claim_idle),
            postgres,
{%- elif redis %}
            queue: redis_store::JobQueue::new(redis.clone(), config.job_claim_idle)?,
{%- endif %}
{%- if redis %}
            redis,
{%- endif %}
        })
    }

    /// {{ ready_path }}'s checks by name: a real round trip to each chosen service.
    fn probes(&self) -> Vec<(&'static str, Probe)> {
        vec![
            // One per chosen service.
{%- if postgres %}
            ("postgres", Box::pin(self.postgres.clone().probe()) as Probe),
{%- endif %}
{%- if redis %}
            (
                "redis",
                Box::pin(redis_store::probe(self.redis.clone())) as Probe,
            ),
{%- endif %}
        ]
    }
}

/// Runs every probe at once, each within PROBE_TIMEOUT; true only when all pass.
async fn readiness(services: &Services) -> (bool, serde_json::Map<String, Value>) {
    let running: Vec<_> = services
        .probes()
        .into_iter()
        .map(|(name, probe)| {
            (
                name,
                tokio::spawn(tokio::time::timeout(PROBE_TIMEOUT, probe)),
            )
        })
        .collect();
    let mut checks = serde_json::Map::new();
    for (name, handle) in running {
        let result = match handle.await {
            Ok(Ok(Ok(()))) => "ok".to_string(),
            Ok(Ok(Err(reason))) => reason,
            Ok(Err(_elapsed)) => "timed out".to_string(),
            Err(panicked) => format!("error: {panicked}"),
        };
        checks.insert(name.to_string(), Value::String(result));
    }
    let ok = checks.values().all(|v| v == "ok");
    (ok, checks)
}

// ---------------------------------------------------------------------------------------------
// Web.

struct App {
    config: Config,
    services: Services,
    stopping: AtomicBool,
}

type Shared = State<Arc<App>>;

fn reply(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn failure(status: StatusCode, message: impl Into<String>) -> Response {
    reply(status, json!({"error": message.into()}))
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "{{ health_path }}",
            get(|| async { reply(StatusCode::OK, json!({"status": "ok"})) }),
        )
        .route("{{ ready_path }}", get(ready))
        .route("/", get(root))
        .route("/demo/slow", get(slow))
        .route("/jobs", axum::routing::post(post_job))
        .route("/jobs/{id}", get(get_job))
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "not found") })
        .method_not_allowed_fallback(|| async {
            failure(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        .layer(DefaultBodyLimit::max(MAX_JOB_BODY))
        .layer(middleware::from_fn_with_state(app.clone(), log_request))
        .with_state(app)
}

/// One log line per request; once stopping, responses ask the client to close the connection.
async fn log_request(State(app): Shared, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if app.stopping.load(Ordering::SeqCst) {
        response
            .headers_mut()
            .insert("connection", "close".parse().expect("a valid header value"));
    }
    let status = response.status().as_u16();
    info!(
        msg = "request",
        method,
        path,
        status,
        duration_ms = started.elapsed().as_millis() as u64
    );
    response
}

async fn ready(State(app): Shared) -> Response {
    if app.stopping.load(Ordering::SeqCst) {
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "stopping"}),
        );
    }
    let (ok, checks) = readiness(&app.services).await;
    if ok {
        reply(StatusCode::OK, json!({"status": "ready", "checks": checks}))
    } else {
        reply(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "not ready", "checks": checks}),
        )
    }
}

async fn root(State(app): Shared) -> Response {
    reply(
        StatusCode::OK,
        json!({"service": env!("CARGO_PKG_NAME"), "env": app.config.app_env}),
    )
}

#[derive(Deserialize)]
struct SlowQuery {
    ms: Option<String>,
}

/// An example of a request that takes a while, to watch graceful shutdown at work.
async fn slow(Query(query): Query<SlowQuery>) -> Response {
    let ms = query
        .ms
        .and_then(|ms| ms.parse::<u64>().ok())
        .unwrap_or(0)
        .min(SLOW_MAX_MS);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    reply(StatusCode::OK, json!({"slept_ms": ms}))
}
{%- if not postgres and not redis %}

/// POST /jobs: this project has no queue.
async fn post_job(_body: Bytes) -> Response {
    failure(StatusCode::SERVICE_UNAVAILABLE, NO_QUEUE)
}

/// GET /jobs/<id>: without a queue no job exists.
async fn get_job() -> Response {
    failure(StatusCode::NOT_FOUND, "no such job")
}
{%- endif %}

async fn web(config: Config) -> Result<(), String> {
    let stop = Stop::listen();
    let services = Services::open(&config)?;
    let port = config.port;
    let app = Arc::new(App {
        config,
        services,
        stopping: AtomicBool::new(false),
    });
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port))
        .await
        .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
    info!(msg = "listening", port, env = app.config.app_env);
    let shutdown = {
        let app = app.clone();
        async move {
            stop.wait().await;
            app.stopping.store(true, Ordering::SeqCst);
        }
    };
    // Graceful: stop accepting, close idle keep-alive connections, let in-flight requests
    // finish; Stop's timer bounds the wait.
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("the server failed: {e}"))?;
    info!(msg = "stopped");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Worker, scheduler, migrations, healthcheck.
{%- if not postgres and not redis %}

/// A worker needs a queue, and this project has none.
async fn worker(_config: Config) -> Result<(), String> {
    Err(format!("worker: {NO_QUEUE}"))
}

/// The scheduler enqueues jobs, and this project has no queue.
async fn scheduler(_config: Config) -> Result<(), String> {
    Err(format!("scheduler: {NO_QUEUE}"))
}
{%- endif %}

/// The release step (`migrate`, safe to run again) and its undo (`migrate-down`, the latest
/// migration only).
async fn migrate(config: Config, down: bool) -> Result<(), String> {
{%- if postgres %}
    let postgres = postgres::Postgres::new(&config.database_url)?;
    if down {
        postgres.migrate_down().await
    } else {
        postgres.migrate_up().await
    }
{%- else %}
    // This project has no PostgreSQL, so there is no schema to migrate.
    let _ = config;
    info!(msg = "nothing to apply: the service has no database", down);
    Ok(())
{%- endif %}
}

/// The container's HEALTHCHECK: exit 0 when {{ health_path }} answers 200 within 2 s.
async fn healthcheck(config: Config) -> Result<(), String> {
    let check = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", config.port)).await?;
        stream
            .write_all(b"GET {{ health_path }} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await?;
        Ok::<bool, std::io::Error>(head.starts_with(b"HTTP/1.1 200"))
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(true)) => Ok(()),
        _ => Err("{{ health_path }} did not answer 200".into()),
    }
}

fn main() {
    let role = std::env::args().nth(1).unwrap_or_else(|| "web".to_string());
    // The role is checked first, so a typo says so even where the configuration is incomplete.
    if !ROLES.contains(&role.as_str()) {
        init_logs(tracing::Level::INFO);
        error!(msg = "unknown role", role, roles = ROLES.join(", "));
        std::process::exit(2);
    }
    let config = match Config::load(|name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(problem) => {
            init_logs(tracing::Level::INFO);
            error!(msg = "configuration error", role, error = problem);
            std::process::exit(1);
        }
    };
    init_logs(config.log_level);
    let runtime = tokio::runtime::Runtime::new().expect("the tokio runtime starts");
    let result = runtime.block_on(async {
        match role.as_str() {
            "worker" => worker(config).await,
            "scheduler" => scheduler(config).await,
            "migrate" => migrate(config, false).await,
            "migrate-down" => migrate(config, true).await,
            "healthcheck" => healthcheck(config).await,
            "web" => web(config).await,
            other => unreachable!("{other} is in ROLES but has no case"),
        }
    });
    if let Err(problem) = result {
        error!(msg = "failed", role, error = problem);
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load(|name| vars.get(name).cloned())
    }

    /// Every required variable, with values that pass the checks.
    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            // The variables a project with these services requires.
{%- if postgres %}
            ("DATABASE_URL", "postgres://app:secret@localhost:5432/app"),
{%- endif %}
{%- if redis %}
            ("REDIS_URL", "redis://:secret@localhost:6379/0"),
{%- endif %}
        ]
    }

    #[test]
    fn defaults() {
        let c = config(&valid()).unwrap();
        assert_eq!(
            (c.port, c.log_level, c.app_env.as_str()),
            ({{ port }}, tracing::Level::INFO, "development")
        );
{%- if postgres or redis %}
        assert_eq!(c.schedule_interval, Duration::from_secs(60));
        assert_eq!(c.job_claim_idle, Duration::from_secs(30));
{%- endif %}
    }

    #[test]
    fn a_secret_file_wins_and_an_empty_one_counts_as_unset() {
        let dir = std::env::temp_dir().join(format!(
            "{}-config-test-{}",
            env!("CARGO_PKG_NAME"),
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let (full, empty) = (dir.join("app_env"), dir.join("empty"));
        std::fs::write(&full, "staging\n").unwrap();
        std::fs::write(&empty, "\n").unwrap();
        let mut vars = valid();
        vars.extend([
            ("APP_ENV", "development"),
            ("APP_ENV_FILE", full.to_str().unwrap()),
        ]);
        assert_eq!(config(&vars).unwrap().app_env, "staging");
        let mut vars = valid();
        vars.push(("APP_ENV_FILE", empty.to_str().unwrap()));
        assert_eq!(config(&vars).unwrap().app_env, "development");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn bad_numbers_name_their_variable() {
        for (name, value) in [
            // Out of range, not a number, or not digits only.
            ("PORT", "eighty"),
            ("PORT", "0"),
            ("PORT", "+80"),
{%- if postgres or redis %}
            ("SCHEDULE_INTERVAL", "0"),
            ("SCHEDULE_INTERVAL", "1.5"),
            ("JOB_CLAIM_IDLE_MS", "999"),
{%- endif %}
        ] {
            let mut vars = valid();
            vars.push((name, value));
            let problem = config(&vars).unwrap_err();
            assert!(problem.contains(name), "{name}={value}: {problem}");
        }
    }
{%- if postgres %}

    #[test]
    fn database_url_is_required_and_checked() {
        let vars: Vec<_> = valid()
            .into_iter()
            .filter(|(k, _)| *k != "DATABASE_URL")
            .collect();
        assert!(
            config(&vars)
                .unwrap_err()
                .contains("DATABASE_URL is required")
        );
        let mut vars = vars;
        vars.push(("DATABASE_URL", "mysql://db/app"));
        assert!(
            config(&vars)
                .unwrap_err()
                .contains("DATABASE_URL must look like")
        );
    }
{%- endif %}
{%- if redis %}

    #[test]
    fn redis_url_is_required() {
        let vars: Vec<_> = valid()
            .into_iter()
            .filter(|(k, _)| *k != "REDIS_URL")
            .collect();
        assert!(config(&vars).unwrap_err().contains("REDIS_URL is required"));
    }
{%- endif %}

    /// The app without a network: backing services point at a port nothing listens on.
    async fn serve() -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        #[allow(unused_mut)] // unchanged when no backing service is chosen
        let mut vars = valid();
{%- if postgres or redis %}
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        vars.retain(|(k, _)| *k != "DATABASE_URL" && *k != "REDIS_URL");
{%- endif %}
{%- if postgres %}
        let pg = format!("postgres://app:secret@127.0.0.1:{closed}/app");
        vars.push(("DATABASE_URL", pg.as_str()));
{%- endif %}
{%- if redis %}
        let redis = format!("redis://127.0.0.1:{closed}/0");
        vars.push(("REDIS_URL", redis.as_str()));
{%- endif %}
        let config = config(&vars).unwrap();
        let services = Services::open(&config).unwrap();
        let app = Arc::new(App {
            config,
            services,
            stopping: AtomicBool::new(false),
        });
        let server = tokio::spawn(async move { axum::serve(listener, router(app)).await.unwrap() });
        (format!("127.0.0.1:{}", addr.port()), server)
    }

    /// A minimal HTTP/1.1 client: the status and the JSON body.
    async fn call(addr: &str, method: &str, path: &str, body: &str) -> (u16, Value) {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).await.unwrap();
        let status = text[9..12].parse().unwrap();
        let json = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| serde_json::from_str(b).unwrap())
            .unwrap();
        (status, json)
    }

    #[tokio::test]
    async fn health_ready_and_unknown_paths_answer_json() {
        let (addr, server) = serve().await;
        assert_eq!(
            call(&addr, "GET", "{{ health_path }}", "").await,
            (200, json!({"status": "ok"}))
        );
        let (status, body) = call(&addr, "GET", "{{ ready_path }}", "").await;
{%- if postgres or redis %}
        assert_eq!(
            (status, body["status"].as_str()),
            (503, Some("not ready")),
            "{body}"
        );
{%- endif %}
{%- if postgres %}
        assert_eq!(body["checks"]["postgres"], "refused");
{%- endif %}
{%- if redis %}
        assert_eq!(body["checks"]["redis"], "refused");
{%- endif %}
{%- if not postgres and not redis %}
        assert_eq!(
            (status, body),
            (200, json!({"status": "ready", "checks": {}}))
        );
{%- endif %}
        assert_eq!(
            call(&addr, "GET", "/no-such-page", "").await,
            (404, json!({"error": "not found"}))
        );
        assert_eq!(call(&addr, "DELETE", "{{ health_path }}", "").await.0, 405);
        server.abort();
    }

    #[tokio::test]
    async fn post_jobs_checks_the_body_first() {
        let (addr, server) = serve().await;
{%- if postgres or redis %}
        let (status, body) = call(&addr, "POST", "/jobs", r#"{"payload": {}}"#).await;
        assert_eq!(status, 400, "{body}");
        assert!(body["error"].as_str().unwrap().contains("kind"));
        let big = json!({"kind": "x", "payload": {"pad": "x".repeat(MAX_JOB_BODY)}}).to_string();
        assert_eq!(call(&addr, "POST", "/jobs", &big).await.0, 413);
{%- else %}
        let (status, body) = call(&addr, "POST", "/jobs", r#"{"kind": "x"}"#).await;
        assert_eq!((status, body), (503, json!({"error": NO_QUEUE})));
        assert_eq!(
            call(&addr, "GET", "/jobs/1", "").await,
            (404, json!({"error": "no such job"}))
        );
{%- endif %}
        server.abort();
    }
}
