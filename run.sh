#!/usr/bin/env bash
# One entry point for a fresh machine:
#   bash run.sh demo   — install what is missing, then run `sensegrid demo`
#   bash run.sh test   — install what is missing, start the services, run lint, types and tests
# Extra arguments after `test` go to pytest (e.g. `bash run.sh test -k aqi`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
what="${1:-}"; shift || true

venv=.venv
ensure_venv() {
  local extras="$1" stamp
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  stamp="$venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)-$extras"
  if [ ! -f "$stamp" ]; then
    echo "[run] installing sensegrid${extras:+[$extras]} into $venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    "$venv/bin/python" -m pip install -q -c constraints.txt -e ".${extras:+[$extras]}"
    rm -f "$venv"/.installed-*; touch "$stamp"
  fi
}

ensure_services() {
  if [ "$(id -u)" -eq 0 ]; then
    bash deploy/services.sh
  else
    echo "[run] not root: expecting PostgreSQL and Mosquitto already running (deploy/services.sh sets them up)"
  fi
}

case "$what" in
  demo)
    ensure_venv ""
    exec "$venv/bin/sensegrid" demo "$@"
    ;;
  test)
    ensure_venv test
    ensure_services
    echo "[run] ruff";  "$venv/bin/ruff" check .
    echo "[run] mypy";  "$venv/bin/mypy"
    echo "[run] layer rules (import-linter contracts in pyproject.toml)"; "$venv/bin/lint-imports" --no-cache
    echo "[run] pytest"
    set +e; "$venv/bin/pytest" "$@"; rc=$?; set -e
    if [ "$rc" -eq 5 ]; then
      echo "[run] pytest collected no tests (exit 5): nothing to run for that selection"
      exit 0
    fi
    exit "$rc"
    ;;
  *)
    echo "usage: bash run.sh demo | bash run.sh test [pytest args]" >&2
    exit 2
    ;;
esac
