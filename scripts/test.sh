#!/usr/bin/env bash
# Sets up and runs every test: `bash scripts/test.sh` (extra arguments go to pytest).
# .ci/run calls exactly this. Tests that need Java and Maven (a real Neo4j server) start it
# themselves; under CI=true a test that cannot run fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
exec .venv/bin/python -m pytest -q "$@"
