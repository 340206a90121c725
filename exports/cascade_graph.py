"""What a cascade diagram draws: nodes and edges, capped and collapsed so a big cascade stays readable.

    build_cascade_graph(store, "57.SOL.1")                           # a goal
    build_cascade_graph(store, "69-CTr/TU", depth=2)                 # a document (ref, key or path)
    build_cascade_graph(store, "57.SOL.1", collapse="level")         # one node per level
    build_cascade_graph(store, "57.SOL.1", collapse="level", expand=["level:province"])

Built from the questions: queries/cascade.py gives the documents and tasks (below a
document: the documents citing it, breadth first, `depth` steps; below a goal: the
documents whose tasks serve it or a goal PART_OF it, by level), queries/who.py the
organisations leading and supporting each task of a goal. Below them, the diagram draws

    goal (or the document asked about) → documents → their tasks → the tasks' units

A goal's documents hang under the document of the cascade they cite (the nearest one
listed before them, implements or based_on), else under the goal, so the chain of
directives shows: programme → provincial plan → department letter → commune letter.
Sub-goals are not drawn; a task serving one says so in its label ("phục vụ 57.SOL.1.2").

Readability:
- Every list (the documents under a document or of one level, the tasks of a document,
  the units of a task) shows its first `max_children`; the rest become one "more" node,
  "còn N mục nữa", keyed "more:<owner>" where owner is the node whose list was cut
  ("level:province" for a goal's province documents).
- Lists are cut by row too, because per-list caps alone let a wide tree grow by a factor
  of `max_children` per step (at 10k documents, 57-NQ/TW at depth 3 drew 1,314 nodes):
  below a document at most `max_children` documents are drawn per citation step, and
  at most `max_tasks` tasks in all, the documents nearest the top first. What is cut is
  counted in its parent's "more" node.
- `collapse="level"` draws one node per level ("level:province", "Cấp tỉnh: 6 văn bản");
  `collapse="unit"` one node per issuing unit and level ("unit:province:<issuer key>",
  at most `max_children` per level). Their documents' tasks are not drawn.
- `expand` takes node keys to open one step further: a collapsed group opens (its
  documents shown, capped); a "more" key, or a document or task key, shows its list whole.
  An explorer adds the key of the node clicked and rebuilds.

Pure: a function of the store and its arguments; the same call gives the same graph.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.model import CITES, LEAD, SUPPORT
from graph.store_embedded import EmbeddedStore, due_date
from queries import cascade, who
from queries.targets import goal_key

from . import ExportError
from .labels import caption, level_name, vn_date

COLLAPSE_MODES = (None, "level", "unit")
MORE = "more:"
LEVEL = "level:"
UNIT = "unit:"
# The cascade query caps its task lists by (task, goal served) pairs; the diagram counts
# tasks, so the query runs uncapped and the lists are cut here. Below a document the
# query lists a document's tasks as store.tasks_of holds them, so it is asked for none
# and they are read from there: at 10k documents 57-NQ/TW has 39,000 task rows to skip.
_UNCAPPED = 1 << 30
_TASK_TEXT = 110  # characters of a task's text in its label


@dataclass(frozen=True, slots=True)
class DiagramNode:
    key: str
    label: str
    kind: str  # "goal" | "document" | "task" | "organization" | "more"
    level: str | None
    more: int = 0  # "more" nodes and collapsed groups: how many items they stand for
    expandable: bool = False  # putting `key` in `expand` shows more below it


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    source: str
    target: str
    relation: str  # a citation relation, or has_task, lead, support, more


@dataclass(frozen=True, slots=True)
class CascadeGraph:
    title: str
    target: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]

    def node(self, key: str) -> DiagramNode | None:
        return next((n for n in self.nodes if n.key == key), None)


@dataclass(slots=True)
class _Cascade:
    """The cascade query's rows, regrouped: documents in order, each one's tasks, parents."""
    goal: str | None
    roots: list[str]
    docs: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    relation: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, list[str]] = field(default_factory=dict)
    served: dict[str, list[str]] = field(default_factory=dict)


def build_cascade_graph(store: EmbeddedStore, target: str, *, depth: int = 3, max_children: int = 12,
                        collapse: str | None = None, expand: Sequence[str] = (),
                        max_tasks: int | None = 60) -> CascadeGraph:
    """`max_tasks`: task nodes in the whole diagram (None: no bound); a list opened by
    `expand` is drawn whole regardless of both bounds."""
    if collapse not in COLLAPSE_MODES:
        raise ExportError(f"collapse '{collapse}': use level or unit (or none)")
    if max_children < 1:
        raise ExportError(f"max_children {max_children}: at least 1 item of each list is shown")
    task_rows = _UNCAPPED if goal_key(store, target) else 0
    rows = cascade.run(store, target=target, depth=depth, max_children=_UNCAPPED, max_tasks=task_rows)
    found = _regroup(store, rows)
    return _Drawing(store, found, max_children, collapse, frozenset(expand), max_tasks).draw(target)


def _regroup(store: EmbeddedStore, rows: list[dict[str, Any]]) -> _Cascade:
    goal = rows[0]["key"] if rows and rows[0]["row"] == "goal" else None
    found = _Cascade(goal=goal, roots=[r["key"] for r in rows if r["row"] == "document" and r["depth"] == 0
                                       and goal is None])
    for row in rows:
        key = row["key"]
        if row["row"] == "document" and key not in found.rows:
            found.docs.append(key)
            found.rows[key] = row
            found.tasks[key] = [] if goal else store.tasks_of.get(key, [])
            found.parent[key] = None if goal else row["parent"]
            found.relation[key] = row["relation"] or "implements"
        elif row["row"] == "task":  # below a goal only
            doc = row["parent"]
            if key not in found.served:
                found.tasks.setdefault(doc, []).append(key)
                found.served[key] = []
            if row["served_goal"] and row["served_goal"] not in found.served[key]:
                found.served[key].append(row["served_goal"])
    if goal:
        _cited_parents(store, found)
    return found


def _cited_parents(store: EmbeddedStore, found: _Cascade) -> None:
    """Below a goal, each document hangs under the nearest document listed before it that
    it implements or cites as its basis; listed order (level, date) keeps this a tree."""
    position = {key: i for i, key in enumerate(found.docs)}
    for key in found.docs:
        best: tuple[int, str, str] | None = None
        for cited, edge in store.out(key, CITES):
            rank = position.get(cited)
            relations = set(edge.get("relations") or [edge.get("relation")])
            if rank is None or rank >= position[key] or not relations & set(cascade.DEFAULT_RELATIONS):
                continue
            if best is None or rank > best[0]:
                best = (rank, cited, edge.get("relation") or "implements")
        if best:
            found.parent[key], found.relation[key] = best[1], best[2]


class _Drawing:
    """One build: decides which documents are drawn, as themselves or in a group, then adds
    the nodes and edges in a fixed order (roots, documents, tasks, units, "more")."""

    def __init__(self, store: EmbeddedStore, found: _Cascade, cap: int, collapse: str | None,
                 expand: frozenset[str], max_tasks: int | None):
        self.store, self.found, self.cap, self.collapse, self.expand = store, found, cap, collapse, expand
        self.tasks_left = max_tasks
        self.nodes: dict[str, DiagramNode] = {}
        self.edges: dict[tuple[str, str, str], DiagramEdge] = {}
        self.hidden: dict[str, int] = {}  # owner → items left out of its list
        self.rep: dict[str, str | None] = {}  # document → the node that stands for it (None: not drawn)
        self.members: dict[str, list[str]] = {}  # collapsed group → its documents, in listed order

    # -- which documents, as what -------------------------------------------------------
    def is_open(self, owner: str) -> bool:
        """Whether `owner`'s list is shown whole rather than cut at the cap."""
        if MORE + owner in self.expand:
            return True
        return owner in self.expand and not (self.collapse and owner.startswith((LEVEL, UNIT)))

    def take(self, owner: str, taken: dict[str, int], *, room: bool = True) -> bool:
        """Counts one more item in `owner`'s list; False when it falls past the cap, or when
        there is no `room` left in its row, unless the list is open."""
        taken[owner] = taken.get(owner, 0) + 1
        if self.is_open(owner) or (taken[owner] <= self.cap and room):
            return True
        self.hidden[owner] = self.hidden.get(owner, 0) + 1
        return False

    def group_of(self, doc: str) -> str:
        row = self.found.rows[doc]
        level = row["level"] or "unknown"
        if self.collapse == "unit":
            props = self.store.node(doc) or {}
            return f"{UNIT}{level}:{props.get('issuer_key') or props.get('issuer') or '?'}"
        return LEVEL + level

    def place_documents(self) -> None:
        found, taken = self.found, {}
        members: dict[str, list[str]] = {}
        per_step: dict[int, int] = {}  # below a document: documents drawn at each citation step
        for doc in found.docs:
            if doc in found.roots:
                self.rep[doc] = doc
                continue
            if self.collapse:
                group = self.group_of(doc)
                members.setdefault(group, []).append(doc)
                if group in self.expand:
                    self.rep[doc] = doc if self.take(group, taken) else None
                else:
                    self.rep[doc] = group
                continue
            if found.goal:  # a goal's documents are listed by level
                owner = LEVEL + (found.rows[doc]["level"] or "unknown")
            else:
                owner = found.parent[doc] or ""
                if self.rep.get(owner) is None:
                    self.rep[doc] = None  # under a document left out: left out too, not counted again
                    continue
                step = found.rows[doc]["depth"]
                drawn = self.take(owner, taken, room=per_step.get(step, 0) < self.cap)
                per_step[step] = per_step.get(step, 0) + drawn
                self.rep[doc] = doc if drawn else None
                continue
            self.rep[doc] = doc if self.take(owner, taken) else None
        if self.collapse == "unit":
            self.cap_groups(members, taken)
        self.members = members

    def cap_groups(self, members: dict[str, list[str]], taken: dict[str, int]) -> None:
        """At most `cap` unit groups per level; the rest counted on "more:level:<level>"."""
        dropped = set()
        for group in members:
            level = group[len(UNIT):].split(":", 1)[0]
            if group not in self.expand and not self.take(LEVEL + level, taken):
                dropped.add(group)
        for doc, rep in self.rep.items():
            if rep in dropped:
                self.rep[doc] = None

    # -- nodes and edges ----------------------------------------------------------------
    def add_node(self, node: DiagramNode) -> None:
        self.nodes.setdefault(node.key, node)

    def add_edge(self, source: str, target: str, relation: str) -> None:
        if source != target:
            self.edges.setdefault((source, target, relation), DiagramEdge(source, target, relation))

    def draw(self, target: str) -> CascadeGraph:
        found = self.found
        self.place_documents()
        if found.goal:
            goal = self.store.node(found.goal) or {}
            title = caption("title_goal", key=found.goal, title=goal.get("title", ""))
            self.add_node(DiagramNode(found.goal, f"{found.goal}\n{goal.get('title', '')}", "goal", None))
        else:
            first = found.rows[found.roots[0]]
            title = caption("title_document", label=first["label"])
        for doc in found.docs:
            rep = self.rep[doc]
            if rep == doc:
                self.add_node(self.document_node(doc))
            elif rep is not None:
                self.add_node(self.group_node(rep))
        for doc in found.docs:
            self.link_document(doc)
        shown = [doc for doc in found.docs if self.rep[doc] == doc]
        units = self.units_of_tasks() if shown else {}
        shown.sort(key=lambda d: found.rows[d]["depth"])  # nearest the top first (stable: listed order)
        for doc in shown:
            self.add_tasks(doc, units)
        self.add_more_nodes()
        nodes = tuple(self.with_expandable(n) for n in self.nodes.values())
        return CascadeGraph(title=title, target=target, nodes=nodes, edges=tuple(self.edges.values()))

    def document_node(self, doc: str) -> DiagramNode:
        row = self.found.rows[doc]
        props = self.store.node(doc) or {}
        facts = ", ".join(x for x in (props.get("issuer"), vn_date(row["date"])) if x)
        return DiagramNode(doc, f"{row['label']}\n{facts}" if facts else row["label"], "document", row["level"])

    def group_node(self, group: str) -> DiagramNode:
        docs = self.members[group]
        if group.startswith(UNIT):
            level, _ = group[len(UNIT):].split(":", 1)
            issuer = (self.store.node(docs[0]) or {}).get("issuer") or "?"
            return DiagramNode(group, caption("unit_group", name=issuer, n=len(docs)), "organization",
                               None if level == "unknown" else level, more=len(docs), expandable=True)
        level = group[len(LEVEL):]
        return DiagramNode(group, caption("level_group", level=level_name(level), n=len(docs)), "more",
                           None if level == "unknown" else level, more=len(docs), expandable=True)

    def link_document(self, doc: str) -> None:
        rep = self.rep[doc]
        if rep is None or doc in self.found.roots:
            return
        parent = self.found.parent[doc]
        while parent is not None and self.rep.get(parent) is None:
            parent = self.found.parent[parent]
        source = self.rep[parent] if parent is not None else self.found.goal
        if source is not None:
            self.add_edge(source, rep, self.found.relation[doc])

    def units_of_tasks(self) -> dict[str, list[tuple[str, str, str]]]:
        """task → (organisation key, name, role) in who's order, leads first, by name: for
        every task of a goal (from `who`); below a document, filled as tasks are drawn."""
        units: dict[str, list[tuple[str, str, str]]] = {}
        if self.found.goal:
            for row in who.run(self.store, target=self.found.goal):
                if row["organization_key"]:
                    role = "lead_implicit" if row["implicit"] and row["role"] == "lead" else row["role"]
                    entry = (row["organization_key"], row["organization"], role)
                    bucket = units.setdefault(row["task_key"], [])
                    if entry not in bucket:
                        bucket.append(entry)
        return units

    def units_of(self, task: str, units: dict[str, list[tuple[str, str, str]]]) -> list[tuple[str, str, str]]:
        if self.found.goal or task in units:
            return units.get(task, [])
        found = units[task] = []
        for rel, role in ((LEAD, "lead"), (SUPPORT, "support")):
            for org, edge in sorted(self.store.out(task, rel), key=lambda x: (self.store.node(x[0])["name"], x[0])):
                implicit = role == "lead" and edge.get("implicit")
                found.append((org, self.store.node(org)["name"], "lead_implicit" if implicit else role))
        return found

    def add_tasks(self, doc: str, units: dict[str, list[tuple[str, str, str]]]) -> None:
        taken: dict[str, int] = {}
        for task in self.found.tasks.get(doc, ()):
            room = self.tasks_left is None or self.tasks_left > 0
            if not self.take(doc, taken, room=room):
                continue
            if self.tasks_left is not None and not self.is_open(doc):
                self.tasks_left -= 1
            self.add_node(self.task_node(task, self.found.rows[doc]["level"]))
            self.add_edge(doc, task, "has_task")
            for org, name, role in self.units_of(task, units):
                if not self.take(task, taken):
                    continue
                level = (self.store.node(org) or {}).get("level")
                self.add_node(DiagramNode(org, name, "organization", level))
                self.add_edge(task, org, "support" if role == "support" else "lead")

    def task_node(self, task: str, level: str | None) -> DiagramNode:
        props = self.store.node(task) or {}
        text = " ".join(props.get("text", "").split())
        if len(text) > _TASK_TEXT:
            text = text[: _TASK_TEXT - 1].rstrip() + "…"
        lines = [f"{props.get('task_id')}. {text}"]
        when = due_date(props)
        if when:
            lines.append(caption("task_due", date=vn_date(when[0])))
        others = [g for g in self.found.served.get(task, ()) if g != self.found.goal]
        if others:
            lines.append(caption("serves", goals=", ".join(others)))
        return DiagramNode(task, "\n".join(lines), "task", level)

    def add_more_nodes(self) -> None:
        root = self.found.goal or self.found.roots[0]
        for owner, count in self.hidden.items():
            if not count:
                continue
            if owner.startswith(LEVEL):
                level: str | None = owner[len(LEVEL):]
            else:
                level = self.nodes[owner].level if owner in self.nodes else None
            key = MORE + owner
            self.add_node(DiagramNode(key, caption("more", n=count), "more",
                                      None if level == "unknown" else level, more=count, expandable=True))
            self.add_edge(owner if owner in self.nodes else root, key, "more")

    def with_expandable(self, node: DiagramNode) -> DiagramNode:
        if node.kind in ("document", "task") and self.hidden.get(node.key):
            return DiagramNode(node.key, node.label, node.kind, node.level, node.more, True)
        return node
