"""Task tables: who must do what by when, as rows, CSV and XLSX.

    rows = task_table(store, "57.SOL.1")           # a goal, or a central document's ref
    rows = task_table(store, "95/KH-UBND")         # any other document: its own tasks
    to_csv(rows)                                    # bytes, UTF-8 with a BOM
    to_xlsx({"57.SOL.1": rows})                     # bytes, one sheet per view

A row is one task × organisation × role (a task with nobody named gives one row), with
the keys of TASK_COLUMNS plus `goal` (the goal asked about, for splitting into sheets),
`task_key`, `doc_key` and `organization_key`. For a goal or a central document the rows
are queries/who.py's; for another document they are its tasks, each with the goals it
serves. Values are ready to show: roles and link methods in Vietnamese, dates as
datetime.date where the day is known (a month or a year stays text: "2026-01").
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from graph.model import LEAD, SERVES, SUPPORT
from graph.store_embedded import EmbeddedStore, due_date
from queries import who
from queries.targets import QueryError, documents, goal_key, top_goals_set_by

from .labels import caption, label, labels

TASK_COLUMNS: dict[str, str] = dict(labels()["columns"])
DATE_FORMAT = "dd/mm/yyyy"  # as Vietnamese documents write dates
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31  # Excel refuses longer names
_WIDEST = 60  # characters; longer text wraps inside the cell


def task_table(store: EmbeddedStore, target: str) -> list[dict[str, Any]]:
    goal = goal_key(store, target)
    docs = [] if goal else documents(store, target)
    if not goal and not docs:
        raise QueryError(f"'{target}': no goal id, nor document ref, key or path, by that name")
    if goal or any(top_goals_set_by(store, d) for d in docs):
        return [_from_who(store, row) for row in who.run(store, target=target)]
    return [row for doc in docs for task in store.tasks_of.get(doc, ()) for row in _task_rows(store, task)]


def task_sheets(store: EmbeddedStore, target: str) -> dict[str, list[dict[str, Any]]]:
    """The views an XLSX of `target` holds: every row, then one sheet per goal when there are several."""
    rows = task_table(store, target)
    by_goal: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_goal.setdefault(row["goal"] or "", []).append(row)
    if len(by_goal) > 1:
        return {caption("all_tasks_sheet"): rows, **by_goal}
    only = next(iter(by_goal), "") or (rows[0]["doc_ref"] if rows else "")
    return {only or caption("tasks_sheet"): rows}


def _as_date(value: Any) -> date | str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)  # "2026-01", "2026": the document gives no day


def _role(role: str | None, implicit: bool) -> str:
    if role is None:
        return ""
    return label("roles", "lead_implicit" if role == "lead" and implicit else role)


def _doc_label(doc: Mapping[str, Any]) -> str:
    """A document as the cascade names it: its ref, else its title or the start of its subject."""
    return doc.get("ref") or doc.get("title") or (doc.get("subject") or "")[:80]


def _from_who(store: EmbeddedStore, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "goal": row["goal"], "served_goal": row["served_goal"], "organization": row["organization"] or "",
        "role": _role(row["role"], row["implicit"]), "task_id": row["task_id"], "task_text": row["task_text"],
        "due": _as_date(row["due"]), "deadline_text": row["deadline_text"] or "",
        "doc_ref": row["doc_ref"] or _doc_label(store.node(row["doc_key"]) or {}),
        "doc_date": _as_date(row["doc_date"]), "doc_issuer": row["doc_issuer"] or "",
        "method": label("methods", row["method"]), "evidence": "; ".join(row["evidence"]),
        "task_key": row["task_key"], "doc_key": row["doc_key"], "organization_key": row["organization_key"],
    }


def _task_rows(store: EmbeddedStore, task: str) -> list[dict[str, Any]]:
    props = store.node(task) or {}
    doc = store.node(props["doc_key"]) or {}
    links = list(store.out(task, SERVES))
    when = due_date(props)
    base = {
        "goal": None, "served_goal": "; ".join(g for g, _ in links), "task_id": props.get("task_id"),
        "task_text": props.get("text", ""), "due": _as_date(when[0] if when else None),
        "deadline_text": props.get("deadline_text") or "",
        "doc_ref": _doc_label(doc),
        "doc_date": _as_date(doc.get("date")), "doc_issuer": doc.get("issuer") or "",
        "method": "; ".join(dict.fromkeys(label("methods", link.get("method")) for _, link in links)),
        "evidence": "; ".join(f"{g}: {', '.join(link.get('evidence') or ())}" for g, link in links),
        "task_key": task, "doc_key": props["doc_key"],
    }
    rows = []
    for rel, role in ((LEAD, "lead"), (SUPPORT, "support")):
        for org, edge in sorted(store.out(task, rel), key=lambda x: (store.node(x[0])["name"], x[0])):
            rows.append({**base, "organization": store.node(org)["name"], "organization_key": org,
                         "role": _role(role, bool(edge.get("implicit")))})
    return rows or [{**base, "organization": "", "organization_key": None, "role": ""}]


# -- CSV ---------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()  # ISO: every spreadsheet reads it as a date, whatever its locale
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    text = str(value)
    # A cell starting with = + - @ is run as a formula by Excel (and shows #NAME? for a
    # bullet such as "- Tổ chức…"); the apostrophe makes it text, as Excel itself does.
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str] = TASK_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns.values())
    for row in rows:
        writer.writerow(_csv_value(row.get(key)) for key in columns)
    # UTF-8 with a byte-order mark: without it Excel opens a CSV in the Windows code page
    # (1258 or 1252 on Vietnamese machines) and "Sở Nội vụ" comes out as "Sá»Ÿ Ná»™i vá»¥".
    return buffer.getvalue().encode("utf-8-sig")


# -- XLSX --------------------------------------------------------------------------------
def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts: no []:*?/\\, no apostrophe at either end, at most 31
    characters, not blank, and unlike the names already `taken` (compared as Excel does,
    ignoring case)."""
    base = _SHEET_NAME_FORBIDDEN.sub("-", name).strip().strip("'")[:_SHEET_NAME_MAX] or caption("tasks_sheet")
    candidate, number = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate, number = base[: _SHEET_NAME_MAX - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def to_xlsx(sheets: Mapping[str, Sequence[Mapping[str, Any]]], columns: Mapping[str, str] = TASK_COLUMNS) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, rows in (sheets or {caption("tasks_sheet"): []}).items():
        _write_sheet(workbook.create_sheet(sheet_name(name, taken)), rows, columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Any, rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str]) -> None:
    keys = list(columns)
    sheet.append(list(columns.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in columns.values()]
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column, key in enumerate(keys, start=1):
            value = row.get(key)
            if isinstance(value, (list, tuple)):
                value = "; ".join(map(str, value))
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
                widths[column - 1] = max(widths[column - 1], len(DATE_FORMAT))
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[column - 1] = max(widths[column - 1], min(len(value), _WIDEST))
                if len(value) > _WIDEST:
                    cell.alignment = wrap
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
