//! What became of each version-1 question in version 2, so saved work, exports, share links
//! and generated `assessment.json` files of version 1 still load.
//!
//! A version-1 question not listed in [`V1_CHANGES`] still exists in version 2 with the same id
//! and meaning, and its answer is kept as it is. Tests check that every id named here exists
//! where it should.

/// What happened to one version-1 question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The same question under a new id: the answer is kept.
    Renamed(&'static str),
    /// Split into questions that each ask one part, or narrowed to the one part a Yes still
    /// implies (the other parts being asked elsewhere). Yes, and N/A with a reason, held for the whole
    /// question and so hold for each part; No and Partly do not say which part failed, so they
    /// are dropped with a message asking the team to answer the parts.
    Split(&'static [&'static str]),
    /// Folded into another question that asks the same fact. The answer is kept, unless several
    /// version-1 questions folded into it were answered differently: then none is kept.
    Merged(&'static str),
    /// Removed, or its meaning changed so the old answer no longer says anything: the answer is
    /// dropped and the user is told this reason (one sentence).
    Dropped(&'static str),
}

/// Every version-1 question whose id or meaning changed, with what became of it.
pub static V1_CHANGES: &[(&str, Change)] = &[
    // Factor II
    ("deps-lockfile", Change::Split(&["deps-declared", "deps-lockfile-committed"])),
    ("deps-vulnerability-updates", Change::Split(&["deps-update-schedule"])),
    // Factor IV
    ("backing-swap-no-code", Change::Merged("backing-url-config")),
    ("backing-same-code-path", Change::Merged("parity-same-services")),
    ("backing-timeouts", Change::Merged("ops-resilience-timeouts")),
    // Factor V
    (
        "brr-release-id",
        Change::Dropped("It asked whether release ids are unique; it now asks whether every change to the image or its config creates a new release with its own id, which a unique id alone does not show: please answer it again under Build, release, run."),
    ),
    // Factor VIII
    ("concurrency-independent-scaling", Change::Merged("concurrency-process-types")),
    // Factor IX
    ("disposability-sigterm", Change::Split(&["disposability-drain"])),
    ("disposability-fast-start", Change::Split(&["disposability-ready-in-30s"])),
    (
        "disposability-auto-restart",
        Change::Split(&["disposability-restart-policy", "disposability-clean-restart"]),
    ),
    ("disposability-idempotent", Change::Split(&["disposability-jobs-idempotent"])),
    // Factor X
    (
        "parity-staging-like-prod",
        Change::Split(&["parity-staging-versions", "parity-staging-topology"]),
    ),
    ("parity-devs-deploy", Change::Split(&["parity-authors-deploy"])),
    // Factor XI: personal data in logs is now asked under Data
    ("logs-no-sensitive-data", Change::Split(&["logs-no-credentials"])),
    // Factor XII
    ("admin-documented-no-ssh", Change::Split(&["admin-tasks-in-runbook"])),
    // Readiness 1: artifacts
    ("ready-artifacts-sha-tag", Change::Merged("codebase-deploy-traceable")),
    (
        "ready-artifacts-immutable-prod-tag",
        Change::Dropped("A version tag can be overwritten unless the registry forbids it, so this now asks whether production pins a digest or an immutable tag: please answer it again."),
    ),
    // A Yes could rest on BuildKit's unsigned provenance, which no longer counts as attested.
    ("ready-artifacts-provenance", Change::Split(&["ready-artifacts-sbom"])),
    // Readiness 2: container
    ("ready-container-no-secrets", Change::Split(&["ready-container-no-baked-secrets"])),
    (
        "ready-container-pinned-base",
        Change::Split(&["ready-container-base-pinned", "ready-container-base-refreshed"]),
    ),
    (
        "ready-container-healthcheck",
        Change::Dropped("A HEALTHCHECK in the image only helps where the platform acts on it (plain Docker just marks the container unhealthy), so this is now asked as whether the platform replaces an unhealthy instance, under Health checks."),
    ),
    // Readiness 3: configuration
    ("ready-config-env-file-ignored", Change::Split(&["ready-config-env-untracked"])),
    // Readiness 4: health
    ("ready-health-readiness-probe", Change::Split(&["ready-health-readiness-deps"])),
    // Readiness 5: rollout
    (
        "ready-rollout-auto-abort",
        Change::Split(&["ready-rollout-halts", "ready-rollout-auto-revert"]),
    ),
    // Readiness 6: rollback
    (
        "ready-rollback-database-plan",
        Change::Dropped("A plan for the database is now asked as two facts: whether every migration keeps the previous release working (Database migrations) and whether a backup or snapshot is taken before each destructive migration (Rollback)."),
    ),
    // Readiness 7: migrations
    (
        "ready-migrations-expand-contract",
        Change::Merged("ready-migrations-backward-compatible"),
    ),
    ("ready-migrations-locking", Change::Split(&["ready-migrations-online"])),
    // Readiness 8: monitoring
    ("ready-monitoring-resources", Change::Split(&["ready-monitoring-restarts"])),
    ("ready-monitoring-alerts", Change::Merged("ops-reliability-pages")),
    ("ready-monitoring-deploy-markers", Change::Split(&["ready-monitoring-deploys-visible"])),
    // Readiness 9: checklist
    ("ready-checklist-on-call-aware", Change::Split(&["ready-checklist-on-call-told"])),
    (
        "ready-checklist-plans-per-release",
        Change::Dropped("It asked two facts that now have their own questions: the rollback target (Rollback: redeploy the previous release) and the database plan (Database migrations: every migration backward compatible)."),
    ),
    ("ready-checklist-after", Change::Split(&["ready-checklist-prod-smoke"])),
    // Readiness 10: scaling
    (
        "ready-scaling-safe",
        Change::Dropped("It combined facts that are asked on their own and keep their answers: stateless processes (Factor VI), graceful shutdown and requeued jobs (Factor IX)."),
    ),
    ("ready-scaling-limits", Change::Split(&["ready-scaling-resource-limits"])),
];
