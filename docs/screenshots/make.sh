#!/usr/bin/env bash
# Regenerates the screenshots of the example site in this folder: the main
# page types at 1280 px (a laptop) and 390 px (a phone), light and dark.
# Needs Chromium (Debian: chromium) and Python 3; builds recap in release.
#
#   bash docs/screenshots/make.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
chromium="${RECAP_CHROMIUM:-$(command -v chromium || command -v chromium-browser)}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cd "$repo"
cargo build --release --quiet
./target/release/recap build --quiet --output "$work/site"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
sleep 1

# shot NAME PATH WIDTH HEIGHT SCHEME
shot() {
  local scheme=1
  [ "$5" = dark ] && scheme=0
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$1" --hide-scrollbars \
    --window-size="$3,$4" --blink-settings=preferredColorScheme=$scheme \
    --virtual-time-budget=3000 --screenshot="$here/$1.png" \
    "http://127.0.0.1:$port/$2" >/dev/null 2>&1
  echo "docs/screenshots/$1.png"
}

shot home-1280-light "" 1280 1400 light
shot home-390-dark "" 390 1600 dark
shot post-1280-light 2025/cloudnative-summit-day-one/ 1280 2200 light
shot post-390-light 2025/cloudnative-summit-day-three/ 390 1600 light
shot event-1280-dark events/cloudnative-summit-eu-2025/ 1280 1600 dark
shot events-1280-light events/ 1280 1100 light
shot talks-1280-light talks/ 1280 1400 light
shot talks-390-dark talks/ 390 1600 dark
