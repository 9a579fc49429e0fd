#!/usr/bin/env bash
# The README's test command: installs what the tests need, then builds, lints and runs them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/use-node22.sh"
cd "$repo_root/functions"
# The browser test (functions/test/browser) drives Debian's Chromium and never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser test ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      || echo "Could not install chromium: the browser test will skip." >&2
  else
    echo "No /usr/bin/chromium (and not root to install it): the browser test will skip." >&2
  fi
  # CI runs the browser test on the official emulator with nothing skipped.
  if [ ! -x /usr/bin/chromium ] && [[ "${TEST_REQUIRE_OFFICIAL_EMULATOR:-}" =~ ^(1|true|yes)$ ]]; then
    echo "✗ TEST_REQUIRE_OFFICIAL_EMULATOR is set and Debian's chromium could not be installed." >&2
    exit 1
  fi
fi
npm ci --no-audit --no-fund
npm run build
npm run lint
npm test
