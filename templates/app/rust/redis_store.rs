//! {{ name }}: Redis through the redis crate: the readiness probe
{%- if not postgres %} and the job queue
{%- endif %}.
//! AUTH uses the URL's credentials; a rediss:// URL is TLS through rustls, checked against the
//! system's CA certificates (rustls-native-certs, which also reads SSL_CERT_FILE).
//! Serves factor IV (backing services).
{%- if not postgres %}

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{
    AsyncConnectionConfig, Client, Cmd, FromRedisValue, Pipeline, RedisError, RedisResult,
};
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

/// One connection the process keeps and shares, so a command costs a round trip, not a new
/// connection (TCP, TLS handshake, AUTH). redis::aio::ConnectionManager pipelines every task's
/// commands on one multiplexed connection, made on first use, and replaces it when it breaks (a
/// bare MultiplexedConnection kept in the app would stay broken once Redis closed it).
struct Shared {
    client: Client,
    config: ConnectionManagerConfig,
    manager: Mutex<ConnectionManager>,
}

impl Shared {
    /// Connects on first use. `reply_within` bounds each reply.
    fn new(client: Client, reply_within: Duration) -> Result<Shared, String> {
        // Connecting within 1 s, one retry: while Redis is down or unreachable a request fails
        // within about 2 s instead of waiting out the crate's six retries.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(1)
            .set_response_timeout(Some(reply_within));
        let manager = client
            .get_connection_manager_lazy(config.clone())
            .map_err(|e| format!("REDIS_URL cannot be used: {e}"))?;
        Ok(Shared {
            client,
            config,
            manager: Mutex::new(manager),
        })
    }

    /// Sends `cmd` on the kept connection. When it finds that connection closed (Redis
    /// restarted, or something between dropped an idle connection) it sends it once more, on the
    /// new connection the manager makes, so the first request after a restart does not fail. A
    /// command whose connection dies after Redis ran it but before the reply arrived may so run
    /// twice; the queue already takes a job again when its worker dies, and `attempts` counts
    /// every take.
    async fn query<T: FromRedisValue>(&self, cmd: &Cmd) -> RedisResult<T> {
        match cmd.query_async(&mut self.conn()).await {
            Err(e) if closed(&e) => cmd.query_async(&mut self.conn()).await,
            first => first,
        }
    }

    /// Sends the pipeline (or MULTI/EXEC transaction) as `query` sends a command.
    async fn exec<T: FromRedisValue>(&self, pipe: &Pipeline) -> RedisResult<T> {
        match pipe.query_async(&mut self.conn()).await {
            Err(e) if closed(&e) => pipe.query_async(&mut self.conn()).await,
            first => first,
        }
    }

    fn conn(&self) -> ConnectionManager {
        self.manager
            .lock()
            .expect("no panic holds this lock")
            .clone()
    }

    /// The error as text. After a failed login the manager answers every later command with
    /// that error and never logs in again (it reconnects after I/O errors only), so it is
    /// replaced: a password fixed on the server is picked up by the next command.
    fn failed(&self, err: RedisError) -> String {
        if err.kind() == redis::ErrorKind::AuthenticationFailed
            && let Ok(fresh) = self.client.get_connection_manager_lazy(self.config.clone())
        {
            *self.manager.lock().expect("no panic holds this lock") = fresh;
        }
        err.to_string()
    }
}

/// The kept connection was found closed; a refusal means Redis is down, so not worth a retry.
fn closed(err: &RedisError) -> bool {
    err.is_connection_dropped() && !err.is_connection_refusal()
}

/// A Redis stream read by one consumer group, and each job's state in the hash job:<id>. A
/// worker acknowledges an entry only once the job is done or put back; an entry a dead worker
/// left pending is claimed by another with XAUTOCLAIM once it has been idle JOB_CLAIM_IDLE_MS
/// (a running job renews it with XCLAIM, so it is never idle that long).
///
/// Two kept connections: `commands` for every short command, and `reads` for XREADGROUP BLOCK
/// alone. Redis answers a connection's commands in order, so a read blocked on the shared
/// connection would hold up every command queued behind it (a lease renewal, POST /jobs) for up
/// to READ_BLOCK; on its own connection it holds up nothing. The web process never reads, so it
/// opens only `commands`.
pub struct JobQueue {
    commands: Shared,
    reads: Shared,
    claim_idle: Duration,
    consumer: String,
}

type Entry = (String, HashMap<String, String>);

/// How long XREADGROUP waits for a new entry.
const READ_BLOCK: Duration = Duration::from_secs(1);

impl JobQueue {
    pub fn new(client: Client, claim_idle: Duration) -> Result<JobQueue, String> {
        let consumer = format!("worker-{}", std::process::id());
        Ok(JobQueue {
            commands: Shared::new(client.clone(), Duration::from_secs(5))?,
            reads: Shared::new(client, READ_BLOCK + Duration::from_secs(5))?,
            claim_idle,
            consumer,
        })
    }

    pub async fn enqueue(&self, kind: &str, payload: &Value) -> Result<String, String> {
        let id: i64 = self
            .commands
            .query(&Cmd::incr(NEXT_ID, 1))
            .await
            .map_err(|e| self.commands.failed(e))?;
        let id = id.to_string();
        let payload = payload.to_string();
        // MULTI/EXEC: the hash and the stream entry appear together or not at all.
        let create = redis::pipe()
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
            .to_owned();
        self.commands
            .exec::<()>(&create)
            .await
            .map_err(|e| self.commands.failed(e))?;
        Ok(id)
    }

    pub async fn job(&self, id: &str) -> Result<Option<Job>, String> {
        let fields: HashMap<String, String> = self
            .commands
            .query(&Cmd::hgetall(job_key(id)))
            .await
            .map_err(|e| self.commands.failed(e))?;
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
    /// pending longer than JOB_CLAIM_IDLE_MS, else a new one, waiting up to READ_BLOCK.
    pub async fn take(&self) -> Result<Option<Taken>, String> {
        let Some((entry, fields)) = self.next_entry().await? else {
            return Ok(None);
        };
        let id = fields.get("job_id").cloned().unwrap_or_default();
        let key = job_key(&id);
        let state: Option<String> = self
            .commands
            .query(&Cmd::hget(&key, "state"))
            .await
            .map_err(|e| self.commands.failed(e))?;
        if !matches!(state.as_deref(), Some("queued" | "running")) {
            // Done (or gone) already: its worker died between marking it done and acknowledging.
            self.commands
                .query::<()>(&Cmd::xack(STREAM, GROUP, &[&entry]))
                .await
                .map_err(|e| self.commands.failed(e))?;
            return Ok(None);
        }
        let start = redis::pipe()
            .atomic()
            .hincr(&key, "attempts", 1)
            .hset(&key, "state", "running")
            .ignore()
            .hmget(&key, &["kind", "payload"])
            .to_owned();
        let (attempts, (kind, payload)): (i64, (String, String)) = self
            .commands
            .exec(&start)
            .await
            .map_err(|e| self.commands.failed(e))?;
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
        let claim = redis::cmd("XCLAIM")
            .arg(STREAM)
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(0)
            .arg(&job.entry)
            .arg("JUSTID")
            .to_owned();
        self.commands
            .query(&claim)
            .await
            .map_err(|e| self.commands.failed(e))
    }

    /// Marks the job done and acknowledges its entry; the entry leaves the stream.
    pub async fn finish(&self, job: &Taken) -> Result<bool, String> {
        let done = redis::pipe()
            .atomic()
            .hset(job_key(&job.id), "state", "done")
            .xack(STREAM, GROUP, &[&job.entry])
            .xdel(STREAM, &[&job.entry])
            .to_owned();
        self.commands
            .exec::<()>(&done)
            .await
            .map_err(|e| self.commands.failed(e))?;
        Ok(true)
    }

    /// Puts the job back: a fresh stream entry, queued and acknowledged together.
    pub async fn put_back(&self, job: &Taken) -> Result<(), String> {
        let back = redis::pipe()
            .atomic()
            .hset(job_key(&job.id), "state", "queued")
            .xadd(STREAM, "*", &[("job_id", &job.id)])
            .xack(STREAM, GROUP, &[&job.entry])
            .xdel(STREAM, &[&job.entry])
            .to_owned();
        self.commands
            .exec(&back)
            .await
            .map_err(|e| self.commands.failed(e))
    }

    /// The next stream entry for this worker: one idle too long with another worker, else new.
    async fn next_entry(&self) -> Result<Option<Entry>, String> {
        // The group reads the stream from its start, so jobs enqueued before any worker count.
        let create_group = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(STREAM)
            .arg(GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .to_owned();
        match self.commands.query::<()>(&create_group).await {
            Err(e) if e.code() != Some("BUSYGROUP") => return Err(self.commands.failed(e)),
            _ => {}
        }
        let autoclaim = redis::cmd("XAUTOCLAIM")
            .arg(STREAM)
            .arg(GROUP)
            .arg(&self.consumer)
            .arg(self.claim_idle.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(1)
            .to_owned();
        let (_cursor, claimed, _deleted): (String, Vec<Entry>, Vec<String>) = self
            .commands
            .query(&autoclaim)
            .await
            .map_err(|e| self.commands.failed(e))?;
        if let Some(entry) = claimed.into_iter().next() {
            return Ok(Some(entry));
        }
        let read_new = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(GROUP)
            .arg(&self.consumer)
            .arg("COUNT")
            .arg(1)
            .arg("BLOCK")
            .arg(READ_BLOCK.as_millis() as u64)
            .arg("STREAMS")
            .arg(STREAM)
            .arg(">")
            .to_owned();
        let read: Option<Vec<(String, Vec<Entry>)>> = self
            .reads
            .query(&read_new)
            .await
            .map_err(|e| self.reads.failed(e))?;
        Ok(read
            .and_then(|streams| streams.into_iter().next())
            .and_then(|(_, entries)| entries.into_iter().next()))
    }
}
{%- endif %}
