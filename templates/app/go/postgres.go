// {{ name }}: PostgreSQL through database/sql and github.com/lib/pq: the readiness probe, the
// versioned migrations in migrations/ and the job queue.
// Serves factors IV (backing services) and XII (admin processes: migrations as a release step).
package main

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
)

// migrationFiles are NNNN_name.up.sql and NNNN_name.down.sql pairs, built into the binary so
// the release step needs nothing but the image. (golang-migrate and goose do the same job with
// more options; this runner is small enough to read, and needs no extra module.)
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the pg_advisory_lock(key, 1) that keeps two releases from migrating at once.
const migrationLock = 726_433_110

type database struct{ *sql.DB }

// openDatabase makes the connection pool; lib/pq connects on first use. lib/pq would require
// TLS when the URL names no sslmode (libpq would try TLS, then fall back); here a URL without
// sslmode connects like the compose database expects, in plain text. Add ?sslmode=verify-full
// (or require) for a database reached over a network you do not control.
func openDatabase(u *url.URL) *database {
	dsn := *u
	query := dsn.Query()
	if query.Get("sslmode") == "" {
		query.Set("sslmode", "disable")
	}
	// lib/pq bounds its login only by connect_timeout (whole seconds), not by a context.
	if query.Get("connect_timeout") == "" {
		query.Set("connect_timeout", "5")
	}
	dsn.RawQuery = query.Encode()
	db, _ := sql.Open("postgres", dsn.String()) // only fails for an unknown driver name
	db.SetMaxOpenConns(10)
	// Keep what a burst opened (database/sql keeps only 2 idle by default, so every burst would
	// log in again), and let a connection idle for 10 minutes go, as HikariCP does.
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(10 * time.Minute)
	return &database{db}
}

// probe is {{ ready_path }}'s check: a SELECT 1 round trip, then every migration applied.
func (db *database) probe(ctx context.Context) error {
	var one int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return errors.New(postgresReason(ctx, err))
	}
	migrations, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("error: %v", err)
	}
	applied, err := db.latestApplied(ctx)
	if err != nil {
		return errors.New(postgresReason(ctx, err))
	}
	if applied < migrations[len(migrations)-1].version {
		return errors.New("migrations pending")
	}
	return nil
}

// postgresReason is the short reason a failed PostgreSQL call gives {{ ready_path }}.
func postgresReason(ctx context.Context, err error) string {
	if reason := networkReason(ctx, err); reason != "" {
		return reason
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Name() {
		case "invalid_password", "invalid_authorization_specification":
			return "authentication failed"
		case "invalid_catalog_name":
			return "database missing"
		case "undefined_table": // no schema_migrations yet
			return "migrations pending"
		}
	}
	return "error: " + err.Error()
}

type migration struct {
	version  int64
	name     string
	up, down string
}

// loadMigrations reads migrationFiles, oldest first; every up has its down.
func loadMigrations() ([]migration, error) {
	names, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	byVersion := map[int64]*migration{}
	for _, entry := range names {
		stem, direction, _ := strings.Cut(strings.TrimSuffix(entry.Name(), ".sql"), ".")
		number, name, _ := strings.Cut(stem, "_")
		version, err := strconv.ParseInt(number, 10, 64)
		if err != nil || (direction != "up" && direction != "down") {
			return nil, fmt.Errorf("migrations/%s is not named NNNN_name.up.sql or NNNN_name.down.sql", entry.Name())
		}
		sqlText, _ := migrationFiles.ReadFile("migrations/" + entry.Name())
		m := byVersion[version]
		if m == nil {
			m = &migration{version: version, name: name}
			byVersion[version] = m
		}
		if direction == "up" {
			m.up = string(sqlText)
		} else {
			m.down = string(sqlText)
		}
	}
	var all []migration
	for _, m := range byVersion {
		if m.up == "" || m.down == "" {
			return nil, fmt.Errorf("migration %04d needs both an .up.sql and a .down.sql file", m.version)
		}
		all = append(all, *m)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].version < all[j].version })
	return all, nil
}

// latestApplied is the newest version in schema_migrations, 0 when none.
func (db *database) latestApplied(ctx context.Context) (int64, error) {
	var version sql.NullInt64
	err := db.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&version)
	return version.Int64, err
}

// locked runs fn on one connection holding the migration lock, after making sure the
// schema_migrations table exists.
func (db *database) locked(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, 1)", migrationLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1, 1)", migrationLock) //nolint:errcheck // the session ends anyway
	_, err = conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`)
	if err != nil {
		return err
	}
	return fn(conn)
}

// inTransaction runs statements in one transaction, so a migration applies whole or not at all.
func inTransaction(ctx context.Context, conn *sql.Conn, statements ...func(*sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	for _, statement := range statements {
		if err := statement(tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func exec(ctx context.Context, query string, args ...any) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	}
}

// migrateUp applies every migration not yet in schema_migrations, oldest first.
func (db *database) migrateUp(ctx context.Context, log *Logger) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	return db.locked(ctx, func(conn *sql.Conn) error {
		latest, err := db.latestApplied(ctx)
		if err != nil {
			return err
		}
		applied := 0
		for _, m := range migrations {
			if m.version <= latest {
				continue
			}
			err := inTransaction(ctx, conn, exec(ctx, m.up),
				exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name))
			if err != nil {
				return fmt.Errorf("%04d_%s: %w", m.version, m.name, err)
			}
			log.Info("migration applied", "version", m.version, "name", m.name)
			applied++
		}
		if applied == 0 {
			log.Info("migrate: nothing to apply", "version", latest)
		}
		return nil
	})
}

// migrateDown rolls back exactly the latest applied migration.
func (db *database) migrateDown(ctx context.Context, log *Logger) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	return db.locked(ctx, func(conn *sql.Conn) error {
		latest, err := db.latestApplied(ctx)
		if err != nil {
			return err
		}
		if latest == 0 {
			log.Info("migrate-down: nothing to roll back")
			return nil
		}
		for _, m := range migrations {
			if m.version != latest {
				continue
			}
			err := inTransaction(ctx, conn, exec(ctx, m.down),
				exec(ctx, "DELETE FROM schema_migrations WHERE version = $1", m.version))
			if err == nil {
				log.Info("migration rolled back", "version", m.version, "name", m.name)
			}
			return err
		}
		return fmt.Errorf("the database is at version %d, which this build has no migration for", latest)
	})
}

// postgresQueue keeps jobs in the jobs table. A worker takes a job in one short transaction
// (FOR UPDATE SKIP LOCKED, so two workers never take the same row) that marks it running and
// counts the attempt, and holds a session advisory lock on the job's id until the job is done.
// PostgreSQL drops that lock when the worker's connection ends, so a running job whose lock
// nobody holds belongs to a worker that died mid-job, and the next take retries it.
type postgresQueue struct {
	db  *sql.DB
	log *Logger
}

// takeJob picks the oldest job that is queued, or running with no live worker. Job locks use
// the one-bigint advisory key form (objsubid 1 in pg_locks); the migration lock uses the
// two-key form, so the two never collide.
const takeJob = `
SELECT id FROM jobs
WHERE state = 'queued' OR (state = 'running' AND NOT EXISTS (
	SELECT 1 FROM pg_locks l
	WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
	  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	  AND l.classid::bigint = jobs.id >> 32 AND l.objid::bigint = jobs.id & 4294967295))
ORDER BY id LIMIT 1
FOR UPDATE SKIP LOCKED`

func (q *postgresQueue) Enqueue(ctx context.Context, kind string, payload json.RawMessage) (string, error) {
	var id int64
	err := q.db.QueryRowContext(ctx, "INSERT INTO jobs (kind, payload) VALUES ($1, $2) RETURNING id",
		kind, string(payload)).Scan(&id)
	return strconv.FormatInt(id, 10), err
}

func (q *postgresQueue) Job(ctx context.Context, id string) (Job, bool, error) {
	job := Job{ID: id}
	number, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return job, false, nil
	}
	err = q.db.QueryRowContext(ctx, "SELECT kind, state, attempts FROM jobs WHERE id = $1", number).
		Scan(&job.Kind, &job.State, &job.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return job, false, nil
	}
	return job, err == nil, err
}

func (q *postgresQueue) Work(ctx context.Context, perform func(context.Context, Job) error) (bool, error) {
	// One connection for the whole job: the advisory lock lives as long as its session. It is
	// not tied to ctx, so a job cut short can still be put back.
	conn, err := q.db.Conn(context.Background())
	if err != nil {
		return false, err
	}
	defer conn.Close()
	job, err := q.take(conn)
	if err != nil || job.ID == "" {
		return false, err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1::bigint)", job.ID) //nolint:errcheck // the session ends anyway
	state := "done"
	if err := perform(ctx, job); err != nil {
		state = "queued"
		q.log.Warn("job put back", "job_id", job.ID, "reason", err)
	}
	if _, err := conn.ExecContext(context.Background(), "UPDATE jobs SET state = $1, updated_at = now() WHERE id = $2", state, job.ID); err != nil {
		return true, err
	}
	if state == "done" {
		q.log.Info("job done", "job_id", job.ID, "kind", job.Kind, "attempts", job.Attempts)
	}
	return true, nil
}

// take marks the next job running, counts the attempt and locks it for this session; the
// returned job has no ID when none is waiting.
func (q *postgresQueue) take(conn *sql.Conn) (Job, error) {
	var job Job
	err := inTransaction(context.Background(), conn, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRow(takeJob).Scan(&id); err != nil {
			return err
		}
		var locked bool
		if err := tx.QueryRow("SELECT pg_try_advisory_lock($1)", id).Scan(&locked); err != nil || !locked {
			return sql.ErrNoRows // a worker that is just finishing it still holds the lock
		}
		job.ID = strconv.FormatInt(id, 10)
		return tx.QueryRow(`UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
			WHERE id = $1 RETURNING kind, payload, attempts`, id).Scan(&job.Kind, &job.Payload, &job.Attempts)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, nil
	}
	return job, err
}
