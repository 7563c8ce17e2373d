# Installs the Debian packages named as arguments when any is missing (sourced by test.sh and sparta-demo).
ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# The browser tests (tests/browser): Debian's Chromium, Node.js with npm, and the pinned
# playwright-core of tests/browser/package-lock.json, which drives that Chromium and never
# downloads a browser of its own.
ensure_browser_tests() {
  ensure_packages chromium
  # Node.js from another source (e.g. NodeSource's nodejs, which bundles npm) serves as well as Debian's.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then ensure_packages nodejs npm; fi
  (cd "$(dirname "${BASH_SOURCE[0]}")/../tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
