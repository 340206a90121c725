#!/usr/bin/env bash
# The main job on the embedded default: set up, then parse the bundled sample corpus
# (the three seed documents and the project's own cascades) and print what was found.
# Usage: bash scripts/run.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=${1:-out/parsed}
.venv/bin/chidao parse corpus/seeds corpus/sample --out "$out"
echo
.venv/bin/chidao eval --pred "$out" --gold corpus/gold/seeds --gold corpus/gold/sample
