#!/usr/bin/env bash
# billing-api: deploy one image tag to one environment. CI calls it after pushing the image;
# people call it to roll back (deploy the previous tag again).
#
#   scripts/deploy.sh staging sha-abc1234
#   scripts/deploy.sh production 1.4.2
#
# A placeholder: it prints the commands it would run against the environment's Docker Swarm.
# Point DOCKER_HOST (or a docker context) at the swarm manager and set DEPLOY_EXECUTE=1 to run
# them for real, or replace the body with your platform's deploy command.
# Serves factors V (build, release, run: a release is an image tag plus the environment's
# config), X (dev/prod parity: the same image in staging and production) and XII (admin
# processes: migrations run as a one-off before the new release starts).
set -euo pipefail

usage() {
  echo "usage: $0 <staging|production> <image-tag>" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
environment="$1"
tag="$2"
case "$environment" in
  staging | production) ;;
  *) usage ;;
esac

repository="${IMAGE_REPOSITORY:-ghcr.io/your-org/billing-api}"
stack="billing-api-${environment}"
image="${repository}:${tag}"

run() {
  if [ "${DEPLOY_EXECUTE:-0}" = "1" ]; then
    "$@"
  else
    printf 'would run:'
    printf ' %q' "$@"
    printf '\n'
  fi
}

echo "Deploying ${image} to ${environment} (stack ${stack})"
run env IMAGE_REPOSITORY="${repository}" IMAGE_TAG="${tag}" APP_ENV="${environment}" \
  docker stack deploy --with-registry-auth --prune --detach=false \
  --compose-file docker-compose.prod.yml "${stack}"
echo "Done. Check: docker stack services ${stack}"
