-- The job queue: one row per job. Workers take the oldest queued row with
-- SELECT ... FOR UPDATE SKIP LOCKED, so two workers never take the same job.
-- Serves factors V (build, release, run: the release process applies it) and XII (admin processes).
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
