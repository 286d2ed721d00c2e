// billing-api: migration 0001, the jobs table the worker takes jobs from (see src/server.js).
// node-pg-migrate applies the files of src/migrations/ in name order and records each in its table
// pgmigrations: `node src/server.js migrate` applies what is missing, `migrate-down` undoes the
// newest. Add a migration as the next number (0002_...js) with both steps; never edit an
// applied one. Serves factors IV (backing services) and XII (admin processes).
"use strict";

exports.up = (pgm) => {
  pgm.sql(`
    CREATE TABLE jobs (
      id BIGSERIAL PRIMARY KEY,
      kind TEXT NOT NULL,
      payload JSONB NOT NULL DEFAULT '{}',
      state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  pgm.sql("CREATE INDEX jobs_queued ON jobs (id) WHERE state = 'queued'");
};

exports.down = (pgm) => {
  pgm.sql("DROP TABLE jobs");
};
