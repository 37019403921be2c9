#!/usr/bin/env bash
# Installs what tests/browser needs from Debian when it is missing: chromium, its driver and a Hangul font
# (without fonts-nanum the screenshots show boxes instead of Hangul). Needs root (or password-less sudo);
# otherwise it says what to install and exits 1. A no-op when everything is there.
set -uo pipefail
packages=(chromium chromium-driver fonts-nanum)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
ls /usr/share/fonts/truetype/nanum/*.ttf >/dev/null 2>&1 || missing+=(fonts-nanum)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "browser test: needs ${missing[*]} (apt-get install ${packages[*]}); no root to install them" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser test: needs ${missing[*]}; this is not a Debian/Ubuntu system (no apt-get)" >&2
  exit 1
fi
echo "installing ${missing[*]} for the browser test (apt-get)" >&2
"${SUDO[@]}" apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
