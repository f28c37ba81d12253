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
# The behaviours that depend on the date, each file a short test bed: calendar and deadlines,
# lateness and scripted-day measures, the report commands and the demo's month, assessment of a
# month and facts recorded late, retention periods, bookings' horizon and arrival window, login expiry.
tests=(
  tests/calendar
  tests/domain
  tests/reports/test_report_month_command_writes_the_files.py
  tests/reports/test_measures_of_a_scripted_day_are_exact.py
  tests/reports/test_attendance_thresholds_come_from_the_hall.py
  tests/reports/test_the_demo_fills_its_last_month_once.py
  tests/assessment/test_a_month_is_scored_from_the_event_log.py
  tests/assessment/test_the_on_time_part_counts_overdue_days_and_cases_ahead.py
  tests/assessment/test_a_case_is_judged_by_the_day_it_was_concluded.py
  tests/assessment/test_a_fact_recorded_after_closing_is_a_correction.py
  tests/retention/test_personal_data_younger_than_the_period_is_kept.py
  tests/retention/test_the_purge_command_reports_each_hall.py
  tests/bookings/test_slots_follow_the_hall_calendar.py
  tests/bookings/test_check_in_at_the_edges_of_the_arrival_window.py
  tests/accounts/test_a_login_expires.py
)
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
  # Monotonic clocks are faked too: with them left real, libfaketime 0.9.10 makes Python's
  # time.sleep fail with EINVAL.
  # Faked monotonic clocks have a cost: a timed wait on a thread lock (Thread.join(timeout),
  # Event.wait(timeout)) never times out, as CPython's sem_clockwait reads the faked clock and
  # libfaketime does not translate that call. So nothing on these tests' path may need such a
  # timeout to go on (tests/support/threads.py polls with sleeps), and each date's run is
  # bounded (about a minute normally): twice, under 2026-12-31, a live server's shutdown
  # waited there for good.
  TZ=Asia/Shanghai timeout 900 faketime -f "@$when" "$python" -m pytest -q -p no:cacheprovider "${tests[@]}"
done
