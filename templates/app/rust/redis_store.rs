//! {{ name }}: Redis through the redis crate: the readiness probe
{%- if not postgres %} and the job queue
{%- endif %}.
//! AUTH uses the URL's credentials; a rediss:// URL is TLS through rustls, checked against the
//! system's CA certificates (rustls-native-certs, which also reads SSL_CERT_FILE).
//! Serves factor IV (backing services).
{%- if not postgres %}

use std::collections::HashMap;
use std::time::Duration;

use redis::{AsyncCommands, AsyncConnectionConfig, Client, RedisError};
use serde_json::Value;

use crate::jobs::{Job, Taken};
{%- else %}

use redis::{AsyncConnectionConfig, Client, RedisError};
{%- endif %}

/// The client for REDIS_URL; it connects on first use.
pub fn client(url: &str) -> Result<Client, String> {
    Client::open(url).map_err(|e| format!("REDIS_URL cannot be used: {e}"))
}

/// {{ ready_path }}'s check on a fresh connection, so a changed password or a stopped server
/// shows at once: connect, log in, PING.
pub async fn probe(client: Client) -> Result<(), String> {
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&AsyncConnectionConfig::new())
        .await
        .map_err(reason)?;
    redis::cmd("PING")
        .query_async::<String>(&mut conn)
        .await
        .map_err(reason)?;
    Ok(())
}

/// The short reason a failed Redis call gives {{ ready_path }}.
fn reason(err: RedisError) -> String {
    if err.is_connection_refusal() {
        "refused".into()
    } else if err.is_timeout() {
        "timed out".into()
    } else if matches!(err.code(), Some("WRONGPASS" | "NOAUTH"))
        || err.kind() == redis::ErrorKind::AuthenticationFailed
    {
        "authentication failed".into()
    } else {
        format!("error: {err}")
    }
}
{%- if not postgres %}

const STREAM: &str = "jobs";
const GROUP: &str = "workers";
const NEXT_ID: &str = "jobs:next-id";

fn job_key(id: &str) -> String {
    format!("job:{id}")
}

/// A Redis stream read by one consumer group, and each job's state in the hash job:<id>. A
/// worker acknowledges an entry only once the job is done or put back; an entry a dead worker
/// left pending is claimed by another with XAUTOCLAIM once it has been idle JOB_CLAIM_IDLE_MS
/// (a running job renews it with XCLAIM, so it is never idle that long).
pub struct JobQueue {
    client: Client,
    claim_idle: Duration,
    consumer: String,
}

type Entry = (String, HashMap<String, String>);

impl JobQueue {
    pub fn new(client: Client, claim_idle: Duration) -> JobQueue {
        let consumer = format!("worker-{}", std::process::id());
        JobQueue {
            client,
            claim_idle,
            consumer,
        }
    }

    /// A connection whose replies may take as long as a blocking read.
    async fn connect(&self) -> Result<redis::aio::MultiplexedConnection, String> {
        let config =
            AsyncConnectionConfig::new().set_response_timeout(Some(Duration::from_secs(5)));
        self.client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn enqueue(&self, kind: &str, payload: &Value) -> Result<String, String> {
        let mut conn = self.connect().await?;
        let id: i64 = redis::cmd("INCR")
            .arg(NEXT_ID)
            .query_async(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let id = id.to_string();
        let payload = payload.to_string();
        // MULTI/EXEC: the hash and the stream entry appear together or not at all.
        redis::pipe()
            .atomic()
            .hset_multiple(
                job_key(&id),
                &[
                    ("kind", kind),
                    ("payload", payload.as_str()),
                    ("state", "queued"),
                    ("attempts", "0"),
                ],
            )
            .xadd(STREAM, "*", &[("job_id", &id)])
            .query_async::<()>(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        Ok(id)
    }

    pub async fn job(&self, id: &str) -> Result<Option<Job>, String> {
        let mut conn = self.connect().await?;
        let fields: HashMap<String, String> =
            conn.hgetall(job_key(id)).await.map_err(|e| e.to_string())?;
        if fields.is_empty() {
            return Ok(None);
        }
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        Ok(Some(Job {
            id: id.to_string(),
            kind: field("kind"),
            state: field("state"),
            attempts: field("attempts").parse().unwrap_or(0),
        }))
    }

    /// The next job, now running and pending with this worker: first one a dead worker left
    /// pending longer than JOB_CLAIM_IDLE_MS, else a new one, waiting up to a second.
    pub async fn take(&self) -> Result<Option<Taken>, String> {
        let mut conn = self.connect().await?;
        let Some((entry, fields)) = self
            .next_entry(&mut conn)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let id = fields.get("job_id").cloned().unwrap_or_default();
        let key = job_key(&id);
        let state: Option<String> = conn.hget(&key, "state").await.map_err(|e| e.to_string())?;
        if !matches!(state.as_deref(), Some("queued" | "running")) {
            // Done (or gone) already: its worker died between marking it done and acknowledging.
            let _: () = conn
                .xack(STREAM, GROUP, &[&entry])
                .await
                .map_err(|e| e.to_string())?;
            return Ok(None);
        }
        let (attempts, (kind, payload)): (i64, (String, String)) = redis::pipe()
            .atomic()
            .hincr(&key, "attempts", 1)
            .hset(&key, "state", "running")
            .ignore()
            .hmget(&key, &["kind", "payload"])
            .query_async(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Some(Taken {
            id,
            kind,
            attempts,
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
            entry,
        }))
    }

    /// Resets the entry's idle time, so no other worker claims a job this worker still runs.
    pub async fn renew(&self, job: &Taken) -> Result<(), String> {
        let mut conn = self.connect().await?;
        redis::cmd("XCLAIM")
            .arg(STREAM)
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(0)
            .arg(&job.entry)
            .arg("JUSTID")
            .query_async::<()>(&mut conn)
            .await
            .map_err(|e| e.to_string())
    }

    /// Marks the job done and acknowledges its entry; the entry leaves the stream.
    pub async fn finish(&self, job: &Taken) -> Result<bool, String> {
        let mut conn = self.connect().await?;
        redis::pipe()
            .atomic()
            .hset(job_key(&job.id), "state", "done")
            .xack(STREAM, GROUP, &[&job.entry])
            .xdel(STREAM, &[&job.entry])
            .query_async::<()>(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        Ok(true)
    }

    /// Puts the job back: a fresh stream entry, queued and acknowledged together.
    pub async fn put_back(&self, job: &Taken) -> Result<(), String> {
        let mut conn = self.connect().await?;
        redis::pipe()
            .atomic()
            .hset(job_key(&job.id), "state", "queued")
            .xadd(STREAM, "*", &[("job_id", &job.id)])
            .xack(STREAM, GROUP, &[&job.entry])
            .xdel(STREAM, &[&job.entry])
            .query_async::<()>(&mut conn)
            .await
            .map_err(|e| e.to_string())
    }

    /// The next stream entry for this worker: one idle too long with another worker, else new.
    async fn next_entry(
        &self,
        conn: &mut redis::aio::MultiplexedConnection,
    ) -> Result<Option<Entry>, RedisError> {
        // The group reads the stream from its start, so jobs enqueued before any worker count.
        let created: Result<(), RedisError> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(STREAM)
            .arg(GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .query_async(conn)
            .await;
        if let Err(e) = created.as_ref()
            && e.code() != Some("BUSYGROUP")
        {
            return Err(created.unwrap_err());
        }
        let (_cursor, claimed, _deleted): (String, Vec<Entry>, Vec<String>) =
            redis::cmd("XAUTOCLAIM")
                .arg(STREAM)
                .arg(GROUP)
                .arg(&self.consumer)
                .arg(self.claim_idle.as_millis() as u64)
                .arg("0-0")
                .arg("COUNT")
                .arg(1)
                .query_async(conn)
                .await?;
        if let Some(entry) = claimed.into_iter().next() {
            return Ok(Some(entry));
        }
        let read: Option<Vec<(String, Vec<Entry>)>> = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(GROUP)
            .arg(&self.consumer)
            .arg("COUNT")
            .arg(1)
            .arg("BLOCK")
            .arg(1000)
            .arg("STREAMS")
            .arg(STREAM)
            .arg(">")
            .query_async(conn)
            .await?;
        Ok(read
            .and_then(|streams| streams.into_iter().next())
            .and_then(|(_, entries)| entries.into_iter().next()))
    }
}
{%- endif %}
