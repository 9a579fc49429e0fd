#!/usr/bin/env bash
# The README's test command: installs what the tests need, then builds, lints and runs them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/use-node22.sh"
cd "$repo_root/functions"
npm ci --no-audit --no-fund
npm run build
npm run lint
npm test
