#!/usr/bin/env bash
# Browser tests of the built example site: its sitemap against the sitemaps.org schema, the Nu
# HTML Checker over every page, axe-core in headless Chromium (light and dark), the footnote
# popovers of the seed brief, the client-side search, a crawl of every internal link, and live
# reload in `briefing serve` (reload.test.mjs starts its own server on a copy of the site), and
# the XSS fixture (tests/fixtures/xss/site, built beside the example under /xss/): no payload
# may run on any of its pages (xss.test.mjs).
#
#   bash tests/browser/run.sh            # from anywhere; .ci/run calls it after `cargo test`
#
# Installs what it needs on a fresh Debian 12 machine (Debian's chromium, a headless JRE and
# xmllint via apt, the npm packages of package-lock.json via `npm ci`; nothing else is
# downloaded), builds the site into a temp folder under the GitHub Pages-like subpath /caucasus-brief/, serves it
# on 127.0.0.1 with python's http.server and runs `node --test` on tests/browser/*.test.mjs.
# Exits non-zero on any failure.
#
# Environment: KEEP_TMP=1 keeps the temp folder (built site, server log) for inspection;
# BRIEFING_BIN=path uses that binary to build the site; XSS_SCREENSHOT=file.png saves a
# screenshot of the XSS fixture's payload brief.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)
step_start=$t0
step() { # step NAME: prints how long the previous step took, then NAME
  local now
  now=$(date +%s)
  if [ -n "${STEP_NAME:-}" ]; then echo "   ($STEP_NAME: $((now - step_start))s)"; fi
  STEP_NAME="$1"
  step_start=$now
  echo "-- $1"
}

step "install: chromium, java, xmllint"
apt_updated=""
apt_install() {
  # Lock::Timeout: wait for a dpkg lock a boot-time apt run may hold instead of failing at once.
  if [ -z "$apt_updated" ]; then apt-get -o DPkg::Lock::Timeout=300 update -qq; apt_updated=1; fi
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  # fonts-liberation: metric-compatible Arial/Times/Courier (a Recommends of chromium), so pages
  # render and contrast-check the same on every machine.
  apt_install chromium fonts-liberation
fi
if ! java -version >/dev/null 2>&1; then
  echo "installing a headless Java runtime"
  apt_install default-jre-headless
fi
if ! command -v xmllint >/dev/null 2>&1; then
  echo "installing xmllint"
  apt_install libxml2-utils
fi

step "install: npm ci"
# --ignore-scripts: vnu-jar's postinstall would try to download a JRE from outside the npm
# registry; the machine's Java runs vnu.jar instead.
(cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

step "build the example site"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/briefing-browser.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
SITE_DIR="$TMP/site/caucasus-brief"
SITE_URL="http://127.0.0.1:$PORT/caucasus-brief/"
XSS_DIR="$TMP/site/xss"
XSS_URL="http://127.0.0.1:$PORT/xss/"

BIN="${BRIEFING_BIN:-target/debug/briefing}"
# The debug binary `cargo test` leaves behind, unless the sources changed after it was built.
if [ -x "$BIN" ] && [ -z "$(find src themes Cargo.toml Cargo.lock -newer "$BIN" 2>/dev/null | head -1)" ]; then
  briefing() { "$BIN" "$@"; }
else
  briefing() { cargo run --quiet -- "$@"; }
fi
briefing build --output "$SITE_DIR" --base-url "$SITE_URL"
briefing build --root tests/fixtures/xss/site --output "$XSS_DIR" --base-url "$XSS_URL"

step "sitemap.xml against the sitemaps.org schema"
# tests/schemas/sitemap.xsd is the schema sitemaps.org publishes, kept here so nothing is fetched.
xmllint --noout --nonet --schema tests/schemas/sitemap.xsd "$SITE_DIR/sitemap.xml"

step "serve it on 127.0.0.1:$PORT"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$TMP/site" >"$TMP/http.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$SITE_URL" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$TMP/http.log"; echo "http.server died" >&2; exit 1; fi
  sleep 0.1
done
node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$SITE_URL" \
  || { cat "$TMP/http.log"; echo "http.server does not answer at $SITE_URL" >&2; exit 1; }

step "node --test"
echo "   (setup took $(($(date +%s) - t0))s; node's own duration_ms follows its summary)"
# Nothing is printed after node's summary lines, so they close this step's output. vnu.jar (Java)
# and the Chromium tests run side by side on the 2 cores.
SITE_DIR="$SITE_DIR" SITE_URL="$SITE_URL" XSS_DIR="$XSS_DIR" XSS_URL="$XSS_URL" \
  node --test --test-reporter=spec --test-concurrency=2 "$HERE"/*.test.mjs
