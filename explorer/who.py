"""The "Ai thực hiện" table: queries/who.py rows ranked so what matters comes first, and cut.

A reader wants the units a goal is given to by name first: links a document states (or a
person confirmed), then links inherited from the document above, then topical matches by
score. Within a strength, rows whose task reads as damaged text (OCR noise) or carries a
data-quality finding go below the clean ones. A task's rows (lead units, then support)
stay together. Pure: the page hands the result to st.dataframe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .labels import t, term
from .view import document_label, document_link, shown

SHOWN_ROWS = 500  # rows drawn; the full table is a download (a goal at 10k documents has ~7,600)
METHOD_RANK = {"curated": 0, "explicit": 0, "inherited": 1, "topical": 2}
ROLE_RANK = {"lead": 0, "support": 1}
# Characters administrative text is written in, besides letters, digits and spaces.
_PLAIN = set(".,;:!?()[]-–—/%'\"“”‘’…+&*•§")
_MIXED = re.compile(r"(?i)\b(?=\w*[a-zà-ỹđ])(?=\w*\d)[a-zà-ỹđ\d]{3,}\b")
_CODE_LIKE = re.compile(r"^[\dA-ZĐ]")  # 57NQ, 4G, I1: numbers and codes, not damaged words


@dataclass(frozen=True)
class WhoTable:
    rows: list[dict[str, Any]]  # people rows, at most SHOWN_ROWS
    source_rows: list[dict[str, Any]]  # the query rows behind them, same order
    total: int  # rows the question answered

    @property
    def capped(self) -> bool:
        return self.total > len(self.rows)


def looks_damaged(text: str | None) -> bool:
    """True for text that reads like OCR noise: stray symbols, or words mixing letters and digits
    ("nhiệm vụ" read as "nh1ệm vụ"). Numbers, dates and document codes are not noise."""
    if not text:
        return False
    odd = sum(1 for c in text if not (c.isalnum() or c.isspace() or c in _PLAIN))
    words = text.split()
    mixed = sum(1 for m in _MIXED.finditer(text) if not _CODE_LIKE.match(m.group()))
    return odd > max(2, len(text) * 0.02) or (bool(words) and mixed / len(words) > 0.08)


def rank(rows: Iterable[Mapping[str, Any]], doubtful: Callable[[Mapping[str, Any]], bool]) -> list[Mapping[str, Any]]:
    """Rows by link strength (explicit or curated, inherited, topical), clean before doubtful,
    higher score first, newest document first; a task's rows together, lead before support."""

    doubt: dict[Any, bool] = {}  # per task: a task has a row per unit and goal served

    def order(row: Mapping[str, Any]) -> tuple[Any, ...]:
        task = row.get("task_key")
        if task not in doubt:
            doubt[task] = doubtful(row)
        return (
            METHOD_RANK.get(row.get("method") or "", len(METHOD_RANK)),
            doubt[task],
            -(row.get("score") or 0.0),
            -_day_number(row.get("doc_date")),
            row.get("doc_key") or "",
            task or "",
            row.get("served_goal") or "",
            ROLE_RANK.get(row.get("role") or "", len(ROLE_RANK)),
            row.get("organization") or "",
        )

    return sorted(rows, key=order)


def _day_number(value: Any) -> int:
    """2025-06-30 → 20250630, 2025-06 → 20250600, 2025 → 20250000; undated → 0 (sorts last
    when negated)."""
    digits = str(value or "").replace("-", "")
    return int(digits.ljust(8, "0")) if digits.isdigit() and len(digits) <= 8 else 0


def due_value(value: Any) -> date | None:
    """2026-01-23 → a date for a DateColumn; a month or a year alone → None (no day to show)."""
    try:
        return date.fromisoformat(str(value)) if value and len(str(value)) == 10 else None
    except ValueError:
        return None


COLUMNS = ("organization", "role", "due", "task_text", "doc_ref", "method", "evidence", "served_goal")


def who_table(
    rows: Sequence[Mapping[str, Any]],
    documents: Callable[[str], Mapping[str, Any] | None],
    doubtful: Callable[[Mapping[str, Any]], bool],
    lang: str,
    *,
    limit: int = SHOWN_ROWS,
) -> WhoTable:
    """The ranked rows, the first `limit` as people read them: the document by its human label
    (`documents(doc key)` gives its node), the due date as a date, vocabulary as words."""
    ranked = rank(rows, doubtful)[:limit]
    names = {k: t(f"columns.{k}", lang) for k in COLUMNS}
    labels: dict[str, str] = {}
    out = []
    for row in ranked:
        doc_key = row.get("doc_key") or ""
        if doc_key not in labels:
            labels[doc_key] = document_label(documents(doc_key), lang)
        item = {
            names["organization"]: row.get("organization") or term("roles", "none", lang),
            names["role"]: shown(row.get("role"), "role", lang),
            names["due"]: due_value(row.get("due")),
            names["task_text"]: row.get("task_text") or "",
            names["doc_ref"]: labels[doc_key],
            names["method"]: shown(row.get("method"), "method", lang),
            names["evidence"]: shown(row.get("evidence"), "evidence", lang),
            names["served_goal"]: row.get("served_goal") or "",
            t("columns.source", lang): document_link(row.get("doc_key"), row.get("task_key")),
        }
        out.append(item)
    return WhoTable(out, [dict(r) for r in ranked], len(rows))


def column_config(lang: str) -> dict[str, Any]:
    """Widths that let a unit's name and the date be read whole; the task text takes the rest."""
    import streamlit as st

    def name(key: str) -> str:
        return t(f"columns.{key}", lang)

    # Pixels, not "small/medium/large": the unit, role, date and task (what a reader scans) fit a
    # laptop's width whole; the document and the link's evidence follow, scrolled to if wanted.
    return {
        name("organization"): st.column_config.TextColumn(name("organization"), width=320),
        name("role"): st.column_config.TextColumn(name("role"), width=80),
        name("due"): st.column_config.DateColumn(name("due"), format="DD/MM/YYYY", width=100),
        name("task_text"): st.column_config.TextColumn(name("task_text"), width=320),
        name("doc_ref"): st.column_config.TextColumn(name("doc_ref"), width=230),
        name("method"): st.column_config.TextColumn(name("method"), width=150),
        name("evidence"): st.column_config.TextColumn(name("evidence"), width=220),
        name("served_goal"): st.column_config.TextColumn(name("served_goal"), width=110),
    }


def count_text(n: int, lang: str) -> str:
    """7606 → "7.606" in Vietnamese, "7,606" in English."""
    return f"{n:,}".replace(",", ".") if lang == "vi" else f"{n:,}"
