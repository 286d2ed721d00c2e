#!/bin/sh
# storefront: in production each credential is a secret file (Docker and Kubernetes secrets) whose
# path is in NAME_FILE, but the app reads NAME. This sets NAME from that file, then replaces
# itself with the start command (exec: the app is the process that receives SIGTERM).
# Every start command in the image runs behind it; the Procfile and CI, where the variables
# are plain, do not need it. It changes nothing for a variable without NAME_FILE.
# The values end up in the process environment, which child processes inherit: an app that
# reads the files itself does not need this script (tick "reads secret files" in the generator).
# Serves factors III (config: credentials come from the deploy, never from the image) and IX
# (disposability: exec hands SIGTERM to the app).
set -eu

from_file() {
    name=$1
    eval "file=\${${name}_FILE:-}"
    [ -n "$file" ] || return 0
    if [ ! -r "$file" ]; then
        echo "env-from-files: ${name}_FILE names ${file}, which cannot be read" >&2
        exit 2
    fi
    # Command substitution drops trailing newlines, as `docker secret create` input often has one.
    value=$(cat "$file")
    export "$name=$value"
    unset "${name}_FILE"
}

from_file SESSION_STORE_URL
from_file SESSION_SECRET

exec "$@"
