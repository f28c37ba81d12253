#!/usr/bin/env bash
# Runs the tests that touch the interpreter's own edges (datetime and zoneinfo in the domain,
# the sqlite3 module's adapters in storage, the API and the live stream, printers' bytes) under
# the newest CPython on the machine, with deprecation warnings as errors, in its own venv
# (.venv-newest). `make test` runs the oldest supported one (requires-python >= 3.11); this
# catches what a newer interpreter removes or warns of before a hall upgrades its OS (Python
# 3.12 deprecated sqlite3's default datetime adapter, which the month passes once used).
# Usage: scripts/test-newest-python.sh   (make test-newest-python; .ci/run)
set -euo pipefail
newest=""
# The shims of pyenv answer "command not found" for a version that is installed but not
# selected, so each candidate must run, and pyenv's own versions are looked at too.
for name in python3.14 python3.13 python3.12; do
  for candidate in "$(command -v "$name" 2>/dev/null || true)" \
    "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"${name#python}"*/bin/"$name" 2>/dev/null | sort -V | tail -n 1)"; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1; then
      newest=$candidate
      break 2
    fi
  done
done
if [ -z "$newest" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "test-newest-python: no CPython 3.12 or newer found on this machine" >&2
    exit 1
  fi
  echo "test-newest-python: skipped, no CPython 3.12 or newer found (install one to run it)" >&2
  exit 0
fi
echo "test-newest-python: $("$newest" --version) ($newest)"
make --no-print-directory .venv-newest/.installed VENV=.venv-newest PYTHON="$newest"
.venv-newest/bin/python -m pytest -q -n "${TEST_WORKERS:-2}" --dist loadgroup \
  -W error::DeprecationWarning \
  tests/domain tests/storage tests/api tests/printers tests/live tests/calendar tests/config \
  tests/access
