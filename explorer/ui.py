"""The few Streamlit pieces every page uses: the language, the snapshot or a clear notice,
tables with a link to each row's source, a picker that opens a row's document, downloads.

Widgets are keyed by the page's name (STYLE.md §8); the shared keys are app.py's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from . import data
from .labels import t
from .view import LINK

DOCUMENTS_PAGE = "app_pages/documents.py"
GOALS_PAGE = "app_pages/goals.py"


def lang() -> str:
    return st.session_state.get("lang", "vi")


def require_snapshot() -> data.Snapshot:
    """The library's snapshot; on a missing or empty library, a notice and the page stops."""
    snap = data.snapshot()
    if snap is None:
        st.info(t("app.no_library", lang(), path=str(data.library_file())))
        st.stop()
    if not snap.records and not snap.stats.get("documents"):
        st.info(t("app.empty_library", lang()))
        st.stop()
    return snap


def show_table(
    rows: Sequence[Mapping[str, Any]],
    key: str,
    *,
    height: int | str = "auto",
    targets: Sequence[tuple[str, str | None] | None] | None = None,
    on_pick: Callable[[int], None] | None = None,
    column_config: Mapping[str, Any] | None = None,
) -> None:
    """A dataframe of people_rows(); its source column is a link that opens the document.

    With `targets` (the (document key, task key) of each row), selecting a row opens it too;
    with `on_pick`, selecting row i calls on_pick(i) instead. `column_config`: column name →
    st.column_config (widths, date formats).
    """
    if not rows:
        st.caption(t("app.nothing", lang()))
        return
    source = t(f"columns.{LINK}", lang())
    config = (
        {source: st.column_config.LinkColumn(source, display_text=t("app.open", lang()))}
        if source in rows[0]
        else {}
    )
    config.update(column_config or {})
    event = st.dataframe(
        list(rows),
        key=key,
        hide_index=True,
        column_config=config,
        height=height,
        placeholder="",  # a missing value (no deadline) is an empty cell, not the word "None"
        on_select="rerun",
        selection_mode="single-row",
    )
    chosen = list(event.selection.rows) if event else []
    if not chosen or chosen[0] >= len(rows):
        return
    if on_pick is not None:
        on_pick(chosen[0])
    elif targets and chosen[0] < len(targets) and targets[chosen[0]]:
        open_document(*targets[chosen[0]])  # type: ignore[misc]


def open_document(doc_key: str, task_key: str | None = None) -> None:
    st.session_state["selected_doc"] = doc_key
    st.session_state["selected_task"] = task_key
    st.switch_page(DOCUMENTS_PAGE)


def source_picker(
    rows: Sequence[Mapping[str, Any]], key: str, label: Callable[[Mapping[str, Any]], str]
) -> None:
    """A chooser of the rows' documents (and tasks) and a button that opens the one chosen:
    the same as the table's links, for keyboards and for sessions that should stay in one tab."""
    targets: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        if row.get("doc_key"):
            targets.setdefault(label(row), (row["doc_key"], row.get("task_key")))
    if not targets:
        return
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        t("app.open_source", lang()),
        list(targets),
        index=None,
        key=f"{key}_pick",
        placeholder=t("app.open_source", lang()),
    )
    if right.button(t("app.open", lang()), key=f"{key}_open", disabled=chosen is None) and chosen:
        open_document(*targets[chosen])


def row_downloads(
    rows: Sequence[Mapping[str, Any]] | Callable[[], Sequence[Mapping[str, Any]]],
    columns: Mapping[str, str],
    key: str,
    name: str,
) -> None:
    """CSV and XLSX of task-like rows (row key → column name), made when clicked; `rows` may be
    a function giving them, called then."""
    from exports.tables import to_csv, to_xlsx

    def materialised() -> list[dict[str, Any]]:
        return [dict(r) for r in (rows() if callable(rows) else rows)]

    left, right = st.columns(2)
    left.download_button(
        t("app.download_as", lang(), fmt="CSV"),
        data=lambda: to_csv(materialised(), columns),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        t("app.download_as", lang(), fmt="XLSX"),
        data=lambda: to_xlsx({name[:31]: materialised()}, columns),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def task_downloads(snap: data.Snapshot, target: str, key: str, name: str) -> None:
    """CSV and XLSX of the tasks implementing a goal or document (exports/tables.py)."""
    from exports.tables import TASK_COLUMNS, task_table

    # Made when a button is clicked, not on every rerun: a goal at 10k documents has thousands.
    row_downloads(lambda: task_table(snap.store, target), TASK_COLUMNS, key, name)


def cascade_downloads(graph: Any, key: str, name: str) -> None:
    """One button per cascade format (exports/formats.py), each rendered when clicked."""
    from exports.formats import CASCADE_FORMATS, MEDIA_TYPES, SUFFIXES, render_cascade

    st.caption(t("app.downloads", lang()))
    buttons = st.columns(len(CASCADE_FORMATS))
    for column, fmt in zip(buttons, CASCADE_FORMATS, strict=True):
        column.download_button(
            fmt.upper(),
            data=lambda fmt=fmt: render_cascade(graph, fmt),
            file_name=f"{name}{SUFFIXES[fmt]}",
            mime=MEDIA_TYPES[fmt],
            key=f"{key}_{fmt}",
            on_click="ignore",
        )


def safe_name(text: str) -> str:
    """A file name from a goal id or ref: 57.SOL.1 → 57.SOL.1, 591-CV/TU → 591-CV_TU."""
    return "".join(c if c.isalnum() or c in ".-_" else "_" for c in text)[:80] or "chidao"
