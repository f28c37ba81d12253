#!/usr/bin/env bash
# Runs the date-sensitive tests under faked dates (libfaketime, Debian package `faketime`), so
# that the suite is shown to hold on the days that break calendars: the first working day of a
# month, 31 December, the days around the Spring Festival of 2027, a make-up Saturday (调休),
# and a day in 2028. The whole process tree sees the date: CLI subprocesses and live servers too.
# Usage: scripts/test-dates.sh [PYTHON]   (make test-dates)
set -euo pipefail
python=${1:-.venv/bin/python}
lib=$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketime.so.1$' || true)
if [ -z "$lib" ] || ! command -v faketime >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "test-dates: faketime is not installed (scripts/system-deps.sh installs it)" >&2
    exit 1
  fi
  echo "test-dates: skipped, faketime is not installed (apt-get install faketime)" >&2
  exit 0
fi
# The behaviours that depend on the date: calendar, deadlines, lateness, reports, assessment,
# retention, bookings' horizon and the command-line clock.
tests=(tests/calendar tests/domain tests/reports tests/assessment tests/retention tests/bookings)
dates=(
  "2026-12-01 09:30:00"   # first working day of a month
  "2026-12-31 16:00:00"   # the last day of the year
  "2027-02-04 10:00:00"   # the day before the Spring Festival holiday of 2027
  "2027-02-11 10:00:00"   # the day after it
  "2026-02-28 10:00:00"   # a make-up Saturday (调休) of 2026
  "2028-06-15 10:00:00"   # a year ahead of every published arrangement
)
for when in "${dates[@]}"; do
  echo "== tests on a faked date: $when (Asia/Shanghai)"
  # Monotonic clocks stay real: timeouts and event loops must not see the jump.
  FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=Asia/Shanghai \
    faketime -f "@$when" "$python" -m pytest -q -p no:cacheprovider "${tests[@]}"
done
