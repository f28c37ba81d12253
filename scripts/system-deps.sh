#!/usr/bin/env bash
# Installs the Debian packages hallq's demo and tests use, when they are missing:
#   chromium        headless browser for the hall board / status page tests
#   fonts-noto-cjk  a CJK font for receipts (Chinese is printed as an image)
#   espeak-ng, sox  offline voice clips for the hall board
#   fontconfig      fc-match, to find the CJK font
#   cage, foot, kbd, systemd  the screen sessions (systemd/); `systemd-analyze verify`
#                   checks the units' binaries exist (tests/deploy)
#   xwayland, fonts-dejavu-core  cage 0.1.4 will not start without Xwayland; the kiosk's
#                   18 pt Latin font (scripts/kiosk_cell_grid.py measures its cell grid)
#   postgresql-client  pg_dump / pg_restore for `hallq backup` on PostgreSQL
#   libusb-1.0-0    USB receipt printers through pyusb (kiosk, `hallq doctor`)
#   faketime        the date-sensitive tests under faked dates (make test-dates)
#   poppler-utils   pdftoppm, to render the monthly notice (通报) PDF to PNG in its tests
#   nginx-light     the TLS reverse proxy of docs/deploy.md (deploy/nginx-hallq.conf, tested)
#   haproxy         the balancer in front of a city's app hosts (docs/scale.md, tests/scale)
#   wrk             the HTTP load generator of bench/bench_queue_api.py (bench/wrk/*.lua)
# Needs root (or sudo). Without either it prints what to install and carries on: the tests
# that need a missing part skip with a reason (and fail when CI=true).
set -u
want=(chromium fonts-noto-cjk espeak-ng sox fontconfig cage foot kbd xwayland fonts-dejavu-core postgresql-client systemd
      libusb-1.0-0 faketime poppler-utils nginx-light haproxy wrk)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; please install: ${missing[*]}" >&2
  exit 0
fi
run=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then run=(sudo -n); else
    echo "system-deps: run as root to install: ${missing[*]}" >&2
    exit 0
  fi
fi
echo "system-deps: installing ${missing[*]}"
"${run[@]}" apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
