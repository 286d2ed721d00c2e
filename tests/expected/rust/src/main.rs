//! billing-api: the placeholder service. Replace the handlers; keep the contract:
//! bind $PORT, answer /health and /ready, log JSON lines to stdout, read every
//! setting from the environment, exit cleanly on SIGTERM.
//! Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
//! binding), IX (disposability), XI (logs as event streams) and XII (admin processes).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigterm(_: i32) {
    STOP.store(true, Ordering::SeqCst);
}

extern "C" {
    // From the C library the standard library already links on Unix.
    fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
}

const SIGTERM: i32 = 15;
const SIGINT: i32 = 2;

/// A setting from the environment, or from the file named by NAME_FILE (Docker secrets).
fn setting(name: &str, fallback: &str) -> String {
    if let Ok(path) = std::env::var(format!("{name}_FILE")) {
        match std::fs::read_to_string(&path) {
            Ok(s) => return s.trim().to_string(),
            Err(e) => {
                log("error", &format!("cannot read {name}_FILE: {e}"));
                std::process::exit(1);
            }
        }
    }
    std::env::var(name).unwrap_or_else(|_| fallback.to_string())
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn log(level: &str, msg: &str) {
    const LEVELS: [&str; 4] = ["debug", "info", "warn", "error"];
    let min = std::env::var("LOG_LEVEL").unwrap_or_default();
    let rank = |l: &str| LEVELS.iter().position(|x| *x == l).unwrap_or(1);
    if rank(level) < rank(&min) {
        return;
    }
    let time = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (open, close) = ('{', '}');
    println!("{open}\"time\":{time},\"level\":{},\"msg\":{}{close}", json_str(level), json_str(msg));
}

fn respond(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = [0u8; 4096];
    let n = stream.read(&mut buf).unwrap_or(0);
    let request = String::from_utf8_lossy(&buf[..n]);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let (status, body) = match path {
        "/health" => ("200 OK", "{\"status\":\"ok\"}".to_string()),
        "/ready" => ("200 OK", "{\"status\":\"ready\"}".to_string()),
        "/" => ("200 OK", "{\"service\":\"billing-api\"}".to_string()),
        _ => ("404 Not Found", "{\"error\":\"not found\"}".to_string()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn serve(port: &str, app_env: &str) {
    let listener = TcpListener::bind(format!("0.0.0.0:{port}")).unwrap_or_else(|e| {
        log("error", &format!("cannot bind port {port}: {e}"));
        std::process::exit(1);
    });
    listener.set_nonblocking(true).expect("non-blocking listener");
    log("info", &format!("listening on port {port} ({app_env})"));
    while !STOP.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                std::thread::spawn(move || respond(stream));
            }
            Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => log("warn", &format!("accept failed: {e}")),
        }
    }
    log("info", "SIGTERM received, stopped");
}

fn run_loop(role: &str, every: Duration) {
    log("info", &format!("{role} started"));
    let mut waited = Duration::ZERO;
    while !STOP.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        waited += Duration::from_millis(100);
        if waited >= every {
            waited = Duration::ZERO;
            log("debug", &format!("{role} tick"));
        }
    }
    log("info", &format!("{role} stopped"));
}

fn healthcheck(port: &str) -> i32 {
    let Ok(mut stream) = TcpStream::connect(format!("127.0.0.1:{port}")) else { return 1 };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if write!(stream, "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n").is_err() {
        return 1;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    if response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200") {
        0
    } else {
        1
    }
}

fn main() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        signal(SIGTERM, on_sigterm);
        signal(SIGINT, on_sigterm);
    }
    let app_env = setting("APP_ENV", "development");
    let port = setting("PORT", "8080");
    let role = std::env::args().nth(1).unwrap_or_else(|| "web".to_string());
    match role.as_str() {
        "web" => serve(&port, &app_env),
        "worker" => run_loop("worker", Duration::from_secs(5)),
        "scheduler" => run_loop("scheduler", Duration::from_secs(60)),
        "migrate" => log("info", "no migrations yet"),
        "healthcheck" => std::process::exit(healthcheck(&port)),
        other => {
            log("error", &format!("unknown role {other}"));
            std::process::exit(2);
        }
    }
}
