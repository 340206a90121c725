#!/usr/bin/env bash
# The main job on the embedded default: set up, ingest the bundled sample corpus (the three
# seed documents and the project's own two cascades) into the library with the central goal
# catalog, print the library's counts and the parser's scores, then open the explorer.
# From a terminal the explorer then stays open (Ctrl-C stops it); run by a script (stdout not
# a terminal) it is started, checked to answer, and stopped, so the command ends.
# Usage: bash scripts/run.sh [--no-app]      (library: $CHIDAO_DATA, else ~/.local/share/chidao)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/chidao ingest corpus/seeds corpus/sample
echo
.venv/bin/chidao stats
echo
.venv/bin/chidao eval corpus/seeds corpus/sample --gold corpus/gold/seeds --gold corpus/gold/sample
[ "${1:-}" = "--no-app" ] && exit 0
echo
if [ -t 1 ]; then
  exec .venv/bin/chidao app
fi
port=${CHIDAO_PORT:-8501}
.venv/bin/chidao app --headless --port "$port" &
app=$!
trap 'kill "$app" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  if .venv/bin/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=2)" 2>/dev/null; then
    echo "the explorer answers at http://127.0.0.1:$port (started and stopped: run from a terminal to keep it open)"
    exit 0
  fi
  kill -0 "$app" 2>/dev/null || break
  sleep 1
done
echo "the explorer did not start on port $port" >&2
exit 1
