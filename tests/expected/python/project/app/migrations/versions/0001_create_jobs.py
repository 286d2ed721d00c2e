"""Create the jobs table the worker takes jobs from.

Revision ID: 0001
Revises: (none: the first migration)

Add the next migration as 0002_<what>.py with revision = "0002", down_revision = "0001", and
both upgrade() and downgrade(); never edit one that has been applied.
Serves factors IV (backing services) and XII (admin processes).
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE jobs (
            id BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL,
            payload JSONB NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )""")
    op.execute("CREATE INDEX jobs_queued ON jobs (id) WHERE state = 'queued'")


def downgrade():
    op.execute("DROP TABLE jobs")
