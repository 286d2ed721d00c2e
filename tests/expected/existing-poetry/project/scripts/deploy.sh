#!/usr/bin/env bash
# billing-api: deploy one image to one environment, every process type together. CI calls it with
# the digest it pushed (staging) or promoted (production); people call it with a tag CI pushed
# to roll the whole release back (web, worker).
#
#   scripts/deploy.sh staging sha256:4f1c...           the exact bytes CI built (what CI passes)
#   scripts/deploy.sh production 1.4.1                 a version tag (a rollback)
#   scripts/deploy.sh production sha-<40-hex commit>   the tag CI pushed for a commit of main
#
# IMAGE_REPOSITORY (the repository CI pushes to, no tag) is required, from the shell or CI.
# Deploys to Kubernetes (deploy/kubernetes/overlays/<environment>), or to Docker Swarm
# (docker-compose.prod.yml) with DEPLOY_TARGET=swarm.
# Swarm: one swarm per environment (secret names and the published port are per swarm); the
# script refuses to deploy next to the other environment's stack. DOCKER_HOST names the
# environment's manager (ssh://user@host); Docker CLI 26.0 or newer.
# Without DEPLOY_EXECUTE=1 it prints the commands it would run and exits 3, deploying nothing;
# in CI (CI is set) it refuses to run without DEPLOY_EXECUTE=1, so a pipeline never shows a
# deploy that did not happen.
# Serves factors V (build, release, run: a release is an image plus the environment's config),
# X (dev/prod parity: the same image in staging and production) and XII (admin processes:
# migrations run as a one-off before the new release starts).
set -euo pipefail

usage() {
  echo "usage: $0 <staging|production> <sha256:digest|image-tag>" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
environment="$1"
reference="$2"
case "$environment" in
  staging | production) ;;
  *) usage ;;
esac

if [ -z "${IMAGE_REPOSITORY:-}" ]; then
  echo "IMAGE_REPOSITORY is not set: export the repository CI pushes to, without a tag" >&2
  echo "(for example IMAGE_REPOSITORY=ghcr.io/<owner>/billing-api); CI sets it." >&2
  exit 2
fi
repository="${IMAGE_REPOSITORY}"
# CI tags each commit with its full sha; a short one names no image.
if [[ "$reference" == sha-* ]] && ! [[ "$reference" =~ ^sha-[0-9a-f]{40}$ ]]; then
  echo "$reference: CI tags images sha-<full 40-character commit sha> (git rev-parse HEAD)" >&2
  exit 2
fi
# A digest names immutable bytes; a tag is resolved by the registry at deploy time.
case "$reference" in
  sha256:*) image="${repository}@${reference}" ;;
  *) image="${repository}:${reference}" ;;
esac

executing() {
  [ "${DEPLOY_EXECUTE:-0}" = "1" ]
}
if ! executing && [ -n "${CI:-}" ]; then
  echo "DEPLOY_EXECUTE is not 1: this CI job would only print a plan and report a deploy that" >&2
  echo "never happened. Set DEPLOY_EXECUTE=1 in the job once its settings are in place." >&2
  exit 1
fi

run() {
  if executing; then
    "$@"
  else
    printf 'would run:'
    printf ' %q' "$@"
    printf '\n'
  fi
}

# One swarm per environment: the stacks would share secret names and the published port.
check_one_environment_per_swarm() {
  local stacks other
  if ! executing; then
    echo "would check: no other environment's stack runs on this swarm"
    return 0
  fi
  stacks="$(docker stack ls --format '{{.Name}}')"
  for other in staging production; do
    [ "$other" != "$environment" ] || continue
    case $'\n'"${stacks}"$'\n' in
      *$'\n'"billing-api-${other}"$'\n'*)
        echo "This swarm runs billing-api-${other}: staging and production need a swarm each (they" >&2
        echo "would share secrets and the published port). Point DOCKER_HOST at the ${environment} swarm." >&2
        exit 1
        ;;
    esac
  done
}

# Release phase: the migrations run once, from the new image, as a Swarm one-off service on the
# stack's network with the stack's secrets, before any service is updated. A failure stops the
# deploy with nothing else changed.
release_swarm() {
  local stack="$1"
  local network="${stack}_app" job="${stack}_release"
  if ! executing || ! docker network inspect "$network" >/dev/null 2>&1; then
    # First deploy: create the stack's network as the stack would; its label lets
    # `docker stack deploy` adopt it.
    run docker network create --driver overlay --attachable \
      --label "com.docker.stack.namespace=${stack}" "$network"
  fi
  # An interrupted earlier release may have left its one-off behind.
  if executing && docker service inspect "$job" >/dev/null 2>&1; then
    docker service rm "$job" >/dev/null
  fi
  run docker service create --name "$job" --detach \
    --mode replicated-job --restart-condition none --with-registry-auth \
    --network "$network" \
    --secret billing_db_url --env BILLING_DB_URL_FILE=/run/secrets/billing_db_url \
    --secret celery_broker_url --env CELERY_BROKER_URL_FILE=/run/secrets/celery_broker_url \
    --secret stripe_api_key --env STRIPE_API_KEY_FILE=/run/secrets/stripe_api_key \
    --env APP_ENV="${environment}" --env LOG_LEVEL="${LOG_LEVEL:-info}" --env PORT=8080 \
    "${image}" /usr/local/bin/env-from-files alembic upgrade head
  wait_for_release_swarm "$job"
}

# Waits up to RELEASE_TIMEOUT seconds (10 minutes) for the one-off's task to end; fails unless
# it completed (exit 0).
wait_for_release_swarm() {
  local job="$1" task state status deadline=$((SECONDS + ${RELEASE_TIMEOUT:-600}))
  if ! executing; then
    echo "would wait: for ${job} to complete, failing the deploy unless it exits 0"
    return 0
  fi
  while :; do
    task="$(docker service ps --quiet --no-trunc "$job")"
    task="${task%%$'\n'*}"
    state=""
    if [ -n "$task" ]; then
      state="$(docker inspect --format '{{.Status.State}}' "$task")"
    fi
    case "$state" in
      complete)
        docker service rm "$job" >/dev/null
        echo "Release step completed"
        return 0
        ;;
      failed | rejected | shutdown | orphaned | remove)
        status="$(docker inspect --format '{{.Status.Err}}' "$task" || true)"
        docker service logs --tail 50 "$job" >&2 || true
        docker service rm "$job" >/dev/null || true
        echo "The release step (migrate) ended ${state} (${status:-no error reported}). Nothing else was changed." >&2
        exit 1
        ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      docker service logs --tail 50 "$job" >&2 || true
      docker service rm "$job" >/dev/null || true
      echo "The release step (migrate) did not finish within ${RELEASE_TIMEOUT:-600} s. Nothing else was changed." >&2
      exit 1
    fi
    sleep 2
  done
}

deploy_swarm() {
  local stack="billing-api-${environment}"
  check_one_environment_per_swarm
  echo "Deploying ${image} to ${environment} (Swarm stack ${stack})"
  release_swarm "$stack"
  # Every service of the stack gets the same image: a deploy (or a rollback) is the whole release.
  run env IMAGE="${image}" APP_ENV="${environment}" \
    docker stack deploy --with-registry-auth --prune --detach=false \
    --compose-file docker-compose.prod.yml "${stack}"
  echo "Deployed. Check: docker stack services ${stack}"
}

# Waits up to RELEASE_TIMEOUT seconds (10 minutes) for the release Job to complete; fails as
# soon as it has failed.
wait_for_release_job() {
  local namespace="$1" conditions deadline=$((SECONDS + ${RELEASE_TIMEOUT:-600}))
  if ! executing; then
    echo "would wait: for job/billing-api-release to complete, failing the deploy if it fails"
    return 0
  fi
  while :; do
    conditions="$(kubectl --namespace "$namespace" get job billing-api-release \
      --output 'jsonpath={.status.conditions[?(@.status=="True")].type}')"
    case " ${conditions} " in
      *" Complete "*) echo "Release Job completed"; return 0 ;;
      *" Failed "*) break ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      break
    fi
    sleep 5
  done
  kubectl --namespace "$namespace" logs job/billing-api-release --tail=50 >&2 || true
  echo "The release Job did not complete (${conditions:-no condition after ${RELEASE_TIMEOUT:-600} s}): nothing else was changed." >&2
  exit 1
}

deploy_kubernetes() {
  local namespace="billing-api-${environment}"
  # A throwaway kustomization on top of the overlay pins the image to what CI built.
  pinned="deploy/kubernetes/.deploy-${environment}"
  local pin
  case "$reference" in
    sha256:*) pin="digest: ${reference}" ;;
    *) pin="newTag: \"${reference}\"" ;;
  esac
  rm -rf "$pinned"
  mkdir -p "$pinned"
  trap 'rm -rf "$pinned"' EXIT
  cat >"$pinned/kustomization.yaml" <<KUSTOMIZATION
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../overlays/${environment}
images:
  - name: ghcr.io/your-org/billing-api
    newName: ${repository}
    ${pin}
KUSTOMIZATION
  echo "Deploying ${image} to ${environment} (Kubernetes namespace ${namespace})"
  # Release phase: the Job runs the migrations from the new image and must succeed before any
  # Deployment changes. A Job's pod template cannot change, so the previous Job goes first.
  run kubectl --namespace "$namespace" delete job billing-api-release --ignore-not-found --wait=true
  run kubectl apply -k "$pinned" --selector 'app.kubernetes.io/component in (config,release)'
  wait_for_release_job "$namespace"
  run kubectl apply -k "$pinned" --selector 'app.kubernetes.io/component!=release'
  # Every Deployment gets the same image: a deploy (or a rollback) is the whole release. Waits
  # for every pod of it to be ready; a failed rollout stops here (exit 1).
  run kubectl --namespace "$namespace" rollout status deployment/billing-api-web --timeout=10m
  run kubectl --namespace "$namespace" rollout status deployment/billing-api-worker --timeout=10m
  echo "Deployed. Check: kubectl --namespace ${namespace} get pods"
}

case "${DEPLOY_TARGET:-kubernetes}" in
  kubernetes) deploy_kubernetes ;;
  swarm) deploy_swarm ;;
  *) echo "DEPLOY_TARGET must be kubernetes or swarm" >&2; exit 2 ;;
esac
if ! executing; then
  echo "Nothing was deployed: this was the plan. Set DEPLOY_EXECUTE=1 to run it." >&2
  exit 3
fi
