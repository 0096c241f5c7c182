#!/bin/sh
# Install the Debian/Ubuntu packages the portal needs, or say exactly how to.
#   scripts/system-deps.sh run    Python venv, Pango (WeasyPrint), a CJK font, gettext
#   scripts/system-deps.sh test   the above plus Chromium (browser tests), poppler-utils (PDF checks), Redis (multi-node)
#   scripts/system-deps.sh bench  the test packages plus wrk (the HTTP load of tests/benchmarks/bench_http.py)
#   scripts/system-deps.sh load   the test packages plus nginx (the load-and-fault scenario, scripts/load.py)
set -eu
mode="${1:-run}"
missing=""

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11 or newer is needed (found: $(python3 --version 2>&1))." >&2; exit 1; }
python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$missing python3-venv"
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
# WeasyPrint subsets fonts with HarfBuzz when this library is there; without it, with fontTools, 10x slower.
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing="$missing libharfbuzz-subset0"
command -v fc-list >/dev/null 2>&1 || missing="$missing fontconfig"
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
  missing="$missing fonts-noto-cjk"
fi
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
if [ "$mode" = "test" ] || [ "$mode" = "bench" ] || [ "$mode" = "load" ]; then
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
  # The multi-node test (scripts/multinode.py) starts its own Redis.
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
fi
if [ "$mode" = "load" ]; then
  command -v nginx >/dev/null 2>&1 || missing="$missing nginx-light"
fi
if [ "$mode" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
fi

[ -z "$missing" ] && exit 0
echo "Installing system packages:$missing"
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
  echo "These system packages are missing. Install them, then run make again:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
