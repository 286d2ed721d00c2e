//! billing-api: a small service that keeps the twelve-factor contract. Replace the example
//! routes with your own; keep the contract:
//!   - every setting comes from the environment, read once in `Config::load`;
//!   - the web process binds 0.0.0.0:$PORT;
//!   - /health answers while the process runs, /ready only while the backing services answer;
//!   - one JSON line on stdout per request and per lifecycle event (tracing's JSON output);
//!   - on SIGTERM: stop accepting, finish in-flight work, exit 0.
//!
//! Run a role with `./target/release/billing-api <role>`: web (default), worker, scheduler,
//! migrate, migrate-down, healthcheck. Every process type runs from the same binary and image.
//! HTTP is axum on tokio and hyper.
//! Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
//! binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
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
/// What /jobs answers in a project without PostgreSQL or Redis.
const NO_QUEUE: &str = "no queue: choose PostgreSQL or Redis";

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
            port: s.number("PORT", "8080", 1..=65535)? as u16,
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

    /// Returns once a stop is requested.
    async fn wait(&self) {
        let mut rx = self.0.clone();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Backing services: clients made once per process; nothing connects before first use.

struct Services {
    // One client per chosen service, and the job queue when there is one.
}

type Probe = std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

impl Services {
    fn open(_config: &Config) -> Result<Services, String> {
        Ok(Services {
            // Every client connects on first use.
        })
    }

    /// /ready's checks by name: a real round trip to each chosen service.
    fn probes(&self) -> Vec<(&'static str, Probe)> {
        vec![
            // One per chosen service.
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
            "/health",
            get(|| async { reply(StatusCode::OK, json!({"status": "ok"})) }),
        )
        .route("/ready", get(ready))
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

/// POST /jobs: this project has no queue.
async fn post_job(_body: Bytes) -> Response {
    failure(StatusCode::SERVICE_UNAVAILABLE, NO_QUEUE)
}

/// GET /jobs/<id>: without a queue no job exists.
async fn get_job() -> Response {
    failure(StatusCode::NOT_FOUND, "no such job")
}

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

/// A worker needs a queue, and this project has none.
async fn worker(_config: Config) -> Result<(), String> {
    Err(format!("worker: {NO_QUEUE}"))
}

/// The scheduler enqueues jobs, and this project has no queue.
async fn scheduler(_config: Config) -> Result<(), String> {
    Err(format!("scheduler: {NO_QUEUE}"))
}

/// The release step (`migrate`, safe to run again) and its undo (`migrate-down`, the latest
/// migration only).
async fn migrate(config: Config, down: bool) -> Result<(), String> {
    // This project has no PostgreSQL, so there is no schema to migrate.
    let _ = config;
    info!(msg = "nothing to apply: the service has no database", down);
    Ok(())
}

/// The container's HEALTHCHECK: exit 0 when /health answers 200 within 2 s.
async fn healthcheck(config: Config) -> Result<(), String> {
    let check = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", config.port)).await?;
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).await?;
        Ok::<bool, std::io::Error>(head.starts_with(b"HTTP/1.1 200"))
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(true)) => Ok(()),
        _ => Err("/health did not answer 200".into()),
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
        ]
    }

    #[test]
    fn defaults() {
        let c = config(&valid()).unwrap();
        assert_eq!(
            (c.port, c.log_level, c.app_env.as_str()),
            (8080, tracing::Level::INFO, "development")
        );
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
        ] {
            let mut vars = valid();
            vars.push((name, value));
            let problem = config(&vars).unwrap_err();
            assert!(problem.contains(name), "{name}={value}: {problem}");
        }
    }

    /// The app without a network: backing services point at a port nothing listens on.
    async fn serve() -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        #[allow(unused_mut)] // unchanged when no backing service is chosen
        let mut vars = valid();
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
            call(&addr, "GET", "/health", "").await,
            (200, json!({"status": "ok"}))
        );
        let (status, body) = call(&addr, "GET", "/ready", "").await;
        assert_eq!(
            (status, body),
            (200, json!({"status": "ready", "checks": {}}))
        );
        assert_eq!(
            call(&addr, "GET", "/no-such-page", "").await,
            (404, json!({"error": "not found"}))
        );
        assert_eq!(call(&addr, "DELETE", "/health", "").await.0, 405);
        server.abort();
    }

    #[tokio::test]
    async fn post_jobs_checks_the_body_first() {
        let (addr, server) = serve().await;
        let (status, body) = call(&addr, "POST", "/jobs", r#"{"kind": "x"}"#).await;
        assert_eq!((status, body), (503, json!({"error": NO_QUEUE})));
        assert_eq!(
            call(&addr, "GET", "/jobs/1", "").await,
            (404, json!({"error": "no such job"}))
        );
        server.abort();
    }
}
