#!/usr/bin/env bash
# Creates (or refreshes) the Python venv holding the scaffold linters, at $LINT_VENV.
# Reinstalls only when the venv is missing or tests/lint/requirements.txt changed (a stamp file
# holds the hash of the requirements it was built from).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="${LINT_VENV:-$HOME/.cache/twelve-factor-studio/lint-venv}"
requirements="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "install.sh: Python 3 is required ($python not found)" >&2; exit 1; }
echo "Installing the scaffold linters into $venv (once per requirements change)"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "$want" > "$stamp"
