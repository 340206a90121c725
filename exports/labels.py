"""The Vietnamese words of the exports, read once from labels.yaml (the only reader of it).

    label("levels", "province")            -> "Cấp tỉnh"
    caption("more", n=25)                  -> "còn 25 mục nữa"

The file is checked when it is loaded: every code the exports use must have its words,
so a missing one fails at import of the first export, naming the file and the key,
rather than as an English code on a user's diagram.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from graph.model import LEVELS, LINK_METHODS, RELATIONS

from . import ExportError

LABELS_FILE = Path(__file__).with_name("labels.yaml")

REQUIRED: dict[str, tuple[str, ...]] = {
    "columns": ("organization", "role", "task_text", "due", "doc_ref", "doc_issuer", "method", "evidence"),
    "roles": ("lead", "lead_implicit", "support"),
    "methods": LINK_METHODS,
    "relations": (*RELATIONS, "has_task", "lead", "support", "more"),
    "levels": (*LEVELS, "unknown"),
    "captions": ("more", "level_group", "unit_group", "serves", "task_due", "title_goal", "title_document", "legend",
                 "all_tasks_sheet", "tasks_sheet"),
}


@cache
def labels() -> dict[str, dict[str, str]]:
    """Every section of labels.yaml, checked; shared, so never changed by callers."""
    try:
        data: Any = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExportError(f"{LABELS_FILE}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ExportError(f"{LABELS_FILE}: expected sections {', '.join(REQUIRED)}")
    for section, keys in REQUIRED.items():
        table = data.get(section)
        if not isinstance(table, dict):
            raise ExportError(f"{LABELS_FILE}: section '{section}' is missing")
        missing = [k for k in keys if k not in table]
        if missing:
            raise ExportError(f"{LABELS_FILE}: '{section}' has no words for {', '.join(missing)}")
        bad = [k for k, v in table.items() if not isinstance(v, str)]
        if bad:
            raise ExportError(f"{LABELS_FILE}: '{section}.{bad[0]}' must be text")
    return data


def label(section: str, code: str | None, default: str | None = None) -> str:
    """The words for `code` in `section`; `default` (else the code itself) when it has none."""
    table = labels()[section]
    if code in table:
        return table[code]
    return default if default is not None else (code or "")


def caption(key: str, /, **values: Any) -> str:
    return labels()["captions"][key].format(**values)


def level_name(level: str | None) -> str:
    return label("levels", level or "unknown", labels()["levels"]["unknown"])


def vn_date(iso: str | None) -> str:
    """An ISO date as Vietnamese documents print it: 2025-02-28 → 28/02/2025, 2026-01 → 01/2026."""
    if not iso:
        return ""
    parts = str(iso).split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else str(iso)
