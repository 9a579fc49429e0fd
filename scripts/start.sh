#!/usr/bin/env bash
# The README's run command: installs what is missing, then runs the Firebase emulator suite with
# the functions (`npm run emulators`), or, on a machine without Java, the functions in-process on
# an embedded Firestore emulator (`npm run dev`); LM Studio at LLM_STUDIO_URL either way.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/use-node22.sh"
cd "$repo_root/functions"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npm run --silent emulators -- --or-dev "$@"
