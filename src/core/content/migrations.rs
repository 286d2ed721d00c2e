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
    /// Split into questions that each ask one part. Yes, and N/A with a reason, held for the whole
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
    ("backing-timeouts", Change::Merged("ops-resilience-timeouts")),
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
    // Factor XII
    ("admin-documented-no-ssh", Change::Split(&["admin-tasks-in-runbook"])),
    // Readiness 1: artifacts
    ("ready-artifacts-sha-tag", Change::Merged("codebase-deploy-traceable")),
    (
        "ready-artifacts-immutable-prod-tag",
        Change::Dropped("A version tag can be overwritten unless the registry forbids it, so this now asks whether production pins a digest or an immutable tag: please answer it again."),
    ),
    (
        "ready-artifacts-provenance",
        Change::Split(&["ready-artifacts-attested", "ready-artifacts-sbom"]),
    ),
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
    // Readiness 7: migrations
    ("ready-migrations-locking", Change::Split(&["ready-migrations-online"])),
    // Readiness 8: monitoring
    ("ready-monitoring-resources", Change::Split(&["ready-monitoring-restarts"])),
    ("ready-monitoring-alerts", Change::Merged("ops-reliability-pages")),
    ("ready-monitoring-deploy-markers", Change::Split(&["ready-monitoring-deploys-visible"])),
    // Readiness 9: checklist
    ("ready-checklist-on-call-aware", Change::Split(&["ready-checklist-on-call-told"])),
    (
        "ready-checklist-plans-per-release",
        Change::Dropped("It asked two facts that now have their own questions: the rollback target (Rollback: redeploy the previous release) and the database plan (Rollback: a plan for each schema change)."),
    ),
    ("ready-checklist-after", Change::Split(&["ready-checklist-prod-smoke"])),
    // Readiness 10: scaling
    (
        "ready-scaling-safe",
        Change::Dropped("It combined facts that are asked on their own and keep their answers: stateless processes (Factor VI), graceful shutdown and requeued jobs (Factor IX)."),
    ),
    ("ready-scaling-limits", Change::Split(&["ready-scaling-resource-limits"])),
];

/// The version-1 question ids in their content order: share links of version 1 carry one
/// answer code per question in this order.
pub static V1_QUESTION_IDS: &[&str] = &[
    "codebase-one-repo",
    "codebase-no-env-branches",
    "codebase-deploy-traceable",
    "codebase-shared-libs",
    "deps-lockfile",
    "deps-isolated",
    "deps-locked-install",
    "deps-no-system-tools",
    "deps-vulnerability-updates",
    "config-env-vars",
    "config-no-secrets-in-repo",
    "config-documented",
    "config-no-env-name-branching",
    "config-open-source-test",
    "backing-url-config",
    "backing-swap-no-code",
    "backing-same-code-path",
    "backing-timeouts",
    "brr-ci-builds",
    "brr-release-id",
    "brr-no-runtime-patching",
    "brr-config-at-release",
    "brr-release-history",
    "processes-stateless",
    "processes-no-sticky-sessions",
    "processes-uploads-external",
    "processes-cache-optional",
    "processes-read-only-fs",
    "port-from-env",
    "port-self-contained",
    "port-bind-all-interfaces",
    "port-consumable-by-url",
    "concurrency-foreground",
    "concurrency-process-types",
    "concurrency-horizontal",
    "concurrency-independent-scaling",
    "disposability-sigterm",
    "disposability-fast-start",
    "disposability-auto-restart",
    "disposability-jobs-requeued",
    "disposability-idempotent",
    "parity-same-services",
    "parity-one-command-dev",
    "parity-staging-like-prod",
    "parity-time-gap",
    "parity-devs-deploy",
    "logs-stdout",
    "logs-structured",
    "logs-aggregated",
    "logs-no-sensitive-data",
    "logs-request-id",
    "admin-one-off",
    "admin-code-in-repo",
    "admin-same-environment",
    "admin-documented-no-ssh",
    "admin-audited",
    "ready-artifacts-sha-tag",
    "ready-artifacts-immutable-prod-tag",
    "ready-artifacts-promote",
    "ready-artifacts-retention",
    "ready-artifacts-provenance",
    "ready-container-no-secrets",
    "ready-container-multi-stage",
    "ready-container-dockerignore",
    "ready-container-non-root",
    "ready-container-pinned-base",
    "ready-container-healthcheck",
    "ready-config-validated",
    "ready-config-env-file-ignored",
    "ready-config-precedence",
    "ready-config-secret-store",
    "ready-config-rotation",
    "ready-health-endpoint",
    "ready-health-readiness-probe",
    "ready-health-liveness-no-deps",
    "ready-health-startup-grace",
    "ready-health-cheap",
    "ready-rollout-strategy",
    "ready-rollout-grace-period",
    "ready-rollout-drain",
    "ready-rollout-auto-abort",
    "ready-rollout-canary",
    "ready-rollback-previous-tag",
    "ready-rollback-runbook",
    "ready-rollback-database-plan",
    "ready-rollback-rehearsed",
    "ready-rollback-feature-flags",
    "ready-migrations-backward-compatible",
    "ready-migrations-one-off",
    "ready-migrations-idempotent",
    "ready-migrations-staging",
    "ready-migrations-expand-contract",
    "ready-migrations-locking",
    "ready-monitoring-golden-signals",
    "ready-monitoring-resources",
    "ready-monitoring-alerts",
    "ready-monitoring-watch-window",
    "ready-monitoring-deploy-markers",
    "ready-checklist-tests-green",
    "ready-checklist-written",
    "ready-checklist-staging-verified",
    "ready-checklist-on-call-aware",
    "ready-checklist-plans-per-release",
    "ready-checklist-after",
    "ready-scaling-safe",
    "ready-scaling-command",
    "ready-scaling-signals",
    "ready-scaling-limits",
    "ready-scaling-autoscale",
    "ready-scaling-load-tested",
];
