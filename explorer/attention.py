"""What needs attention, as of a day: per goal of a central document and per unit.

Pure functions over the embedded store (graph/store_embedded.py); the day is given, no
clock is read. A task is "overdue" when it was due before the day, "due" when it falls
due within `within` days from it (both included, as queries/due.py counts), "later" past
that, "none" without a due date. The graph knows no completion, so overdue means due
before the day, as in `chidao due --overdue`.

Ranking puts what needs attention first: most overdue, then most due soon, then most
tasks; ties by the goal's catalogue order or the unit's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from graph.model import LEAD, SETS, SUPPORT
from graph.store_embedded import EmbeddedStore, due_date
from queries.targets import documents, goal_subtree

from .view import shorten

STATUSES = ("overdue", "due", "later", "none")
CENTRAL_REF = "57-NQ/TW"
OVERVIEW_KINDS = ("solution_group", "target")
GOAL_KEYS = (
    "goal",
    "goal_title",
    "goal_kind",
    "documents",
    "tasks",
    "units",
    "overdue",
    "due_soon",
    "no_deadline",
    "next_due",
)
UNIT_KEYS = (
    "unit",
    "unit_key",
    "province",
    "level",
    "tasks",
    "lead",
    "support",
    "documents",
    "overdue",
    "due_soon",
    "no_deadline",
    "next_due",
)


def task_status(task: Mapping[str, Any], as_of: date, within: int) -> str:
    """One of STATUSES for a task node's properties."""
    when = due_date(task)
    if when is None:
        return "none"
    day = date.fromisoformat(when[0])
    if day < as_of:
        return "overdue"
    return "due" if day <= as_of + timedelta(days=within) else "later"


def natural_key(text: str) -> tuple[Any, ...]:
    """ "57.SOL.2" before "57.SOL.10": digit runs compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part
    )


def goals_of(
    store: EmbeddedStore, ref: str = CENTRAL_REF, kinds: Iterable[str] = OVERVIEW_KINDS
) -> list[str]:
    """The goals a central document sets, of the kinds asked, in catalogue order."""
    wanted = set(kinds)
    keys = {
        g
        for doc in documents(store, ref)
        for g, _ in store.out(doc, SETS)
        if not wanted or store.node(g).get("kind") in wanted
    }
    return sorted(keys, key=natural_key)


def tasks_serving(store: EmbeddedStore, goal: str) -> list[str]:
    """Tasks serving the goal or a goal PART_OF it, at any depth, each once."""
    seen: dict[str, None] = {}
    for served, _path in goal_subtree(store, goal):
        for task, _link in store.served_by.get(served, ()):
            seen.setdefault(task, None)
    return list(seen)


def _units_of(store: EmbeddedStore, task: str) -> set[str]:
    return {
        org
        for rel in (LEAD, SUPPORT)
        for org, _ in store.out(task, rel)
        if not store.node(org).get("is_generic")
    }


def _counts(store: EmbeddedStore, tasks: Iterable[str], as_of: date, within: int) -> dict[str, Any]:
    counted = dict.fromkeys(STATUSES, 0)
    upcoming: list[str] = []
    for task in tasks:
        props = store.node(task)
        status = task_status(props, as_of, within)
        counted[status] += 1
        when = due_date(props)
        if when and status in ("due", "later"):
            upcoming.append(when[0])
    return {
        "overdue": counted["overdue"],
        "due_soon": counted["due"],
        "no_deadline": counted["none"],
        "next_due": min(upcoming) if upcoming else None,
    }


def _rank(row: Mapping[str, Any]) -> tuple[int, int, int]:
    return (-row["overdue"], -row["due_soon"], -row["tasks"])


def goal_attention(
    store: EmbeddedStore,
    as_of: date,
    within: int = 30,
    *,
    ref: str = CENTRAL_REF,
    kinds: Iterable[str] = OVERVIEW_KINDS,
) -> list[dict[str, Any]]:
    """One row per goal the document sets (GOAL_KEYS), what needs attention first."""
    rows = []
    for goal in goals_of(store, ref, kinds):
        tasks = tasks_serving(store, goal)
        node = store.node(goal)
        rows.append(
            {
                "goal": goal,
                "goal_title": node.get("title"),
                "goal_kind": node.get("kind"),
                "documents": len({store.node(t)["doc_key"] for t in tasks}),
                "tasks": len(tasks),
                "units": len(set().union(*(_units_of(store, t) for t in tasks))) if tasks else 0,
                **_counts(store, tasks, as_of, within),
            }
        )
    order = {row["goal"]: i for i, row in enumerate(rows)}
    return sorted(rows, key=lambda r: (*_rank(r), order[r["goal"]]))


def unit_attention(
    store: EmbeddedStore, as_of: date, within: int = 30, *, include_generic: bool = False
) -> list[dict[str, Any]]:
    """One row per organisation with work (UNIT_KEYS), what needs attention first.

    Generic bodies ("các đơn vị có liên quan") are left out unless asked for: they name no
    one who could be called about the work.
    """
    rows = []
    for org in store.by_label["Organization"]:
        props = store.node(org)
        if props.get("is_generic") and not include_generic:
            continue
        lead = [t for t, _ in store.into(org, LEAD)]
        support = [t for t, _ in store.into(org, SUPPORT)]
        tasks = list(dict.fromkeys(lead + support))
        if not tasks:
            continue
        rows.append(
            {
                "unit": props["name"],
                "unit_key": org,
                "province": props.get("province"),
                "level": props.get("level"),
                "tasks": len(tasks),
                "lead": len(lead),
                "support": len(support),
                "documents": len({store.node(t)["doc_key"] for t in tasks}),
                **_counts(store, tasks, as_of, within),
            }
        )
    return sorted(rows, key=lambda r: (*_rank(r), r["unit"].casefold(), r["unit_key"]))


def unit_load(rows: Iterable[Mapping[str, Any]], top: int = 20) -> list[dict[str, Any]]:
    """The first `top` units' tasks split by status, long form for a stacked bar chart:
    {unit, status, tasks}, statuses in STATUSES order."""
    out = []
    for row in list(rows)[:top]:
        later = row["tasks"] - row["overdue"] - row["due_soon"] - row["no_deadline"]
        for status, count in (
            ("overdue", row["overdue"]),
            ("due", row["due_soon"]),
            ("later", later),
            ("none", row["no_deadline"]),
        ):
            if count:
                out.append({"unit": row["unit"], "status": status, "tasks": count})
    return out


def timeline(due_rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """queries/due.py rows → one point per task and lead unit for a timeline chart:
    {due, days, status, unit, document, task, task_key, doc_key}. A task no unit leads is
    drawn on its document's row."""
    out = []
    for row in due_rows:
        document = row.get("doc_ref") or row.get("doc_issuer") or row.get("doc_key")
        for unit in row.get("leads") or [None]:
            out.append(
                {
                    "due": row["due"],
                    "days": row["days"],
                    "status": row["status"],
                    "unit": unit or document,
                    "document": document,
                    "task": f"{row['task_id']}. {shorten(row['text'], 120)}",
                    "task_key": row["task_key"],
                    "doc_key": row["doc_key"],
                }
            )
    return out


def busiest_units(points: Iterable[Mapping[str, Any]], limit: int) -> tuple[list[str], int]:
    """The `limit` units of timeline() points with the most overdue tasks, then the most due
    ones (then by name), and how many units were left out."""
    overdue: dict[str, int] = {}
    due: dict[str, int] = {}
    for point in points:
        counts = overdue if point["status"] == "overdue" else due
        counts[point["unit"]] = counts.get(point["unit"], 0) + 1
        (due if counts is overdue else overdue).setdefault(point["unit"], 0)
    ranked = sorted(overdue, key=lambda u: (-overdue[u], -due[u], u))
    return ranked[:limit], max(0, len(ranked) - limit)
