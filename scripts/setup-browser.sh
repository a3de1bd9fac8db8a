#!/usr/bin/env bash
# Installs the headless browser the dashboard test drives (tests/dashboard_browser.rs):
# Debian's chromium and its matching chromedriver. On Debian as root, installs them.
set -euo pipefail
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing chromium chromium-driver with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
else
  echo "setup: please install chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)" >&2
  exit 2
fi
