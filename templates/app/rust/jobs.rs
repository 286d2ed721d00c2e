//! {{ name }}: background jobs. POST /jobs enqueues one, `worker` processes take and run them,
//! `scheduler` enqueues one every SCHEDULE_INTERVAL. The queue is
{%- if postgres %} the jobs table in PostgreSQL
{%- else %} a Redis stream
{%- endif %}.
//! A job taken by a worker that dies is taken again once its lease (JOB_CLAIM_IDLE_MS) runs
//! out, and `attempts` counts every take.
//! Serves factors VI (stateless processes: state lives in the queue), VIII (concurrency: run as
//! many workers as you like) and IX (disposability).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use tracing::{error, info, warn};

use crate::{App, Config, Services, Stop, failure, reply};

/// How long a stopping worker lets its current job run before putting it back: the rest of
/// the grace period covers putting it back and exiting.
const JOB_GRACE: Duration = Duration::from_secs(6);
/// The longest a job's demo work may take.
const SLEEP_MAX_MS: u64 = 10_000;
/// How long an idle worker waits before looking for work again.
const POLL: Duration = Duration::from_millis(500);
{%- if postgres %}

/// The job queue: the jobs table in PostgreSQL.
pub type Queue = crate::postgres::JobQueue;
{%- else %}

/// The job queue: a Redis stream.
pub type Queue = crate::redis_store::JobQueue;
{%- endif %}

/// One unit of background work as GET /jobs/<id> shows it.
#[derive(Debug, serde::Serialize)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub attempts: i64,
}

/// A job a worker has taken: what it needs to run it, and `attempts` to prove the take is
/// still its own when it finishes.
#[derive(Debug)]
pub struct Taken {
    pub id: String,
    pub kind: String,
    pub attempts: i64,
    pub payload: Value,
{%- if not postgres %}
    /// The stream entry, acknowledged when the job is done or put back.
    pub entry: String,
{%- endif %}
}

/// The demo work a payload may ask for: {"sleep_ms": N} takes N ms.
#[derive(Deserialize)]
struct Demo {
    sleep_ms: Option<u64>,
}

/// Checks a POST /jobs body; returns the kind and the payload to store.
fn check_job(body: &[u8]) -> Result<(String, Value), String> {
    #[derive(Deserialize)]
    struct JobRequest {
        kind: Option<String>,
        payload: Option<Value>,
    }
    let request: JobRequest = serde_json::from_slice(body)
        .map_err(|e| format!("the body is not a JSON object with kind and payload: {e}"))?;
    let kind = request
        .kind
        .filter(|k| (1..=64).contains(&k.chars().count()))
        .ok_or("kind is required: text of 1 to 64 characters")?;
    let payload = match request.payload {
        None | Some(Value::Null) => json!({}),
        Some(p @ Value::Object(_)) => p,
        Some(_) => return Err("payload must be a JSON object".into()),
    };
    let demo: Demo = serde_json::from_value(payload.clone())
        .map_err(|_| "payload.sleep_ms must be a whole number from 0 to 10000".to_string())?;
    if demo.sleep_ms.is_some_and(|ms| ms > SLEEP_MAX_MS) {
        return Err("payload.sleep_ms must be a whole number from 0 to 10000".into());
    }
    Ok((kind, payload))
}

/// POST /jobs: {"kind": "...", "payload": {...}} becomes a queued job.
pub async fn post_job(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return failure(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is larger than 64 KiB",
            );
        }
        Err(rejection) => return failure(StatusCode::BAD_REQUEST, rejection.body_text()),
    };
    let (kind, payload) = match check_job(&body) {
        Ok(job) => job,
        Err(problem) => return failure(StatusCode::BAD_REQUEST, problem),
    };
    match app.services.queue.enqueue(&kind, &payload).await {
        Ok(id) => {
            info!(msg = "job queued", job_id = id, kind);
            let mut response = reply(StatusCode::ACCEPTED, json!({"id": id, "state": "queued"}));
            let location = format!("/jobs/{id}")
                .parse()
                .expect("a job id is a valid header value");
            response.headers_mut().insert(LOCATION, location);
            response
        }
        Err(e) => {
            error!(msg = "enqueue failed", error = e);
            failure(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the queue is unavailable: {e}"),
            )
        }
    }
}

/// GET /jobs/<id>.
pub async fn get_job(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match app.services.queue.job(&id).await {
        Ok(Some(job)) => reply(
            StatusCode::OK,
            serde_json::to_value(job).expect("a job serializes"),
        ),
        Ok(None) => failure(StatusCode::NOT_FOUND, "no such job"),
        Err(e) => failure(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the queue is unavailable: {e}"),
        ),
    }
}

/// `worker`: takes jobs until SIGTERM; a job running then gets JOB_GRACE, else it is put back.
pub async fn worker(config: Config) -> Result<(), String> {
    let stop = Stop::listen();
    let services = Services::open(&config)?;
    info!(msg = "started", role = "worker", env = config.app_env);
    while !stop.requested() {
        match work_one(&services.queue, config.job_claim_idle, &stop).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => error!(msg = "worker: the queue failed", error = e),
        }
        // Nothing to do, or the queue is down: look again shortly.
        stop.pause(POLL).await;
    }
    info!(msg = "stopped", role = "worker");
    Ok(())
}

/// Takes one job and runs it, renewing its lease meanwhile so no other worker takes it; then
/// marks it done, or puts it back when the worker stops first. False when none was waiting.
async fn work_one(queue: &Queue, lease: Duration, stop: &Stop) -> Result<bool, String> {
    let Some(job) = queue.take().await? else {
        return Ok(false);
    };
    info!(
        msg = "job started",
        job_id = job.id,
        kind = job.kind,
        attempts = job.attempts
    );
    let renew = async {
        loop {
            tokio::time::sleep(lease / 3).await;
            if let Err(e) = queue.renew(&job).await {
                warn!(
                    msg = "cannot renew the job's lease",
                    job_id = job.id,
                    error = e
                );
            }
        }
    };
    let outcome = tokio::select! {
        outcome = perform(&job, stop) => outcome,
        _ = renew => unreachable!("renewing never ends"),
    };
    match outcome {
        Ok(()) if queue.finish(&job).await? => {
            info!(
                msg = "job done",
                job_id = job.id,
                kind = job.kind,
                attempts = job.attempts
            )
        }
        // Its lease ran out (the worker stalled) and another worker took it: theirs now.
        Ok(()) => warn!(
            msg = "job was taken again before it finished",
            job_id = job.id
        ),
        Err(why) => {
            queue.put_back(&job).await?;
            warn!(msg = "job put back", job_id = job.id, reason = why);
        }
    }
    Ok(true)
}

/// Runs a job: the demo sleeps for payload.sleep_ms. Put your job kinds here. Once a stop is
/// requested the job gets JOB_GRACE to finish; Err means it did not, and is to be put back.
async fn perform(job: &Taken, stop: &Stop) -> Result<(), &'static str> {
    let ms = serde_json::from_value::<Demo>(job.payload.clone())
        .ok()
        .and_then(|d| d.sleep_ms)
        .unwrap_or(0);
    let work = tokio::time::sleep(Duration::from_millis(ms));
    let deadline = async {
        stop.wait().await;
        tokio::time::sleep(JOB_GRACE).await;
    };
    tokio::select! {
        _ = work => Ok(()),
        _ = deadline => Err("the worker is stopping"),
    }
}

/// `scheduler`: enqueues one {"kind":"scheduled"} job every SCHEDULE_INTERVAL, through the same
/// code as POST /jobs. Run exactly one scheduler: two would enqueue every job twice.
pub async fn scheduler(config: Config) -> Result<(), String> {
    let stop = Stop::listen();
    let services = Services::open(&config)?;
    let every_s = config.schedule_interval.as_secs();
    info!(
        msg = "started",
        role = "scheduler",
        env = config.app_env,
        every_s
    );
    while stop.pause(config.schedule_interval).await {
        match services.queue.enqueue("scheduled", &json!({})).await {
            Ok(id) => info!(msg = "job queued", job_id = id, kind = "scheduled"),
            Err(e) => error!(msg = "scheduler: enqueue failed", error = e),
        }
    }
    info!(msg = "stopped", role = "scheduler");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_job_names_the_problem() {
        let long = json!({"kind": "k".repeat(65)}).to_string();
        let cases = [
            (r#"{"kind": "email", "payload": {"sleep_ms": 5}}"#, ""),
            (r#"{"kind": "email"}"#, ""),
            (
                r#"{"kind": "email", "payload": [1]}"#,
                "payload must be a JSON object",
            ),
            (r#"{"payload": {}}"#, "kind is required"),
            (r#"{"kind": ""}"#, "kind is required"),
            (long.as_str(), "kind is required"),
            (
                r#"{"kind": "x", "payload": {"sleep_ms": 10001}}"#,
                "sleep_ms must be a whole number",
            ),
            (
                r#"{"kind": "x", "payload": {"sleep_ms": "soon"}}"#,
                "sleep_ms must be a whole number",
            ),
            (r#"{"kind": "#, "not a JSON object"),
        ];
        for (body, want) in cases {
            match check_job(body.as_bytes()) {
                Ok(_) => assert!(want.is_empty(), "{body}: accepted"),
                Err(problem) => assert!(
                    !want.is_empty() && problem.contains(want),
                    "{body}: {problem}"
                ),
            }
        }
    }
}
