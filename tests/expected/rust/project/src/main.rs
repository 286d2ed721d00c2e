//! billing-api: a minimal service that keeps the twelve-factor contract. Replace the example
//! routes with your own; keep the contract:
//!   - every setting comes from the environment, read once in `Config::load`;
//!   - the web process binds 0.0.0.0:$PORT;
//!   - /health answers while the process runs, /ready only while the backing services answer;
//!   - one JSON line on stdout per request and per lifecycle event;
//!   - on SIGTERM: stop accepting, finish in-flight requests, exit 0.
//!
//! Run a role with `./target/release/billing-api <role>`: web (default), worker, scheduler,
//! migrate, healthcheck. Every process type runs from the same binary and the same image.
//! Standard library only: the HTTP handling is deliberately small (one request per connection),
//! and the readiness probes speak just enough of each protocol to get an answer.
//! Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
//! binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).

use std::ffi::c_int;
use std::fmt::{self, Write as _};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SERVICE: &str = "billing-api";
const ROLES: [&str; 5] = ["web", "worker", "scheduler", "migrate", "healthcheck"];
/// How long a stopping process waits for in-flight work; below `docker stop`'s 10 s.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);
/// How long the `healthcheck` role waits for /health; below the HEALTHCHECK's 3 s.
const HEALTHCHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
const SLOW_MAX_MS: u64 = 5000;
/// How often waiting loops look at the stop flag: short enough that stopping feels immediate.
const POLL: Duration = Duration::from_millis(25);
/// How long a client may take to send its request line and headers; below SHUTDOWN_GRACE, so a
/// stalled client cannot hold up a graceful stop.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_HEAD_BYTES: usize = 16 * 1024;

// ---------------------------------------------------------------------------------------------
// Signals. The handler only stores the signal number in an atomic, which is async-signal-safe;
// the loops below notice it within one POLL.

const SIGINT: c_int = 2;
const SIGTERM: c_int = 15;
static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(signum: c_int) {
    SIGNAL.store(signum, Ordering::SeqCst);
}

extern "C" {
    // The C library's signal(); the standard library already links the C library, so handling
    // SIGTERM needs no crate.
    fn signal(signum: c_int, handler: extern "C" fn(c_int)) -> usize;
}

fn install_signal_handlers() {
    // SAFETY: the handler is a plain function that only stores to an atomic.
    unsafe {
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
    }
}

fn stop_requested() -> bool {
    SIGNAL.load(Ordering::SeqCst) != 0
}

fn signal_name() -> &'static str {
    match SIGNAL.load(Ordering::SeqCst) {
        SIGINT => "SIGINT",
        _ => "SIGTERM",
    }
}

// ---------------------------------------------------------------------------------------------
// Configuration (factor III): read once, checked once, and every error names its variable.

#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    const ALL: [Level; 4] = [Level::Debug, Level::Info, Level::Warn, Level::Error];

    fn name(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.name() == name)
    }
}

/// Where a server listens: a backing service, or this process for the healthcheck.
#[derive(Debug)]
struct Endpoint {
    host: String,
    port: u16,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An IPv6 address goes in brackets, because it contains colons itself.
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Debug shows no secret: the database's password is not kept, and RedisTarget hides its own.
#[derive(Debug)]
struct Config {
    app_env: String,
    log_level: Level,
    port: u16,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        Config::load(|name| std::env::var(name).ok())
    }

    /// Reads and checks every setting through `var`, so tests can pass their own environment.
    /// `NAME_FILE` (a Docker secret) wins over `NAME`; an empty value counts as missing.
    fn load(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let read = |name: &str| -> Result<Option<String>, String> {
            let value = match var(&format!("{name}_FILE")).filter(|path| !path.is_empty()) {
                Some(path) => std::fs::read_to_string(&path)
                    .map(|text| text.trim().to_string())
                    .map_err(|e| format!("{name}_FILE names {path}, which cannot be read: {e}"))?,
                None => var(name).unwrap_or_default(),
            };
            Ok(Some(value).filter(|v| !v.is_empty()))
        };

        let port = match read("PORT")? {
            None => 8080,
            Some(text) => parse_port(&text).ok_or_else(|| {
                format!("PORT must be a whole number from 1 to 65535, not {text:?}")
            })?,
        };
        let log_level = match read("LOG_LEVEL")? {
            None => Level::Info,
            Some(text) => Level::parse(&text).ok_or_else(|| {
                format!("LOG_LEVEL must be one of debug, info, warn, error, not {text:?}")
            })?,
        };
        Ok(Config {
            app_env: read("APP_ENV")?.unwrap_or_else(|| "development".to_string()),
            log_level,
            port,
        })
    }
}

/// A TCP port: a whole number from 1 to 65535, in digits only (`parse` alone takes "+80").
fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&port| port > 0)
}

// ---------------------------------------------------------------------------------------------
// Logs (factor XI): one JSON object per line on stdout; where they go is the platform's business.

/// A JSON value, enough for log lines and response bodies.
enum Json {
    Str(String),
    Num(u64),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_string())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Str(s)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Json {
        Json::Num(n)
    }
}

impl From<u16> for Json {
    fn from(n: u16) -> Json {
        Json::Num(n.into())
    }
}

fn obj<const N: usize>(fields: [(&'static str, Json); N]) -> Json {
    Json::Obj(fields.into())
}

fn write_json_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Str(s) => write_json_str(f, s),
            Json::Num(n) => write!(f, "{n}"),
            Json::Arr(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
            Json::Obj(fields) => {
                f.write_char('{')?;
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_json_str(f, key)?;
                    write!(f, ":{value}")?;
                }
                f.write_char('}')
            }
        }
    }
}

/// ISO 8601 in UTC with milliseconds, from the time since the Unix epoch.
fn iso8601(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let (days, day_secs) = (secs / 86_400, secs % 86_400);
    // Days to a civil date (Howard Hinnant's algorithm), counted in 400-year eras from 0000-03-01.
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        day_secs / 3600,
        day_secs % 3600 / 60,
        day_secs % 60,
        since_epoch.subsec_millis()
    )
}

#[derive(Clone, Copy)]
struct Logger {
    min: Level,
}

impl Logger {
    fn new(min: Level) -> Logger {
        Logger { min }
    }

    fn log(&self, level: Level, msg: &str, fields: Vec<(&'static str, Json)>) {
        if level < self.min {
            return;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let mut line = vec![
            ("time", Json::from(iso8601(now))),
            ("level", level.name().into()),
            ("service", SERVICE.into()),
            ("msg", msg.into()),
        ];
        line.extend(fields);
        // One write per line, so lines from different threads never interleave. A closed stdout
        // must not take the service down, so write errors are ignored.
        let text = format!("{}\n", Json::Obj(line));
        let _ = io::stdout().lock().write_all(text.as_bytes());
    }

    fn debug(&self, msg: &str, fields: Vec<(&'static str, Json)>) {
        self.log(Level::Debug, msg, fields);
    }

    fn info(&self, msg: &str, fields: Vec<(&'static str, Json)>) {
        self.log(Level::Info, msg, fields);
    }

    fn warn(&self, msg: &str, fields: Vec<(&'static str, Json)>) {
        self.log(Level::Warn, msg, fields);
    }

    fn error(&self, msg: &str, fields: Vec<(&'static str, Json)>) {
        self.log(Level::Error, msg, fields);
    }
}

// ---------------------------------------------------------------------------------------------
// Backing services (factor IV): attached by URL, checked by speaking their own protocol.

/// Connects to `target`, sends `hello`, and reads until `done` says the answer is complete or
/// the server closes; all within `timeout`. Errors are worded for whoever reads /ready.
fn exchange(
    target: &Endpoint,
    hello: &[u8],
    timeout: Duration,
    done: impl Fn(&[u8]) -> bool,
) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + timeout;
    let too_slow = || format!("no answer from {target} within {} ms", timeout.as_millis());
    let unreachable = |why: &str| format!("unreachable: {target}: {why}");
    let left = || time_left(deadline).ok_or_else(too_slow);

    let mut stream = Err(unreachable("no address"));
    for addr in resolve(target, timeout).map_err(|why| unreachable(&why))? {
        stream = TcpStream::connect_timeout(&addr, left()?).map_err(|e| unreachable(&describe(&e)));
        if stream.is_ok() {
            break;
        }
    }
    let mut stream = stream?;
    let failed = |e: io::Error| {
        if timed_out(&e) {
            too_slow()
        } else {
            format!("{target}: {}", describe(&e))
        }
    };
    if !hello.is_empty() {
        stream.set_write_timeout(Some(left()?)).map_err(failed)?;
        stream.write_all(hello).map_err(failed)?;
    }
    let mut reply = Vec::new();
    let mut chunk = [0u8; 1024];
    while !done(&reply) {
        stream.set_read_timeout(Some(left()?)).map_err(failed)?;
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(failed(e)),
        }
    }
    Ok(reply)
}

/// Looks the host up without letting a slow DNS server hold the caller past `timeout`: the C
/// library's lookup cannot be cancelled, so it runs on a helper thread that is left to finish
/// on its own if it is late.
fn resolve(target: &Endpoint, timeout: Duration) -> Result<Vec<SocketAddr>, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let host_port = (target.host.clone(), target.port);
    thread::spawn(move || {
        let _ = tx.send(host_port.to_socket_addrs().map(Vec::from_iter));
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(_) => Err("lookup failed".to_string()),
        Err(_) => Err("lookup timed out".to_string()),
    }
}

/// The time until `deadline`, or None once it has passed (a zero timeout is an error in std).
fn time_left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
}

/// Whether a read or write gave up because its timeout passed.
fn timed_out(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::ConnectionRefused => "connection refused".to_string(),
        ErrorKind::ConnectionReset => "connection reset".to_string(),
        _ if timed_out(e) => "timed out".to_string(),
        _ => e.to_string(),
    }
}

/// What each backing service said: Ok, or why it is not ready.
struct Readiness {
    checks: Vec<(&'static str, Result<(), String>)>,
}

impl Readiness {
    fn ok(&self) -> bool {
        self.checks.iter().all(|(_, outcome)| outcome.is_ok())
    }

    fn to_json(&self) -> Json {
        let checks = self.checks.iter().map(|(name, outcome)| match outcome {
            Ok(()) => (*name, Json::from("ok")),
            Err(why) => (*name, Json::from(why.as_str())),
        });
        Json::Obj(checks.collect())
    }
}

/// How a backing service is asked whether it is ready.
type Probe = fn(&Config) -> Result<(), String>;

/// The backing services /ready and the release step check, by name.
/// None is configured, so the process is ready as soon as it serves.
const PROBES: &[(&str, Probe)] = &[];

/// Probes every backing service side by side, so /ready answers within one probe timeout
/// however many services there are.
fn readiness(config: &Config) -> Readiness {
    thread::scope(|s| {
        let running: Vec<_> = PROBES
            .iter()
            .map(|&(name, probe)| (name, s.spawn(move || probe(config))))
            .collect();
        // A probe that panicked has a bug; it still counts as not ready, not as a failed request.
        let panicked = || Err("the probe panicked".to_string());
        let checks = running
            .into_iter()
            .map(|(name, probe)| (name, probe.join().unwrap_or_else(|_| panicked())))
            .collect();
        Readiness { checks }
    })
}

// ---------------------------------------------------------------------------------------------
// The web process (factors VII and IX): a thread per connection, one request per connection.

/// What every connection thread shares.
struct App {
    config: Config,
    log: Logger,
    /// Connections being served; a graceful stop waits for this to reach zero.
    in_flight: AtomicUsize,
}

/// Counts a connection as in flight until it is dropped, even if its thread panics.
struct InFlight(Arc<App>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Request {
    method: String,
    path: String,
    query: String,
}

enum Incoming {
    Request(Request),
    Malformed,
    /// The client went away, or stayed silent while the process stops.
    Gone,
}

fn web(config: Config, log: Logger) -> i32 {
    let listener = match TcpListener::bind(("0.0.0.0", config.port)) {
        Ok(listener) => listener,
        Err(e) => {
            log.error(
                "cannot listen",
                vec![
                    ("port", config.port.into()),
                    ("error", e.to_string().into()),
                ],
            );
            return 1;
        }
    };
    log.info(
        "listening",
        vec![
            ("port", config.port.into()),
            ("env", config.app_env.as_str().into()),
        ],
    );
    let app = Arc::new(App {
        config,
        log,
        in_flight: AtomicUsize::new(0),
    });
    accept_until_stopped(&listener, &app);

    log.info("stopping", vec![("signal", signal_name().into())]);
    // Closing the listener refuses new connections, so the platform sends them elsewhere.
    drop(listener);
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    while app.in_flight.load(Ordering::SeqCst) > 0 {
        if Instant::now() >= deadline {
            let in_flight = app.in_flight.load(Ordering::SeqCst) as u64;
            let grace_ms = SHUTDOWN_GRACE.as_millis() as u64;
            log.error(
                "in-flight work did not finish in time",
                vec![
                    ("grace_ms", grace_ms.into()),
                    ("in_flight", in_flight.into()),
                ],
            );
            return 1;
        }
        thread::sleep(POLL);
    }
    log.info("stopped", vec![]);
    0
}

/// Accepts connections until a stop signal arrives. The listener is non-blocking so the loop
/// can look at the stop flag between connections.
fn accept_until_stopped(listener: &TcpListener, app: &Arc<App>) {
    if let Err(e) = listener.set_nonblocking(true) {
        app.log.error(
            "cannot poll the listener",
            vec![("error", e.to_string().into())],
        );
        return;
    }
    while !stop_requested() {
        match listener.accept() {
            Ok((stream, _)) => {
                app.in_flight.fetch_add(1, Ordering::SeqCst);
                let guard = InFlight(Arc::clone(app));
                let spawned =
                    thread::Builder::new().spawn(move || handle_connection(stream, &guard.0));
                if let Err(e) = spawned {
                    // The closure, and with it the guard and the connection, is dropped here.
                    app.log.warn(
                        "cannot start a connection thread",
                        vec![("error", e.to_string().into())],
                    );
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(POLL),
            Err(e) => {
                // For example too many open files: say so, and do not spin while it lasts.
                app.log
                    .warn("accept failed", vec![("error", e.to_string().into())]);
                thread::sleep(POLL);
            }
        }
    }
}

fn handle_connection(mut stream: TcpStream, app: &App) {
    let started = Instant::now();
    // On some systems an accepted socket inherits the listener's non-blocking mode.
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(REQUEST_TIMEOUT));
    let (method, path, status, body) = match read_request(&mut stream) {
        Incoming::Gone => return,
        Incoming::Malformed => (String::new(), String::new(), 400, error_body("bad request")),
        Incoming::Request(request) => {
            let (status, body) = route(app, &request);
            (request.method, request.path, status, body)
        }
    };
    respond(&mut stream, status, &body, method == "HEAD");
    let duration_ms = started.elapsed().as_millis() as u64;
    app.log.info(
        "request",
        vec![
            ("method", method.into()),
            ("path", path.into()),
            ("status", status.into()),
            ("duration_ms", duration_ms.into()),
        ],
    );
    close_gently(stream);
}

/// Reads the request line and headers (a GET has no body to read). Short read timeouts let a
/// connection that has not sent anything yet notice that the process is stopping, and close.
fn read_request(stream: &mut TcpStream) -> Incoming {
    let started = Instant::now();
    if stream.set_read_timeout(Some(POLL)).is_err() {
        return Incoming::Gone;
    }
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if head.len() > MAX_HEAD_BYTES {
            return Incoming::Malformed;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Incoming::Gone,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // Each timeout is a chance to notice a stop, or a client that takes too long.
            Err(e) if timed_out(&e) => {
                if (head.is_empty() && stop_requested()) || started.elapsed() > REQUEST_TIMEOUT {
                    return Incoming::Gone;
                }
            }
            Err(_) => return Incoming::Gone,
        }
    };
    let head = String::from_utf8_lossy(&head[..end]);
    let mut words = head.lines().next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Incoming::Malformed;
    };
    if !version.starts_with("HTTP/1.") {
        return Incoming::Malformed;
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Incoming::Request(Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
    })
}

fn error_body(message: &str) -> Json {
    obj([("error", message.into())])
}

/// The routes. Replace the examples with your own.
fn route(app: &App, request: &Request) -> (u16, Json) {
    if request.method != "GET" && request.method != "HEAD" {
        return (405, error_body("method not allowed"));
    }
    match request.path.as_str() {
        "/health" => (200, obj([("status", "ok".into())])),
        "/ready" => {
            if stop_requested() {
                return (503, obj([("status", "stopping".into())]));
            }
            let readiness = readiness(&app.config);
            let (code, status) = if readiness.ok() {
                (200, "ready")
            } else {
                (503, "not ready")
            };
            (
                code,
                obj([("status", status.into()), ("checks", readiness.to_json())]),
            )
        }
        "/" => (
            200,
            obj([
                ("service", SERVICE.into()),
                ("env", app.config.app_env.as_str().into()),
            ]),
        ),
        "/demo/slow" => {
            // An example of a request that takes a while, to watch graceful shutdown at work.
            let ms = query_param(&request.query, "ms")
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
            let ms = ms.min(SLOW_MAX_MS);
            thread::sleep(Duration::from_millis(ms));
            (200, obj([("slept_ms", ms.into())]))
        }
        _ => (404, error_body("not found")),
    }
}

fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| {
        pair.split_once('=')
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| value)
    })
}

fn respond(stream: &mut TcpStream, status: u16, body: &Json, head_only: bool) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    };
    let allow = if status == 405 {
        "allow: GET, HEAD\r\n"
    } else {
        ""
    };
    let body = body.to_string();
    // Connection: close, because each connection carries one request; a stopping process then
    // has no idle keep-alive connections to wait for.
    let mut response = format!(
        "HTTP/1.1 {status} {reason}\r\n\
         content-type: application/json\r\n\
         content-length: {}\r\n\
         {allow}connection: close\r\n\r\n",
        body.len()
    );
    if !head_only {
        response.push_str(&body);
    }
    let _ = stream.write_all(response.as_bytes());
}

/// Closes a connection without losing the response: closing a socket with unread input makes
/// the kernel send a reset, which can discard the response before the client reads it. So send
/// our end's close first, then read whatever the client still sends, briefly.
fn close_gently(stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_millis(250);
    let mut sink = [0u8; 1024];
    while let Some(left) = time_left(deadline) {
        let _ = stream.set_read_timeout(Some(left));
        match (&stream).read(&mut sink) {
            Ok(n) if n > 0 => {}
            _ => break,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The other process types (factors VIII and XII).

/// A process that does one unit of work per tick. The stop flag is looked at between ticks, so
/// a tick in progress always finishes before the process exits.
fn run_loop(role: &'static str, every: Duration, config: &Config, log: Logger) -> i32 {
    let every_ms = every.as_millis() as u64;
    log.info(
        "started",
        vec![
            ("role", role.into()),
            ("env", config.app_env.as_str().into()),
            ("every_ms", every_ms.into()),
        ],
    );
    let mut next = Instant::now() + every;
    while !stop_requested() {
        if Instant::now() >= next {
            // Do the work here: take a job from the queue, or enqueue the periodic ones.
            log.debug("tick", vec![("role", role.into())]);
            next += every;
        }
        thread::sleep(POLL);
    }
    log.info(
        "stopping",
        vec![("role", role.into()), ("signal", signal_name().into())],
    );
    log.info("stopped", vec![("role", role.into())]);
    0
}

/// The release step, run once per deploy before the new web processes start. It must be safe to
/// run again: it checks that the backing services answer, then applies pending migrations.
fn migrate(config: &Config, log: Logger) -> i32 {
    let readiness = readiness(config);
    if !readiness.ok() {
        log.error(
            "migrate: a backing service is not ready",
            vec![("checks", readiness.to_json())],
        );
        return 1;
    }
    // Wire your migration tool in here, for example refinery's embedded migrations or
    // `sqlx migrate run`; such tools record what they applied and skip it next time, so a
    // repeated release is harmless.
    log.info(
        "migrate: nothing to apply",
        vec![("checks", readiness.to_json())],
    );
    0
}

/// The image's HEALTHCHECK: exit 0 when this container's web process answers /health with 200.
fn healthcheck(config: &Config) -> i32 {
    const REQUEST: &[u8] = b"GET /health HTTP/1.1\r\n\
        host: 127.0.0.1\r\n\
        connection: close\r\n\r\n";
    let local = Endpoint {
        host: "127.0.0.1".to_string(),
        port: config.port,
    };
    let status_line = |r: &[u8]| r.windows(2).any(|w| w == b"\r\n");
    match exchange(&local, REQUEST, HEALTHCHECK_TIMEOUT, status_line) {
        Ok(reply) if String::from_utf8_lossy(&reply).split(' ').nth(1) == Some("200") => 0,
        _ => 1,
    }
}

fn main() {
    install_signal_handlers();
    let role = std::env::args().nth(1).unwrap_or_else(|| "web".to_string());
    // The role is checked first, so a typo says so even where the configuration is incomplete.
    if !ROLES.contains(&role.as_str()) {
        let roles = Json::Arr(ROLES.into_iter().map(Json::from).collect());
        let fields = vec![("role", role.as_str().into()), ("roles", roles)];
        Logger::new(Level::Info).error("unknown role", fields);
        std::process::exit(2);
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            let fields = vec![("role", role.as_str().into()), ("error", error.into())];
            Logger::new(Level::Info).error("configuration error", fields);
            std::process::exit(1);
        }
    };
    let log = Logger::new(config.log_level);
    let code = match role.as_str() {
        "web" => web(config, log),
        "worker" => run_loop("worker", Duration::from_secs(5), &config, log),
        "scheduler" => run_loop("scheduler", Duration::from_secs(60), &config, log),
        "migrate" => migrate(&config, log),
        "healthcheck" => healthcheck(&config),
        other => unreachable!("a role in ROLES has no case: {other}"),
    };
    std::process::exit(code);
}

// ---------------------------------------------------------------------------------------------
// The service's own tests, run by `cargo test` locally and in CI; no network beyond localhost.

#[cfg(test)]
mod tests {
    use super::*;

    /// The backing services this project uses, valid, so each test can vary one thing.
    const SERVICES: &[(&str, &str)] = &[];

    /// Loads the configuration from `vars` and then SERVICES, instead of the process environment.
    fn load(vars: &[(&str, &str)]) -> Result<Config, String> {
        Config::load(|name| {
            vars.iter()
                .chain(SERVICES)
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn safe_defaults_for_everything_but_backing_services() {
        let config = load(&[]).expect("valid settings");
        assert_eq!(config.port, 8080);
        assert_eq!(config.log_level, Level::Info);
        assert_eq!(config.app_env, "development");
    }

    #[test]
    fn a_port_that_is_not_a_port_is_named() {
        for bad in ["eighty", "0", "65536", "+80"] {
            let error = load(&[("PORT", bad)]).expect_err(bad);
            assert!(error.contains("PORT"), "{error}");
        }
        let config = load(&[("PORT", "")]).expect("an empty PORT counts as unset");
        assert_eq!(config.port, 8080);
    }

    #[test]
    fn a_secret_file_wins_over_the_variable() {
        let path = std::env::temp_dir().join(format!("{SERVICE}-test-{}", std::process::id()));
        std::fs::write(&path, "staging\n").expect("write the secret file");
        let config = load(&[
            ("APP_ENV", "production"),
            ("APP_ENV_FILE", path.to_str().expect("a UTF-8 path")),
        ]);
        std::fs::remove_file(&path).expect("remove the secret file");
        assert_eq!(config.expect("valid settings").app_env, "staging");
    }

    #[test]
    fn log_times_are_iso_8601_utc() {
        assert_eq!(
            iso8601(Duration::from_millis(1_709_164_800_123)),
            "2024-02-29T00:00:00.123Z"
        );
        assert_eq!(iso8601(Duration::ZERO), "1970-01-01T00:00:00.000Z");
    }

    /// Starts the web routes on a free local port, with every backing service pointing at a port
    /// nothing listens on. Only errors are logged, to keep the test output readable.
    fn start() -> u16 {
        let config = load(&[]).expect("valid settings");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("a local address").port();
        let app = Arc::new(App {
            config,
            log: Logger::new(Level::Error),
            in_flight: AtomicUsize::new(0),
        });
        thread::spawn(move || accept_until_stopped(&listener, &app));
        port
    }

    /// Sends a GET and returns the status code and body.
    fn get(port: u16, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("set a timeout");
        write!(stream, "GET {path} HTTP/1.1\r\nhost: localhost\r\n\r\n").expect("send the request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").expect("a whole response");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
        (status.expect("a status line"), body.to_string())
    }

    #[test]
    fn health_answers_200() {
        assert_eq!(
            get(start(), "/health"),
            (200, r#"{"status":"ok"}"#.to_string())
        );
    }

    #[test]
    fn ready_reports_each_backing_service() {
        let (status, body) = get(start(), "/ready");
        // No backing services are configured, so the service is ready as soon as it listens.
        assert_eq!(
            (status, body.as_str()),
            (200, r#"{"status":"ready","checks":{}}"#)
        );
    }

    #[test]
    fn unknown_paths_get_a_json_404() {
        assert_eq!(
            get(start(), "/no-such-page"),
            (404, r#"{"error":"not found"}"#.to_string())
        );
    }
}
