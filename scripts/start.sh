#!/usr/bin/env bash
# The README's run command: installs what is missing, then runs the suggestion function locally
# (`npm run dev`) against an embedded Firestore emulator and LM Studio at LLM_STUDIO_URL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/use-node22.sh"
cd "$repo_root/functions"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npm run --silent dev -- "$@"
