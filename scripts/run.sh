#!/usr/bin/env bash
# The main job on the embedded default: set up, ingest the bundled sample corpus (the three
# seed documents and the project's own two cascades) into the library with the central goal
# catalog, print the library's counts and the parser's scores, then open the explorer.
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
exec .venv/bin/chidao app
