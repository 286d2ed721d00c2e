//! {{ name }}: PostgreSQL through sqlx: the readiness probe, the versioned migrations in
//! migrations/ (sqlx's reversible NNNN_name.up.sql / .down.sql pairs, compiled into the binary)
//! and the job queue.
//! Serves factors IV (backing services) and XII (admin processes: migrations as a release step).

use std::str::FromStr;
use std::time::Duration;

use serde_json::Value;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use tracing::info;

use crate::jobs::{Job, Taken};

/// The migrations, read from migrations/ at compile time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

#[derive(Clone)]
pub struct Postgres {
    options: PgConnectOptions,
    pub pool: PgPool,
}

impl Postgres {
    /// The pool connects on first use. sslmode, the user and the password come from the URL.
    pub fn new(url: &str) -> Result<Postgres, String> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| format!("DATABASE_URL cannot be used: {e}"))?;
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy_with(options.clone());
        Ok(Postgres { options, pool })
    }

    /// {{ ready_path }}'s check on a fresh connection (the pool would retry a refused connection
    /// until its timeout): log in, SELECT 1, then every migration applied.
    pub async fn probe(self) -> Result<(), String> {
        let mut conn = PgConnection::connect_with(&self.options)
            .await
            .map_err(reason)?;
        sqlx::query_scalar::<_, i32>("SELECT 1")
            .fetch_one(&mut conn)
            .await
            .map_err(reason)?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&mut conn)
                .await
                .map_err(reason)?;
        let _ = conn.close().await;
        if applied.unwrap_or(0) < latest_known() {
            return Err("migrations pending".into());
        }
        Ok(())
    }

    /// `migrate`: applies every pending migration, oldest first. sqlx holds an advisory lock
    /// meanwhile, so two releases never migrate at once.
    pub async fn migrate_up(&self) -> Result<(), String> {
        let before = self.applied().await?;
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| format!("migration failed: {e}"))?;
        let after = self.applied().await?;
        let new: Vec<_> = after.iter().filter(|v| !before.contains(v)).collect();
        if new.is_empty() {
            info!(
                msg = "migrate: nothing to apply",
                version = after.last().copied().unwrap_or(0)
            );
        }
        for version in new {
            info!(msg = "migration applied", version);
        }
        Ok(())
    }

    /// `migrate-down`: rolls back exactly the latest applied migration.
    pub async fn migrate_down(&self) -> Result<(), String> {
        let applied = self.applied().await?;
        let Some(&latest) = applied.last() else {
            info!(msg = "migrate-down: nothing to roll back");
            return Ok(());
        };
        let target = applied.iter().rev().nth(1).copied().unwrap_or(0);
        MIGRATOR
            .undo(&self.pool, target)
            .await
            .map_err(|e| format!("rollback failed: {e}"))?;
        info!(msg = "migration rolled back", version = latest);
        Ok(())
    }

    /// The versions applied so far, oldest first; none before the first `migrate`.
    async fn applied(&self) -> Result<Vec<i64>, String> {
        let versions = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await;
        match versions {
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => Ok(Vec::new()),
            other => other.map_err(|e| format!("cannot read _sqlx_migrations: {e}")),
        }
    }
}

/// The newest migration this build carries.
fn latest_known() -> i64 {
    MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// The short reason a failed PostgreSQL call gives {{ ready_path }}.
fn reason(err: sqlx::Error) -> String {
    match &err {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01" | "28000") => "authentication failed".into(),
            Some("3D000") => "database missing".into(),
            Some("42P01") => "migrations pending".into(), // no _sqlx_migrations yet
            _ => format!("error: {err}"),
        },
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "refused".into()
        }
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => "timed out".into(),
        sqlx::Error::PoolTimedOut => "timed out".into(),
        _ => format!("error: {err}"),
    }
}

/// The jobs table as a queue. A take commits `running` and attempts + 1 at once, so a worker
/// killed mid-job still counts; the row's updated_at is its lease, renewed while the job runs,
/// and a running job whose lease is older than JOB_CLAIM_IDLE_MS is taken again. FOR UPDATE
/// SKIP LOCKED lets workers take different jobs without waiting on each other. Finishing and
/// putting back only apply while this worker's take is the latest (same attempts), so a job is
/// never done twice.
pub struct JobQueue {
    pool: PgPool,
    lease: Duration,
}

/// Marks the oldest waiting job running and counts the take: a queued job, or a running one
/// whose worker stopped renewing its lease.
const TAKE_JOB: &str = "
UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
WHERE id = (SELECT id FROM jobs
            WHERE state = 'queued'
               OR (state = 'running' AND updated_at < now() - $1 * interval '1 millisecond')
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id, kind, payload::text, attempts";

impl JobQueue {
    pub fn new(pool: PgPool, lease: Duration) -> JobQueue {
        JobQueue { pool, lease }
    }

    pub async fn enqueue(&self, kind: &str, payload: &Value) -> Result<String, String> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jobs (kind, payload) VALUES ($1, $2::jsonb) RETURNING id",
        )
        .bind(kind)
        .bind(payload.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(id.to_string())
    }

    pub async fn job(&self, id: &str) -> Result<Option<Job>, String> {
        let Ok(number) = id.parse::<i64>() else {
            return Ok(None);
        };
        let row: Option<(String, String, i32)> =
            sqlx::query_as("SELECT kind, state, attempts FROM jobs WHERE id = $1")
                .bind(number)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| e.to_string())?;
        Ok(row.map(|(kind, state, attempts)| Job {
            id: id.to_string(),
            kind,
            state,
            attempts: attempts.into(),
        }))
    }

    /// The next waiting job, now running under this worker's lease; None when none waits.
    pub async fn take(&self) -> Result<Option<Taken>, String> {
        let row: Option<(i64, String, String, i32)> = sqlx::query_as(TAKE_JOB)
            .bind(self.lease.as_millis() as f64)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        Ok(row.map(|(id, kind, payload, attempts)| Taken {
            id: id.to_string(),
            kind,
            attempts: attempts.into(),
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
        }))
    }

    /// Extends the lease on a job this worker runs.
    pub async fn renew(&self, job: &Taken) -> Result<(), String> {
        self.update(job, "SET updated_at = now()").await.map(drop)
    }

    /// Marks the job done; false when another worker took it since (its lease ran out).
    pub async fn finish(&self, job: &Taken) -> Result<bool, String> {
        self.update(job, "SET state = 'done', updated_at = now()")
            .await
    }

    /// Puts the job back in the queue for another worker.
    pub async fn put_back(&self, job: &Taken) -> Result<(), String> {
        self.update(job, "SET state = 'queued', updated_at = now()")
            .await
            .map(drop)
    }

    /// Applies `set` to the job while this worker's take is the latest; true when it did.
    async fn update(&self, job: &Taken, set: &str) -> Result<bool, String> {
        let id: i64 = job.id.parse().expect("ids come from the database");
        let sql =
            format!("UPDATE jobs {set} WHERE id = $1 AND attempts = $2 AND state = 'running'");
        let done = sqlx::query(&sql)
            .bind(id)
            .bind(job.attempts as i32)
            .execute(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        Ok(done.rows_affected() == 1)
    }
}
