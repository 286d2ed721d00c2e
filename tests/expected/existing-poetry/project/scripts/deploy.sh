#!/usr/bin/env bash
# billing-api: deploy one image to one environment. CI calls it with the digest it pushed (staging)
# or promoted (production); people call it with a version tag to roll back.
#
#   scripts/deploy.sh staging sha256:4f1c...      the exact bytes CI built (what CI passes)
#   scripts/deploy.sh production 1.4.1            a tag the registry resolves (a rollback)
#
# Deploys to Kubernetes (deploy/kubernetes/overlays/<environment>), or to Docker Swarm
# (docker-compose.prod.yml) with DEPLOY_TARGET=swarm.
# A placeholder until you switch it on: it prints the commands it would run. Point kubectl's
# context or DOCKER_HOST at the environment and set DEPLOY_EXECUTE=1 to run them for real.
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

repository="${IMAGE_REPOSITORY:-ghcr.io/your-org/billing-api}"
# A digest names immutable bytes; a tag is resolved by the registry at deploy time.
case "$reference" in
  sha256:*) image="${repository}@${reference}" ;;
  *) image="${repository}:${reference}" ;;
esac

run() {
  if [ "${DEPLOY_EXECUTE:-0}" = "1" ]; then
    "$@"
  else
    printf 'would run:'
    printf ' %q' "$@"
    printf '\n'
  fi
}

deploy_swarm() {
  local stack="billing-api-${environment}"
  echo "Deploying ${image} to ${environment} (Swarm stack ${stack})"
  # Release phase: run the migrations once, from the new image, before any new task starts.
  run docker run --rm --env APP_ENV="${environment}" --env BILLING_DB_URL "${image}" alembic upgrade head
  run env IMAGE="${image}" APP_ENV="${environment}" \
    docker stack deploy --with-registry-auth --prune --detach=false \
    --compose-file docker-compose.prod.yml "${stack}"
  echo "Done. Check: docker stack services ${stack}"
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
  if ! run kubectl --namespace "$namespace" wait --for=condition=complete --timeout=10m job/billing-api-release; then
    run kubectl --namespace "$namespace" logs job/billing-api-release --tail=50 || true
    echo "The release Job did not complete: nothing else was changed." >&2
    exit 1
  fi
  run kubectl apply -k "$pinned" --selector 'app.kubernetes.io/component!=release'
  # Waits for every pod of the new release to be ready; a failed rollout stops here (exit 1),
  # and `kubectl rollout undo` (README.md, Roll back) returns to the previous ReplicaSet.
  run kubectl --namespace "$namespace" rollout status deployment/billing-api-web --timeout=10m
  run kubectl --namespace "$namespace" rollout status deployment/billing-api-worker --timeout=10m
  echo "Done. Check: kubectl --namespace ${namespace} get pods"
}

case "${DEPLOY_TARGET:-kubernetes}" in
  kubernetes) deploy_kubernetes ;;
  swarm) deploy_swarm ;;
  *) echo "DEPLOY_TARGET must be kubernetes or swarm" >&2; exit 2 ;;
esac
