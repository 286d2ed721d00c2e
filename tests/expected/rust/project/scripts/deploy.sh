#!/usr/bin/env bash
# billing-api: deploy one image to one environment, every process type together. CI calls it with
# the digest it pushed (staging) or promoted (production); people call it with a tag CI pushed
# to roll the whole release back (web).
#
#   scripts/deploy.sh staging sha256:4f1c...           the exact bytes CI built (what CI passes)
#   scripts/deploy.sh production 1.4.1                 a version tag (a rollback)
#   scripts/deploy.sh production sha-<40-hex commit>   the tag CI pushed for a commit of main
#
# IMAGE_REPOSITORY (the repository CI pushes to, no tag) is required, from the shell or CI.
# Deploys to Docker Swarm: docker-compose.prod.yml as the stack billing-api-<environment>.
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

deploy_swarm() {
  local stack="billing-api-${environment}"
  check_one_environment_per_swarm
  echo "Deploying ${image} to ${environment} (Swarm stack ${stack})"
  # Every service of the stack gets the same image: a deploy (or a rollback) is the whole release.
  run env IMAGE="${image}" APP_ENV="${environment}" \
    docker stack deploy --with-registry-auth --prune --detach=false \
    --compose-file docker-compose.prod.yml "${stack}"
  echo "Deployed. Check: docker stack services ${stack}"
}

deploy_swarm
if ! executing; then
  echo "Nothing was deployed: this was the plan. Set DEPLOY_EXECUTE=1 to run it." >&2
  exit 3
fi
