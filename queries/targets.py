"""What a user names when they ask a question: a goal id, a ref, a document key or source
path, a task key; resolved against one store. Shared by the query modules."""
from __future__ import annotations

from datetime import date
from typing import Any

from graph.model import DOCUMENT, GOAL, LEVELS, PART_OF, SETS, TASK
from graph.store_embedded import EmbeddedStore
from ingest.errors import ChidaoError


class QueryError(ChidaoError):
    """A question that names nothing in the graph; the message says what was looked for."""


def goal_key(store: EmbeddedStore, text: str) -> str | None:
    """A goal id as typed: exact, else case-insensitive ("57.sol.5")."""
    if store.label(text) == GOAL:
        return text
    wanted = text.strip().upper()
    for key in store.by_label[GOAL]:
        if key.upper() == wanted:
            return key
    return None


def documents(store: EmbeddedStore, text: str) -> list[str]:
    return [k for k in store.find_documents(text.strip()) if store.label(k) == DOCUMENT]


def task_key(store: EmbeddedStore, text: str) -> str | None:
    return text if store.label(text) == TASK else None


def top_goals_set_by(store: EmbeddedStore, doc_key: str) -> list[str]:
    """The goals a document sets that no other goal it sets contains."""
    own = {g for g, _ in store.out(doc_key, SETS)}
    return sorted(g for g in own if not any(p in own for p, _ in store.out(g, PART_OF)))


def goal_subtree(store: EmbeddedStore, goal: str) -> list[tuple[str, list[str]]]:
    """(goal, path from `goal` down to it) for the goal and every goal PART_OF it, breadth first."""
    out = [(goal, [goal])]
    seen = {goal}
    i = 0
    while i < len(out):
        current, path = out[i]
        for child in store.parts_below.get(current, ()):  # PART_OF sources, by key, as into() gives them
            if child not in seen:
                seen.add(child)
                out.append((child, [*path, child]))
        i += 1
    return out


def level_rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def as_iso(day: date | str) -> str:
    if isinstance(day, date):
        return day.isoformat()
    try:
        return date.fromisoformat(str(day)).isoformat()
    except ValueError as exc:
        raise QueryError(f"'{day}' is not a date (YYYY-MM-DD)") from exc


def doc_summary(store: EmbeddedStore, doc_key: str) -> dict[str, Any]:
    """doc_key, doc_ref, doc_issuer, doc_level, doc_date: the document columns of a task row."""
    doc = store.node(doc_key) or {}
    return {"doc_key": doc_key, "doc_ref": doc.get("ref"), "doc_issuer": doc.get("issuer"),
            "doc_level": doc.get("level"), "doc_date": doc.get("date")}
