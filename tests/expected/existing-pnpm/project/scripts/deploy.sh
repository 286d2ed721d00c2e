#!/usr/bin/env bash
# storefront: deploy one image to one environment, every process type together. CI calls it with
# the digest it pushed (staging) or promoted (production); people call it with a tag CI pushed
# to roll the whole release back (web, scheduler).
#
#   scripts/deploy.sh staging sha256:4f1c...           the exact bytes CI built (what CI passes)
#   scripts/deploy.sh production 1.4.1                 a version tag (a rollback)
#   scripts/deploy.sh production sha-<40-hex commit>   the tag CI pushed for a commit of main
#
# IMAGE_REPOSITORY (the repository CI pushes to, no tag) is required, from the shell or CI.
# Deploys to Kubernetes: the Kustomize overlay deploy/kubernetes/overlays/<environment>.
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
  echo "(for example IMAGE_REPOSITORY=docker.io/<owner>/storefront); CI sets it." >&2
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

deploy_kubernetes() {
  local namespace="storefront-${environment}"
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
  - name: docker.io/your-user/storefront
    newName: ${repository}
    ${pin}
KUSTOMIZATION
  echo "Deploying ${image} to ${environment} (Kubernetes namespace ${namespace})"
  run kubectl apply -k "$pinned"
  # Every Deployment gets the same image: a deploy (or a rollback) is the whole release. Waits
  # for every pod of it to be ready; a failed rollout stops here (exit 1).
  run kubectl --namespace "$namespace" rollout status deployment/storefront-web --timeout=10m
  run kubectl --namespace "$namespace" rollout status deployment/storefront-scheduler --timeout=10m
  echo "Deployed. Check: kubectl --namespace ${namespace} get pods"
}

deploy_kubernetes
if ! executing; then
  echo "Nothing was deployed: this was the plan. Set DEPLOY_EXECUTE=1 to run it." >&2
  exit 3
fi
