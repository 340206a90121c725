#!/usr/bin/env bash
# Sets chidao up in a virtual environment (.venv) beside the code: the Python packages,
# and the Debian packages the tests need when running as root on Debian.
# Usage: bash scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

# Debian packages chidao calls: dot (diagrams), tesseract with its Vietnamese model (scans),
# antiword (.doc), DejaVu fonts (Vietnamese diacritics in diagrams and rendered scans);
# Chromium for the real-browser test (--dev only).
debs="graphviz tesseract-ocr tesseract-ocr-vie antiword fonts-dejavu-core"
[ -n "$extras" ] && debs="$debs chromium"
missing=""
for deb in $debs; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing="$missing $deb"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "note: some features need Debian packages that are not installed:$missing" >&2
    echo "      sudo apt-get install$missing" >&2
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "chidao needs Python 3.11 or newer ($python is $("$python" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    # Debian ships venv separately; install it when we may.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$python" -m venv .venv
    else
      echo "cannot create a virtual environment: install python3-venv (apt-get install python3-venv)" >&2
      exit 2
    fi
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
echo "chidao is installed in .venv ($(.venv/bin/chidao --version))"
