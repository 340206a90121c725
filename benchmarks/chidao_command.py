"""The `chidao` a benchmark runs: the one installed beside the interpreter running the
benchmark (the project's .venv), not whichever `chidao` comes first on PATH: an older
install there would be measured instead, or fail on modules it does not know."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path


def chidao_command() -> str:
    beside = Path(sys.executable).with_name("chidao")
    return str(beside) if beside.exists() else (shutil.which("chidao") or "chidao")
