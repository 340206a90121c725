"""The cascade below a document or a goal: documents and tasks, level by level.

    run(store, target="69-CTr/TU", depth=3)     # a document (ref, key or source path)
    run(store, target="57.SOL.1")               # a goal

Below a document are the documents that cite it with one of `relations` (default:
implements, based_on), breadth first up to `depth` citation steps; a document reached by
two paths is listed once, under the first parent met. Each document row is followed by
up to `max_tasks` of its tasks in document order. Below a goal are the goals PART_OF it
(up to `depth` steps), then the documents whose tasks serve the goal or one of those, by
level (central, ministry, province, department, district, commune), each with the tasks
that serve. Where a list is cut, a "more" row says how many were left out.

Result keys (every row has all of them, None where they do not apply):
    row        "goal" | "document" | "task" | "more"
    depth      citation steps (or PART_OF steps) from the target; for a goal's documents
               and their tasks, 1 + the level's rank; a task sits one below its document
    level      the document's level (document rows; for tasks, their document's)
    key        the node's key; for a "more" row, the key of the node whose list was cut
    label      document: ref, else title or subject; task: its id and text; goal: title
    parent     the row this one hangs under (document: the cited document; task: its
               document; goal: its parent goal)
    relation   document rows: the strongest relation of the CITES edge to `parent`
    date       document date, or the task's due date
    is_stub    document rows: known only because something cites it
    tasks      document rows: how many tasks the document has
    more       "more" rows: how many documents or tasks were left out
    served_goal, method   task rows under a goal: the goal it serves and how it was linked

Order: as listed; siblings by level rank, date, ref, key (documents) or document order (tasks).
"""
from __future__ import annotations

from typing import Any

from graph.model import SERVES
from graph.store_embedded import EmbeddedStore

from .targets import QueryError, documents, goal_key, goal_subtree, level_rank

KEYS = ("row", "depth", "level", "key", "label", "parent", "relation", "date", "is_stub", "tasks", "more",
        "served_goal", "method")
DEFAULT_RELATIONS = ("implements", "based_on")


def _row(**values: Any) -> dict[str, Any]:
    row = dict.fromkeys(KEYS)  # every key, None, in KEYS order; then the given ones
    row.update(values)
    return row


def _doc_label(doc: dict[str, Any]) -> str:
    return doc.get("ref") or doc.get("title") or (doc.get("subject") or "")[:80] or doc["key"]


def _doc_row(store: EmbeddedStore, key: str, depth: int, parent: str | None, relation: str | None) -> dict[str, Any]:
    doc = store.graph._node[key]
    return {"row": "document", "depth": depth, "level": doc.get("level"), "key": key, "label": _doc_label(doc),
            "parent": parent, "relation": relation, "date": doc.get("date"), "is_stub": bool(doc.get("is_stub")),
            "tasks": len(store.tasks_of.get(key, ())), "more": None, "served_goal": None, "method": None}


def _task_row(store: EmbeddedStore, key: str, depth: int, level: str | None, served_goal: str | None = None,
              method: str | None = None) -> dict[str, Any]:
    """`level`: the task's document's (a document's tasks are listed together)."""
    # written out in KEYS order: a large cascade is tens of thousands of these
    task = store.graph._node[key]
    doc = task["doc_key"]
    # store_embedded.due_date, inlined: the deadline, else the end of a period that does not recur
    due = task.get("deadline") or (None if task.get("is_recurring") else task.get("period_end"))
    return {"row": "task", "depth": depth, "level": level, "key": key, "label": f"{task['task_id']}. {task['text'][:160]}", "parent": doc, "relation": None,
            "date": due or None, "is_stub": None, "tasks": None, "more": None,
            "served_goal": served_goal, "method": method}


def _sort_docs(store: EmbeddedStore, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    def rank(item: tuple[str, str]) -> tuple[Any, ...]:
        doc = store.node(item[0])
        return (level_rank(doc.get("level")), doc.get("date") or "", doc.get("ref") or "", item[0])
    return sorted(keys, key=rank)


def run(store: EmbeddedStore, target: str, *, depth: int = 3, max_children: int = 50, max_tasks: int = 5,
        relations: tuple[str, ...] = DEFAULT_RELATIONS) -> list[dict[str, Any]]:
    goal = goal_key(store, target)
    if goal:
        return _below_goal(store, goal, depth, max_children, max_tasks)
    roots = documents(store, target)
    if not roots:
        raise QueryError(f"'{target}': no goal id, nor document ref, key or path, by that name")
    rows: list[dict[str, Any]] = []
    wanted = frozenset(relations)
    seen = set(roots)
    frontier = [(root, None, None) for root in roots]
    for level in range(depth + 1):
        next_frontier: list[tuple[str, str | None, str | None]] = []
        for key, parent, relation in frontier:
            rows.append(_doc_row(store, key, level, parent, relation))
            rows += _tasks(store, key, level + 1, max_tasks)
            if level == depth:
                continue
            taken = left = 0
            for child, edge in store.cited_by.get(key, ()):  # by level, date, ref, key
                if child in seen or not (edge["relation"] in wanted
                                         or not wanted.isdisjoint(edge.get("relations") or ())):
                    continue
                if taken == max_children:
                    left += 1
                    continue
                taken += 1
                seen.add(child)
                next_frontier.append((child, key, edge["relation"]))
            if left:
                rows.append(_row(row="more", depth=level + 1, key=key, parent=key, more=left))
        frontier = next_frontier
    return rows


def _tasks(store: EmbeddedStore, doc: str, depth: int, max_tasks: int) -> list[dict[str, Any]]:
    tasks = store.tasks_of.get(doc, [])
    level = store.graph._node[doc].get("level")
    rows = [_task_row(store, t, depth, level) for t in tasks[:max_tasks]]
    if len(tasks) > max_tasks:
        rows.append(_row(row="more", depth=depth, key=doc, parent=doc, more=len(tasks) - max_tasks))
    return rows


def _below_goal(store: EmbeddedStore, goal: str, depth: int, max_children: int, max_tasks: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    subtree = goal_subtree(store, goal)
    for key, path in subtree:
        if len(path) - 1 <= depth:
            node = store.node(key)
            rows.append(_row(row="goal", depth=len(path) - 1, key=key, label=node["title"],
                             parent=path[-2] if len(path) > 1 else None))
    serving: dict[str, list[tuple[str, str, str]]] = {}
    for key, _path in subtree:
        for task, link in store.into(key, SERVES):
            serving.setdefault(store.node(task)["doc_key"], []).append((task, key, link.get("method")))
    by_level: dict[int, list[str]] = {}
    for doc in serving:
        by_level.setdefault(level_rank(store.node(doc).get("level")), []).append(doc)
    for rank in sorted(by_level):
        docs = [d for d, _ in _sort_docs(store, [(d, "") for d in by_level[rank]])]
        for doc in docs[:max_children]:
            rows.append(_doc_row(store, doc, rank + 1, goal, None))
            level = store.node(doc).get("level")
            order = {t: i for i, t in enumerate(store.tasks_of.get(doc, []))}
            tasks = sorted(set(serving[doc]), key=lambda x: (order.get(x[0], 0), x[0], x[1]))
            for task, served, method in tasks[:max_tasks]:
                rows.append(_task_row(store, task, rank + 2, level, served_goal=served, method=method))
            if len(tasks) > max_tasks:
                rows.append(_row(row="more", depth=rank + 2, key=doc, parent=doc, more=len(tasks) - max_tasks))
        if len(docs) > max_children:
            rows.append(_row(row="more", depth=rank + 1, key=goal, parent=goal, more=len(docs) - max_children))
    return rows
