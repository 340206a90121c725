"""chidao's exceptions; every error the project raises on purpose derives from ChidaoError."""
from __future__ import annotations


class ChidaoError(Exception):
    """Root of chidao's errors."""


class UnreadableSource(ChidaoError):
    """A source file whose bytes cannot be turned into text; `reason` says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnreadableJSON(ChidaoError):
    """A gold or predicted record file that cannot be loaded; `reason` says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
