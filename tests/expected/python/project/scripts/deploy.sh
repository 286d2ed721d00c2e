#!/usr/bin/env bash
# billing-api: deploy one image to one environment. CI calls it with the digest it pushed (staging)
# or promoted (production); people call it with a version tag to roll back.
#
#   scripts/deploy.sh staging sha256:4f1c...      the exact bytes CI built (what CI passes)
#   scripts/deploy.sh production 1.4.1            a tag the registry resolves (a rollback)
#
# Deploys to Docker Swarm: docker-compose.prod.yml as the stack billing-api-<environment>.
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

repository="${IMAGE_REPOSITORY:-docker.io/your-user/billing-api}"
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
  run docker run --rm --env APP_ENV="${environment}" --env DATABASE_URL "${image}" python -m app.main migrate
  run env IMAGE="${image}" APP_ENV="${environment}" \
    docker stack deploy --with-registry-auth --prune --detach=false \
    --compose-file docker-compose.prod.yml "${stack}"
  echo "Done. Check: docker stack services ${stack}"
}

deploy_swarm
