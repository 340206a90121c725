"""What one organisation must do, by deadline.

    run(store, name="Sở Khoa học và Công nghệ tỉnh Lạng Sơn")
    run(store, name="so khoa hoc va cong nghe")   # diacritics and case do not matter

The name resolves diacritic-insensitively: an organisation whose name or alias folds to
it exactly, else every organisation whose folded name contains it (so "Sở Nội vụ" finds
the Sở Nội vụ of every province). One row per organisation × task × role.

Result keys:
    organization, organization_key, province
    role            "lead" | "support"
    implicit        True when the lead is implicit (the letter's recipients)
    task_key, task_id, text
    due, due_basis  the date the task is due by ("deadline" or "period_end"), or None
    deadline_text, is_recurring
    doc_key, doc_ref, doc_issuer, doc_level, doc_date
    goals           ids of the goals the task serves, sorted

Sorted by due (None last), organisation, role (lead first), doc_ref, task_key.
"""
from __future__ import annotations

from typing import Any

from graph.model import LEAD, SERVES, SUPPORT
from graph.store_embedded import EmbeddedStore, due_date

from .targets import QueryError, doc_summary

KEYS = ("organization", "organization_key", "province", "role", "implicit", "task_key", "task_id", "text", "due",
        "due_basis", "deadline_text", "is_recurring", "doc_key", "doc_ref", "doc_issuer", "doc_level", "doc_date",
        "goals")


def run(store: EmbeddedStore, name: str, *, role: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    orgs = store.find_organizations(name)
    if not orgs:
        raise QueryError(f"'{name}': no organisation by that name (try `chidao search`)")
    rows = []
    for org in orgs:
        props = store.node(org)
        for rel, role_name in ((LEAD, "lead"), (SUPPORT, "support")):
            if role and role != role_name:
                continue
            for task, edge in store.into(org, rel):
                t = store.node(task)
                when = due_date(t)
                rows.append({
                    "organization": props["name"], "organization_key": org, "province": props.get("province"),
                    "role": role_name, "implicit": bool(edge.get("implicit", False)), "task_key": task,
                    "task_id": t["task_id"], "text": t["text"], "due": when[0] if when else None,
                    "due_basis": when[1] if when else None, "deadline_text": t.get("deadline_text"),
                    "is_recurring": bool(t.get("is_recurring")), **doc_summary(store, t["doc_key"]),
                    "goals": sorted(g for g, _ in store.out(task, SERVES))})
    rows.sort(key=lambda r: (r["due"] is None, r["due"] or "", r["organization"], r["role"] != "lead",
                             r["doc_ref"] or "", r["task_key"]))
    return rows[:limit] if limit is not None else rows
