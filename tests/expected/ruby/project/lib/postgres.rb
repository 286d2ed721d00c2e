# billing-api: PostgreSQL through Sequel and the pg driver: the readiness check, the versioned
# migrations in db/migrations (Sequel's IntegerMigrator) and the job queue.
# Serves factors IV (backing services), VIII (concurrency: workers share the queue) and XII
# (admin processes: migrate and migrate-down).
require "json"
require "sequel"

module Service
  module Postgres
    MIGRATIONS = File.expand_path("../db/migrations", __dir__)
    # Two `migrate` processes started at once (two releases, two replicas) take turns on this lock.
    MIGRATION_LOCK = 7_214_001

    Sequel.extension :migration

    # The process's connection pool. `test: false`: a database that is down must not stop the
    # web process from starting; /ready reports it instead.
    def self.connect(config, max_connections:)
      Sequel.connect(config.database_url.to_s, test: false, max_connections: max_connections,
                                               connect_timeout: PROBE_TIMEOUT.ceil, pool_timeout: PROBE_TIMEOUT.ceil)
    end

    # /ready: a round trip through the pool (logging in with the URL's credentials), then the
    # schema: the latest migration in db/migrations must be applied.
    def self.check(db)
      db.get(Sequel.lit("1"))
      raise NotReady, "migrations pending" unless Sequel::Migrator.is_current?(db, MIGRATIONS)
    end

    # Applies every pending migration; running it again applies nothing.
    def self.migrate(db, log)
      with_lock(db) do
        before = current_version(db)
        Sequel::Migrator.run(db, MIGRATIONS)
        after = current_version(db)
        log.info(after == before ? "migrate: nothing to apply" : "migrate: applied", from_version: before, to_version: after)
      end
    end

    # Rolls back exactly the latest applied migration.
    def self.migrate_down(db, log)
      with_lock(db) do
        current = current_version(db)
        next log.info("migrate-down: nothing to roll back", version: 0) if current.zero?

        Sequel::Migrator.run(db, MIGRATIONS, target: current - 1)
        log.info("migrate-down: rolled back", from_version: current, to_version: current - 1)
      end
    end

    # Sequel 5.63's migrator has no lock of its own; the pool's one connection holds this one.
    def self.with_lock(db)
      db.synchronize do
        db.get(Sequel.function(:pg_advisory_lock, MIGRATION_LOCK))
        begin
          yield
        ensure
          db.get(Sequel.function(:pg_advisory_unlock, MIGRATION_LOCK))
        end
      end
    end

    def self.current_version(db)
      db.table_exists?(:schema_info) ? db[:schema_info].get(:version).to_i : 0
    end

    # The queue in the jobs table. A take commits state "running" and attempts + 1 at once, so
    # GET /jobs/<id> shows the work and a take is counted even if the worker dies. While it works,
    # the worker touches updated_at (heartbeat); a "running" job untouched for JOB_CLAIM_IDLE_MS
    # belongs to a dead worker and is taken again. FOR UPDATE SKIP LOCKED: two workers never take
    # the same row.
    class Queue
      TAKE = <<~SQL
        UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
        WHERE id = (
          SELECT id FROM jobs
          WHERE state = 'queued' OR (state = 'running' AND updated_at < now() - make_interval(secs => ?))
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, payload, attempts
      SQL

      def initialize(db, claim_idle_ms)
        @db = db
        @claim_idle_s = claim_idle_ms / 1000.0
      end

      def enqueue(kind, payload)
        @db[:jobs].insert(kind: kind, payload: Sequel.cast(JSON.generate(payload), :jsonb)).to_s
      end

      # The job's public fields, or nil. A malformed id is simply not found.
      def find(id)
        return nil unless id.match?(/\A[0-9]{1,18}\z/)

        row = @db[:jobs].where(id: id.to_i).select(:id, :kind, :state, :attempts).first
        row && row.merge(id: row[:id].to_s)
      end

      # How long an idle worker waits before it asks again.
      def poll_interval
        0.5
      end

      # The next job, or nil when there is none.
      def take
        row = @db.fetch(TAKE, @claim_idle_s).first
        return nil unless row

        { id: row[:id].to_s, kind: row[:kind], payload: JSON.parse(row[:payload].to_s), attempts: row[:attempts] }
      end

      def heartbeat(job)
        running(job).update(updated_at: Sequel::CURRENT_TIMESTAMP)
      end

      def finish(job, state)
        running(job).update(state: state, updated_at: Sequel::CURRENT_TIMESTAMP)
      end

      # A job this worker cannot finish in time goes back to the queue for the next worker.
      def put_back(job)
        finish(job, "queued")
      end

      private

      def running(job)
        @db[:jobs].where(id: job[:id].to_i, state: "running")
      end
    end
  end
end
