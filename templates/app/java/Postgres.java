// {{ name }}: PostgreSQL through pgjdbc and a HikariCP pool: the readiness check, the migrations
// in src/main/resources/db/migration and the job queue in the jobs table.
// Serves factors IV (backing services), VIII (concurrency: workers share the queue) and XII
// (admin processes: migrate and migrate-down).
//
// Migrations: Flyway is the usual tool, but it is not packaged in Debian, and the build this
// starter is checked with has no Maven Central. So a small runner applies the versioned
// up/down SQL files itself: the same layout (NNNN_name.up.sql / .down.sql) golang-migrate and
// node-pg-migrate read, recorded in its own schema_migrations table, under an advisory lock.
// Moving to Flyway later means renaming the files V0001__name.sql and baselining at the version
// schema_migrations holds.
package com.example.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The process's connection pool, made once at start and closed at the end. Each request, poll
 * and /ready borrows a connection that stays logged in, instead of paying a TCP handshake, a
 * scram-sha-256 login and a PostgreSQL backend process every time.
 */
final class Postgres implements AutoCloseable {
    /** Every migration, oldest first: the class path cannot be listed portably, so add yours here. */
    static final List<String> MIGRATIONS = List.of("0001_create_jobs");
    /** Two `migrate` processes started at once (two releases, two replicas) take turns on this lock. */
    private static final long MIGRATION_LOCK = 7_214_001L;
    /**
     * How long the pool's own thread may take to open and log in a connection, in seconds. Longer
     * than a borrower waits: a login slowed by load (a cold JVM, scram-sha-256's hashing) still
     * completes for the next borrower instead of being abandoned and started over.
     */
    private static final String LOGIN_TIMEOUT_S = "5";

    private final HikariDataSource pool;

    /**
     * A pool of at most {@code size} connections; a borrower waits at most {@code timeoutMs} for
     * one, then gets an error. It starts without a connection, so a process whose database is
     * down still starts, and /ready says why.
     */
    Postgres(Config.Endpoint db, int size, long timeoutMs) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("postgres");
        // The URL's query (sslmode=require, ...) passes through to pgjdbc as it is.
        config.setJdbcUrl("jdbc:postgresql://" + (db.host().contains(":") ? "[" + db.host() + "]" : db.host()) + ":"
                + db.port() + "/" + db.path() + (db.query().isEmpty() ? "" : "?" + db.query()));
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        // One connection kept warm per process; more open under load and close after idling
        // 10 minutes, so a worker or scheduler holds one or two, not DB_POOL_SIZE.
        config.setMinimumIdle(1);
        config.setConnectionTimeout(timeoutMs);
        // Checking a connection that sat idle (HikariCP does before lending it) must fit in that too.
        config.setValidationTimeout(Math.max(250, timeoutMs / 2));
        // -1: start without a connection instead of failing when the database is not up yet.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", LOGIN_TIMEOUT_S);
        config.addDataSourceProperty("loginTimeout", LOGIN_TIMEOUT_S);
        // A query that hangs longer than this (a lost network) gives its connection back broken.
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("ApplicationName", App.SERVICE);
        this.pool = new HikariDataSource(config);
    }

    /** A connection from the pool, logged in with the URL's credentials; close() gives it back. */
    Connection connect() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            // HikariCP's "Connection is not available, request timed out" carries the last
            // login's failure as its cause: that (refused, password, database missing) is the
            // reason to report. Without one, no login has failed (every connection was busy, or
            // the first login is still under way): it did time out.
            if (e.getCause() instanceof SQLException login) {
                throw new SQLException("no connection within " + pool.getConnectionTimeout() + " ms: "
                        + login.getMessage(), login.getSQLState(), login);
            }
            throw e;
        }
    }

    /**
     * Opens the first connection before the process takes work, waiting at most the borrow
     * timeout: a fresh JVM's first login is its slowest (class loading, scram-sha-256's
     * hashing), and it should not fall on the first request or probe. A database that is not
     * reachable yet is only logged here; /ready reports it until it is.
     */
    void warmUp(Log log) {
        try (Connection c = connect()) {
            log.debug("postgres: first connection open");
        } catch (SQLException e) {
            log.log("warn", "postgres: no connection at start", "error", Readiness.reason(e));
        }
    }

    /** Closes every connection; one still lent out is aborted, so a stuck query cannot hold up the exit. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * /ready: SELECT 1 on a pooled connection (HikariCP first checks one that sat idle, so a
     * database restarted since is found out), then the latest migration must be recorded.
     */
    void check() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            if (appliedVersion(c) < MIGRATIONS.size()) {
                throw new Readiness.NotReady("migrations pending");
            }
        }
    }

    /** Applies every pending migration; running it again applies nothing. */
    void migrate(Log log) throws SQLException, IOException {
        try (Connection c = connect()) {
            locked(c, () -> {
                int from = appliedVersion(c);
                for (int version = from + 1; version <= MIGRATIONS.size(); version++) {
                    apply(c, version, "up", "INSERT INTO schema_migrations (version) VALUES (?)");
                    log.info("migrate: applied", "version", version, "name", MIGRATIONS.get(version - 1));
                }
                log.info(from == MIGRATIONS.size() ? "migrate: nothing to apply" : "migrate: done",
                        "version", MIGRATIONS.size());
            });
        }
    }

    /** Rolls back exactly the latest applied migration. */
    void migrateDown(Log log) throws SQLException, IOException {
        try (Connection c = connect()) {
            locked(c, () -> {
                int version = appliedVersion(c);
                if (version == 0) {
                    log.info("migrate-down: nothing to roll back", "version", 0);
                    return;
                }
                apply(c, version, "down", "DELETE FROM schema_migrations WHERE version = ?");
                log.info("migrate-down: rolled back", "version", version, "name", MIGRATIONS.get(version - 1),
                        "now_at", version - 1);
            });
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws SQLException, IOException;
    }

    private static void locked(Connection c, Step step) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY,"
                    + " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            try {
                step.run();
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    /** One migration's SQL and its record, in one transaction: all of it happens or none. */
    private static void apply(Connection c, int version, String direction, String record)
            throws SQLException, IOException {
        String file = "/db/migration/" + MIGRATIONS.get(version - 1) + "." + direction + ".sql";
        String sql;
        try (InputStream in = Postgres.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException("the jar has no " + file);
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement(); PreparedStatement r = c.prepareStatement(record)) {
            s.execute(sql);
            r.setLong(1, version);
            r.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The latest applied migration, 0 when none (or when the table does not exist yet). */
    private static int appliedVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT to_regclass('schema_migrations') IS NOT NULL")) {
                r.next();
                if (!r.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /**
     * The queue in the jobs table. A take commits state "running" and attempts + 1 at once, so
     * GET /jobs/<id> shows the work and a take counts even when the worker dies. While it works,
     * the worker touches updated_at (heartbeat); a "running" job untouched for JOB_CLAIM_IDLE_MS
     * belongs to a dead worker and is taken again. FOR UPDATE SKIP LOCKED: two workers never take
     * the same row.
     */
    static final class Queue implements Jobs.Queue {
        private static final String TAKE = """
                UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
                WHERE id = (
                  SELECT id FROM jobs
                  WHERE state = 'queued' OR (state = 'running' AND updated_at < now() - make_interval(secs => ?))
                  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, payload::text, attempts""";
        private final Postgres db;
        private final double claimIdleSeconds;

        Queue(Postgres db, long claimIdleMs) {
            this.db = db;
            this.claimIdleSeconds = claimIdleMs / 1000.0;
        }

        @Override
        public String enqueue(String kind, JsonNode payload) throws SQLException {
            try (Connection c = db.connect();
                    PreparedStatement s = c.prepareStatement(
                            "INSERT INTO jobs (kind, payload) VALUES (?, ?::jsonb) RETURNING id")) {
                s.setString(1, kind);
                s.setString(2, Log.json(payload));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return String.valueOf(r.getLong(1));
                }
            }
        }

        @Override
        public Map<String, Object> find(String id) throws SQLException {
            if (!id.matches("[0-9]{1,18}")) {
                return null;
            }
            try (Connection c = db.connect();
                    PreparedStatement s = c.prepareStatement("SELECT kind, state, attempts FROM jobs WHERE id = ?")) {
                s.setLong(1, Long.parseLong(id));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Log.object("id", id, "kind", r.getString(1), "state", r.getString(2),
                            "attempts", r.getInt(3)) : null;
                }
            }
        }

        @Override
        public Jobs.Job take() throws Exception {
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(TAKE)) {
                s.setDouble(1, claimIdleSeconds);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return new Jobs.Job(String.valueOf(r.getLong(1)), r.getString(2),
                                Log.JSON.readTree(r.getString(3)), r.getInt(4), "");
                    }
                }
            }
            Thread.sleep(500); // the idle worker's poll interval
            return null;
        }

        @Override
        public void heartbeat(Jobs.Job job) throws SQLException {
            update(job, "UPDATE jobs SET updated_at = now() WHERE id = ? AND state = 'running'");
        }

        @Override
        public void finish(Jobs.Job job, String state) throws SQLException {
            update(job, "UPDATE jobs SET state = '" + (state.equals("done") ? "done" : "failed")
                    + "', updated_at = now() WHERE id = ? AND state = 'running'");
        }

        @Override
        public void putBack(Jobs.Job job) throws SQLException {
            update(job, "UPDATE jobs SET state = 'queued', updated_at = now() WHERE id = ? AND state = 'running'");
        }

        private void update(Jobs.Job job, String sql) throws SQLException {
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, Long.parseLong(job.id()));
                s.executeUpdate();
            }
        }
    }
}
