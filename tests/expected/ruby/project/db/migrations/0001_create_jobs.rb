# billing-api: the first migration: the jobs table the queue uses. `ruby app.rb migrate` applies
# pending migrations (Sequel's IntegerMigrator: the number before the first "_" is the version,
# kept in the schema_info table); `ruby app.rb migrate-down` rolls back the latest one.
# Serves factors V (release: schema changes ship as versioned files) and XII (admin processes).
Sequel.migration do
  up do
    run <<~SQL
      CREATE TABLE jobs (
          id BIGSERIAL PRIMARY KEY,
          kind TEXT NOT NULL,
          payload JSONB NOT NULL DEFAULT '{}',
          state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      -- Keeps the take fast however many finished jobs the table holds.
      CREATE INDEX jobs_queued ON jobs (id) WHERE state = 'queued';
    SQL
  end

  down do
    # The queue and every job in it are gone.
    run "DROP TABLE jobs"
  end
end
