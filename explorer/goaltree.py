"""The goal tree, and a goal's cascade grouped into the four tiers a reader expects.

Tiers, top to bottom: central; ministries and provinces; departments and districts;
communes (graph/model.py LEVELS, two by two where they sit side by side in practice).
Pure functions over the embedded store and queries/cascade.py rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import LEVELS, PART_OF, SETS
from graph.store_embedded import EmbeddedStore
from queries.targets import documents

from .attention import CENTRAL_REF, natural_key, tasks_serving

TIERS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("central", ("central",)),
    ("upper", ("ministry", "province")),
    ("middle", ("department", "district")),
    ("commune", ("commune",)),
    ("unknown", (None,)),
)
# The order a resolution states its goals in: viewpoints, targets, vision, solutions, implementation.
_KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        ("viewpoint", "target", "vision", "solution_group", "solution", "implementation")
    )
}
_TIER_OF = {level: name for name, levels in TIERS for level in levels}


def tier_of(level: str | None) -> str:
    return _TIER_OF.get(level, "unknown")


@dataclass(frozen=True, slots=True)
class TreeGoal:
    key: str
    title: str
    kind: str
    depth: int
    tasks: int  # tasks serving it or a goal below it


def goal_tree(store: EmbeddedStore, first_ref: str = CENTRAL_REF) -> list[TreeGoal]:
    """Every goal, depth first under its parent (PART_OF), children in catalogue order.

    Roots are goals with no parent: those `first_ref` sets come first, then the others by key.
    """
    first = {g for doc in documents(store, first_ref) for g, _ in store.out(doc, SETS)}
    goals = store.by_label["Goal"]
    roots = [g for g in goals if not any(True for _ in store.out(g, PART_OF))]
    roots.sort(
        key=lambda g: (
            g not in first,
            _KIND_ORDER.get(store.node(g).get("kind"), len(_KIND_ORDER)),
            natural_key(g),
        )
    )
    out: list[TreeGoal] = []
    seen: set[str] = set()
    stack = [(g, 0) for g in reversed(roots)]
    while stack:
        key, depth = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        node = store.node(key)
        out.append(
            TreeGoal(
                key, node.get("title") or key, node.get("kind") or "", depth, len(tasks_serving(store, key))
            )
        )
        children = sorted((c for c, _ in store.into(key, PART_OF)), key=natural_key)
        stack += [(c, depth + 1) for c in reversed(children)]
    return out


@dataclass
class TierBlock:
    tier: str
    documents: list[dict[str, Any]] = field(default_factory=list)  # cascade document rows
    tasks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # doc key → its task rows
    more: dict[str, int] = field(default_factory=dict)  # doc key → tasks left out; "" → documents left out

    @property
    def task_count(self) -> int:
        return sum(len(v) for v in self.tasks.values()) + sum(n for k, n in self.more.items() if k)


def cascade_tiers(rows: Iterable[Mapping[str, Any]]) -> list[TierBlock]:
    """queries/cascade.py rows below a goal → one block per tier that has documents, in tier
    order; a task row listed once per goal it serves is kept once."""
    blocks = {name: TierBlock(name) for name, _ in TIERS}
    doc_tier: dict[str, str] = {}
    for row in rows:
        if row["row"] == "document":
            tier = tier_of(row["level"])
            doc_tier[row["key"]] = tier
            blocks[tier].documents.append(dict(row))
        elif row["row"] == "task":
            tier = doc_tier.get(row["parent"], tier_of(row["level"]))
            listed = blocks[tier].tasks.setdefault(row["parent"], [])
            if all(t["key"] != row["key"] for t in listed):
                listed.append(dict(row))
        elif row["row"] == "more":
            if row["key"] in doc_tier:
                blocks[doc_tier[row["key"]]].more[row["key"]] = row["more"]
            else:  # documents of a level cut: the row sits on the goal, one below the level's rank
                rank = (row.get("depth") or 0) - 1
                tier = tier_of(LEVELS[rank] if 0 <= rank < len(LEVELS) else None)
                blocks[tier].more[""] = blocks[tier].more.get("", 0) + row["more"]
    return [blocks[name] for name, _ in TIERS if blocks[name].documents or blocks[name].more]
