#!/usr/bin/env bash
# What Seam's tests (`deps.sh test`) or `npm start` (`deps.sh start`) need beyond node_modules:
# a Chromium, Firefox ESR and ffmpeg's ffprobe. Installs what is missing when it can (root with
# apt on Debian), otherwise stops at once with the one command to run. CHROME_PATH and
# FIREFOX_PATH name browsers installed elsewhere.
set -euo pipefail
want="${1:-test}"

for var in CHROME_PATH FIREFOX_PATH; do
  if [ -n "${!var:-}" ] && [ ! -x "${!var}" ]; then
    echo "$var is set to ${!var}, which is not an executable browser." >&2
    exit 1
  fi
done
chrome="${CHROME_PATH:-/usr/bin/chromium}"
firefox="${FIREFOX_PATH:-/usr/bin/firefox-esr}"
missing=()
[ -x "$chrome" ] || missing+=(chromium)
if [ "$want" = test ]; then
  [ -x "$firefox" ] || missing+=(firefox-esr)
  command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
if [ "$id" = ubuntu ]; then
  # Ubuntu ships Chromium and Firefox as snaps, which headless tests in containers cannot use.
  echo "Seam's tests need: ${missing[*]}." >&2
  echo "On Ubuntu, run:  sudo apt-get install -y ffmpeg  and set CHROME_PATH and FIREFOX_PATH" >&2
  echo "to a Chromium/Chrome and a Firefox ESR binary (Debian's packages, or Mozilla's)." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Seam's tests need: ${missing[*]}. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "(or set CHROME_PATH / FIREFOX_PATH to browsers installed elsewhere)" >&2
  exit 1
fi
echo "Installing ${missing[*]} from Debian (first run only)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
