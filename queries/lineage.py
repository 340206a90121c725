"""The chain above a document or a task, up to the central documents and their goals.

    run(store, target="591-CV/TU")                 # a ref (every document with it), key or source path
    run(store, target="corpus/seeds/001_….txt")
    run(store, target="<doc key>#1.1")             # a task key

From the start, each path climbs CITES edges whose relations include one of `relations`
(default: implements, based_on) until a document that cites nothing further (a central
resolution, a stub); every such path is one path number. Seed 001 gives
[seed 001 → 591-CV/TU → 57-NQ/TW] (591-CV/TU is a stub: the edge to 57-NQ/TW is inferred
from seed 001's own words) and [seed 001 → 57-NQ/TW]. For a task, step 0 is the task and
step 1 its document; the goals the task serves close each path whose documents set them.

Result keys (one row per step of each path):
    path        path number, 0-based
    step        position in the path, 0 = the start
    kind        "task" | "document" | "goal"
    key, label  label: a document's ref (or title, or subject), a task's id, a goal's title
    ref, level, issuer, date, is_stub, is_central     document steps (None elsewhere)
    relation    how the previous step reaches this one: the CITES relation, "HAS_TASK"
                (task → its document), "SERVES" (task → goal)
    is_inferred True on a CITES step read from a citing text rather than written
    evidence    the inferred step's words, or the SERVES link's evidence (list) on goal rows
    method      goal rows: how the task was linked

Paths ending at a central document come first, then longer ones, then by their refs.
At most `max_paths` paths of at most `max_depth` citation steps.
"""
from __future__ import annotations

from typing import Any

from graph.model import CITES, SERVES
from graph.store_embedded import EmbeddedStore

from .targets import QueryError, documents, task_key

KEYS = ("path", "step", "kind", "key", "label", "ref", "level", "issuer", "date", "is_stub", "is_central",
        "relation", "is_inferred", "evidence", "method")
DEFAULT_RELATIONS = ("implements", "based_on")


def _row(**values: Any) -> dict[str, Any]:
    row = dict.fromkeys(KEYS)  # every key, None, in KEYS order; then the given ones
    row.update(values)
    return row


def _paths(store: EmbeddedStore, start: str, relations: tuple[str, ...], max_depth: int,
           max_paths: int) -> list[list[tuple[str, dict[str, Any] | None]]]:
    """Every maximal upward path from `start`: (document, edge that reached it)."""
    out: list[list[tuple[str, dict[str, Any] | None]]] = []
    stack: list[list[tuple[str, dict[str, Any] | None]]] = [[(start, None)]]
    while stack and len(out) < max_paths * 4:
        path = stack.pop()
        here = path[-1][0]
        on_path = {k for k, _ in path}
        parents = [(p, e) for p, e in store.out(here, CITES)
                   if set(e.get("relations") or [e["relation"]]) & set(relations) and p not in on_path]
        if not parents or len(path) > max_depth:
            out.append(path)
            continue
        for parent, edge in reversed(parents):
            stack.append([*path, (parent, edge)])
    def rank(path: list[tuple[str, dict[str, Any] | None]]) -> tuple[Any, ...]:
        end = store.node(path[-1][0])
        refs = tuple(store.node(k).get("ref") or k for k, _ in path)
        return (not end.get("is_central"), -len(path), refs)
    return sorted(out, key=rank)[:max_paths]


def run(store: EmbeddedStore, target: str, *, relations: tuple[str, ...] = DEFAULT_RELATIONS,
        max_depth: int = 12, max_paths: int = 50) -> list[dict[str, Any]]:
    task = task_key(store, target)
    starts = [store.node(task)["doc_key"]] if task else documents(store, target)
    if not starts:
        raise QueryError(f"'{target}': no task key, nor document ref, key or path, by that name")
    served = [(g, link) for g, link in store.out(task, SERVES)] if task else []
    rows: list[dict[str, Any]] = []
    placed: set[str] = set()
    paths: list[list[tuple[str, dict[str, Any] | None]]] = []
    for start in starts:  # only the first max_paths are shown: the starts after them are not walked
        if len(paths) >= max_paths:
            break
        paths += _paths(store, start, relations, max_depth, max_paths)
    for number, path in enumerate(paths[:max_paths]):
        steps: list[dict[str, Any]] = []
        if task:
            props = store.node(task)
            steps.append(_row(kind="task", key=task, label=props["task_id"]))
        for key, edge in path:
            doc = store.node(key)
            relation = edge["relation"] if edge else ("HAS_TASK" if task else None)
            steps.append(_row(kind="document", key=key, label=doc.get("ref") or doc.get("title")
                              or (doc.get("subject") or "")[:80], ref=doc.get("ref"), level=doc.get("level"),
                              issuer=doc.get("issuer"), date=doc.get("date"), is_stub=bool(doc.get("is_stub")),
                              is_central=bool(doc.get("is_central")), relation=relation,
                              is_inferred=bool(edge.get("is_inferred")) if edge else None,
                              evidence=edge.get("evidence") if edge else None))
        docs_on_path = {k for k, _ in path}
        for goal, link in served:
            if store.node(goal).get("doc_key") in docs_on_path:
                placed.add(goal)
                steps.append(_goal_row(store, goal, link))
        for i, step in enumerate(steps):
            rows.append({**step, "path": number, "step": i})
    leftover = [(g, link) for g, link in served if g not in placed]
    if leftover and rows:  # goals of documents the paths do not reach (a catalog parent elsewhere)
        last = max(r["step"] for r in rows if r["path"] == 0)
        for i, (goal, link) in enumerate(leftover, start=1):
            rows.append({**_goal_row(store, goal, link), "path": 0, "step": last + i})
        rows.sort(key=lambda r: (r["path"], r["step"]))
    return rows


def _goal_row(store: EmbeddedStore, goal: str, link: dict[str, Any]) -> dict[str, Any]:
    return _row(kind="goal", key=goal, label=store.node(goal)["title"], relation="SERVES",
                evidence=list(link.get("evidence") or ()), method=link.get("method"))
