"""The questions of queries/ answered on Neo4j: queries/<name>.cypher, then the same shaping.

`run_question(store, name, params)` takes the parameters queries/<name>.run takes and
returns the rows it returns: same keys, same values, same order. The graph is walked in
Cypher (queries/<name>.cypher, plus queries/targets.cypher to resolve what the user named);
what is left here is what each Python module does after its walk: the due date and
document columns of a row, the fan-out to one row per organisation, the ordering, the
first-parent-wins breadth-first cascade and the cuts. Ties are broken as the embedded
store's iteration order breaks them, so the two stores agree row for row.

Each .cypher file holds statements headed `// name: <statement>` and ended by `;`.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from ingest.fold import fold_key

from .identity import ref_key
from .model import DOCUMENT, ORGANIZATION, TASK
from .neo4j_rows import node_record, search_words
from .store_embedded import searchable_text

if TYPE_CHECKING:
    from .store_neo4j import Neo4jStore

QUESTIONS = ("who", "cascade", "lineage", "org", "due", "findings", "search")
MAX_LINEAGE_DEPTH = 32  # the bound written into queries/lineage.cypher


@cache
def statements(name: str) -> dict[str, str]:
    """The named statements of queries/<name>.cypher (packaged with the queries package)."""
    text = (files("queries") / f"{name}.cypher").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in [*text.splitlines(), "// name: <end>"]:
        if line.startswith("// name:"):
            if current is not None:
                body = "\n".join(part for part in lines if not part.lstrip().startswith("//")).strip()
                out[current] = body.removesuffix(";").strip()
            current, lines = line.split(":", 1)[1].strip(), []
        elif current is not None:
            lines.append(line)
    return out


def _read(store: Neo4jStore, name: str, statement: str, /, **params: Any) -> list[dict[str, Any]]:
    return store.read(statements(name)[statement], params)


def run_question(store: Neo4jStore, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    if name not in RUNNERS:
        raise ValueError(f"no question named {name!r}; the questions are {', '.join(QUESTIONS)}")
    return RUNNERS[name](store, **params)


# -- targets (queries/targets.py) -------------------------------------------------------------

def _query_error(message: str) -> Exception:
    from queries.targets import QueryError

    return QueryError(message)


def goal_key(store: Neo4jStore, text: str) -> str | None:
    rows = _read(store, "targets", "goal", text=text, upper=text.strip().upper())
    exact = [r["key"] for r in rows if r["exact"]]
    return exact[0] if exact else (min(r["key"] for r in rows) if rows else None)


def documents(store: Neo4jStore, text: str) -> list[str]:
    """As EmbeddedStore.find_documents: a key, else a source path, else a ref, else a file name
    (or one without its suffix) whose path ends with the text."""
    text = text.strip()
    name = text.rstrip("/").rsplit("/", 1)[-1]
    rows = _read(store, "targets", "documents", text=text, ref_key=ref_key(text), name=name,
                 stem=name.split(".")[0])
    for flag in ("is_key", "is_path", "is_ref"):
        keys = sorted(r["key"] for r in rows if r[flag])
        if keys:
            return keys[-1:] if flag == "is_path" else keys  # one path, one document: the last indexed wins
    bucket = [r for r in rows if r["in_name"]] or [r for r in rows if r["in_stem"]]
    return sorted(r["key"] for r in bucket if r["ends"] or "/" not in text)


def task(store: Neo4jStore, text: str) -> dict[str, Any] | None:
    rows = _read(store, "targets", "task", text=text)
    return rows[0] if rows else None


def organizations(store: Neo4jStore, name: str) -> list[str]:
    rows = _read(store, "targets", "organizations", wanted=fold_key(name))
    exact = sorted(r["key"] for r in rows if r["exact"])
    return exact or sorted(r["key"] for r in rows)


def goal_subtree(store: Neo4jStore, goal: str) -> list[tuple[str, list[str], str]]:
    """(goal, path, title) in the order targets.goal_subtree's breadth-first search gives."""
    best: dict[str, tuple[list[str], str]] = {}
    for row in _read(store, "targets", "goal_subtree", goal=goal):
        path = row["path"]
        if row["key"] not in best or (len(path), path) < (len(best[row["key"]][0]), best[row["key"]][0]):
            best[row["key"]] = (path, row["title"])
    ordered = sorted(best.items(), key=lambda item: (len(item[1][0]), item[1][0]))
    return [(key, path, title) for key, (path, title) in ordered]


def _doc_summary(doc_key: str, doc: dict[str, Any] | None) -> dict[str, Any]:
    doc = doc or {}
    return {"doc_key": doc_key, "doc_ref": doc.get("ref"), "doc_issuer": doc.get("issuer"),
            "doc_level": doc.get("level"), "doc_date": doc.get("date")}


def _level_rank(level: str | None) -> int:
    from queries.targets import level_rank

    return level_rank(level)


# -- who --------------------------------------------------------------------------------------

def _who(store: Neo4jStore, target: str, *, method: str | None = None, role: str | None = None,
         limit: int | None = None) -> list[dict[str, Any]]:
    goal = goal_key(store, target)
    if goal:
        goals = [goal]
    else:
        docs = documents(store, target)
        if not docs:
            raise _query_error(f"'{target}': no goal id, nor document ref, key or path, by that name")
        goals = sorted({r["goal"] for r in _read(store, "targets", "top_goals", docs=docs)})
        if not goals:
            raise _query_error(f"'{target}' sets no goals in the catalog (only central documents do)")
    # Of several PART_OF paths to one served goal (a DAG), the embedded store follows the first
    # its breadth-first search meets: the shortest, then the smallest.
    found = _read(store, "who", "rows", goals=goals, method=method or None)
    best: dict[tuple[str, str], list[str]] = {}
    for row in found:
        pair, path = (row["goal"], row["served_goal"]), row["path"]
        if pair not in best or (len(path), path) < (len(best[pair]), best[pair]):
            best[pair] = path
    rows: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for row in found:
        path = row["path"]
        if best[(row["goal"], row["served_goal"])] != path:
            continue
        t = row["task"]
        doc = _doc_summary(t["doc_key"], row["doc"])
        base = {"goal": row["goal"], "goal_title": row["goal_title"], "served_goal": row["served_goal"],
                "path": list(path), "method": row["method"], "score": row["score"],
                "evidence": list(row["evidence"] or ()), "task_key": t["key"], "task_id": t["task_id"],
                "task_text": t["text"], "due": t["due_date"], "due_basis": t["due_basis"],
                "deadline_text": t["deadline_text"], **doc}
        # who.py's order: goal, served goal breadth first, task by its document's ref then key;
        # a task's rows lead first, each role by organisation name then key
        order = (goals.index(row["goal"]), len(path), path, doc["doc_ref"] or "", t["key"])
        orgs = sorted(row["orgs"], key=lambda o: (o["role"] != "lead", o["name"], o["key"]))
        for i, org in enumerate(orgs):
            rows.append(((*order, i), {**base, "organization": org["name"], "organization_key": org["key"],
                                       "role": org["role"], "implicit": bool(org["implicit"])}))
        if not orgs:
            rows.append(((*order, 0), {**base, "organization": None, "organization_key": None, "role": None,
                                       "implicit": False}))
    rows.sort(key=lambda item: item[0])
    out = [r for _, r in rows if role is None or r["role"] == role]
    return out[:limit] if limit is not None else out


# -- cascade ----------------------------------------------------------------------------------

_CASCADE_KEYS = ("row", "depth", "level", "key", "label", "parent", "relation", "date", "is_stub", "tasks", "more",
                 "served_goal", "method")


def _crow(**values: Any) -> dict[str, Any]:
    return {k: values.get(k) for k in _CASCADE_KEYS}


def _ordered_tasks(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(tasks, key=lambda t: (t.get("span_start") or 0, t["key"]))


def _doc_label(doc: dict[str, Any], cut: int, fallback: bool) -> str:
    label = doc.get("ref") or doc.get("title") or (doc.get("subject") or "")[:cut]
    return label or (doc["key"] if fallback else label)


def _cascade_doc_row(doc: dict[str, Any], tasks: list[dict[str, Any]], depth: int, parent: str | None,
                     relation: str | None) -> dict[str, Any]:
    return _crow(row="document", depth=depth, level=doc.get("level"), key=doc["key"],
                 label=_doc_label(doc, 80, True), parent=parent, relation=relation, date=doc.get("date"),
                 is_stub=bool(doc.get("is_stub")), tasks=len(tasks))


def _cascade_task_row(t: dict[str, Any], depth: int, **extra: Any) -> dict[str, Any]:
    return _crow(row="task", depth=depth, level=t.get("doc_level"), key=t["key"],
                 label=f"{t['task_id']}. {t['text'][:160]}", parent=t["doc_key"], date=t.get("due_date"), **extra)


def _doc_rank(doc: dict[str, Any]) -> tuple[Any, ...]:
    return (_level_rank(doc.get("level")), doc.get("date") or "", doc.get("ref") or "", doc["key"])


def _cascade(store: Neo4jStore, target: str, *, depth: int = 3, max_children: int = 50, max_tasks: int = 5,
             relations: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    from queries.cascade import DEFAULT_RELATIONS

    relations = DEFAULT_RELATIONS if relations is None else relations
    goal = goal_key(store, target)
    if goal:
        return _below_goal(store, goal, depth, max_children, max_tasks)
    roots = documents(store, target)
    if not roots:
        raise _query_error(f"'{target}': no goal id, nor document ref, key or path, by that name")
    known = {r["key"]: (r["doc"], r["tasks"]) for r in _read(store, "cascade", "documents", keys=roots)}
    rows: list[dict[str, Any]] = []
    seen = set(roots)
    frontier: list[tuple[str, str | None, str | None]] = [(root, None, None) for root in roots]
    for level in range(depth + 1):
        children: dict[str, list[tuple[str, str]]] = {}
        if level < depth and frontier:
            for r in _read(store, "cascade", "children", parents=sorted({k for k, _, _ in frontier}),
                           relations=list(relations)):
                known.setdefault(r["key"], (r["doc"], r["tasks"]))
                children.setdefault(r["parent"], []).append((r["key"], r["relation"]))
        next_frontier: list[tuple[str, str | None, str | None]] = []
        for key, parent, relation in frontier:
            doc, tasks = known[key]
            rows.append(_cascade_doc_row(doc, tasks, level, parent, relation))
            rows += _cascade_tasks(key, tasks, level + 1, max_tasks)
            if level == depth:
                continue
            listed = sorted(children.get(key, []), key=lambda c: _doc_rank(known[c[0]][0]))
            fresh = [(c, r) for c, r in listed if c not in seen]
            for child, rel in fresh[:max_children]:
                seen.add(child)
                next_frontier.append((child, key, rel))
            if len(fresh) > max_children:
                rows.append(_crow(row="more", depth=level + 1, key=key, parent=key, more=len(fresh) - max_children))
        frontier = next_frontier
    return rows


def _cascade_tasks(doc: str, tasks: list[dict[str, Any]], depth: int, max_tasks: int) -> list[dict[str, Any]]:
    ordered = _ordered_tasks(tasks)
    rows = [_cascade_task_row(t, depth) for t in ordered[:max_tasks]]
    if len(ordered) > max_tasks:
        rows.append(_crow(row="more", depth=depth, key=doc, parent=doc, more=len(ordered) - max_tasks))
    return rows


def _below_goal(store: Neo4jStore, goal: str, depth: int, max_children: int, max_tasks: int) -> list[dict[str, Any]]:
    subtree = goal_subtree(store, goal)
    rows = [_crow(row="goal", depth=len(path) - 1, key=key, label=title, parent=path[-2] if len(path) > 1 else None)
            for key, path, title in subtree if len(path) - 1 <= depth]
    position = {key: i for i, (key, _path, _title) in enumerate(subtree)}
    found = _read(store, "cascade", "serving", goals=[key for key, _, _ in subtree])
    found.sort(key=lambda r: (position[r["served"]], r["task"]))
    serving: dict[str, list[tuple[str, str, str | None]]] = {}
    task_props: dict[str, dict[str, Any]] = {}
    for r in found:
        serving.setdefault(r["props"]["doc_key"], []).append((r["task"], r["served"], r["method"]))
        task_props[r["task"]] = r["props"]
    known = {r["key"]: (r["doc"], r["tasks"]) for r in _read(store, "cascade", "documents", keys=list(serving))}
    by_level: dict[int, list[str]] = {}
    for doc in serving:
        by_level.setdefault(_level_rank(known[doc][0].get("level")), []).append(doc)
    for rank in sorted(by_level):
        docs = sorted(by_level[rank], key=lambda d: _doc_rank(known[d][0]))
        for doc in docs[:max_children]:
            props, tasks = known[doc]
            rows.append(_cascade_doc_row(props, tasks, rank + 1, goal, None))
            order = {t["key"]: i for i, t in enumerate(_ordered_tasks(tasks))}
            listed = sorted(set(serving[doc]), key=lambda x: (order.get(x[0], 0), x[0], x[1]))
            for task_key, served, method in listed[:max_tasks]:
                rows.append(_cascade_task_row(task_props[task_key], rank + 2, served_goal=served, method=method))
            if len(listed) > max_tasks:
                rows.append(_crow(row="more", depth=rank + 2, key=doc, parent=doc, more=len(listed) - max_tasks))
        if len(docs) > max_children:
            rows.append(_crow(row="more", depth=rank + 1, key=goal, parent=goal, more=len(docs) - max_children))
    return rows


# -- lineage ----------------------------------------------------------------------------------

_LINEAGE_KEYS = ("path", "step", "kind", "key", "label", "ref", "level", "issuer", "date", "is_stub", "is_central",
                 "relation", "is_inferred", "evidence", "method")


def _lrow(**values: Any) -> dict[str, Any]:
    return {k: values.get(k) for k in _LINEAGE_KEYS}


def _lineage(store: Neo4jStore, target: str, *, relations: tuple[str, ...] | None = None, max_depth: int = 12,
             max_paths: int = 50) -> list[dict[str, Any]]:
    from queries.lineage import DEFAULT_RELATIONS

    relations = DEFAULT_RELATIONS if relations is None else relations
    if max_depth > MAX_LINEAGE_DEPTH:
        raise _query_error(f"max_depth {max_depth}: Neo4j lineage climbs at most {MAX_LINEAGE_DEPTH} steps")
    the_task = task(store, target)
    starts = [the_task["doc_key"]] if the_task else documents(store, target)
    if not starts:
        raise _query_error(f"'{target}': no task key, nor document ref, key or path, by that name")
    served = _read(store, "lineage", "served", task=the_task["key"]) if the_task else []
    found = _read(store, "lineage", "paths", starts=starts, relations=list(relations), max_depth=max(max_depth, 0))
    paths: list[list[dict[str, Any]]] = []
    for start in starts:
        # lineage.py's depth-first search meets paths in the order of their keys and stops at
        # 4 × max_paths; then it ranks them: central end first, longer first, by refs.
        mine = sorted((r for r in found if r["start"] == start), key=lambda r: [d["key"] for d in r["docs"]])
        mine = mine[:max_paths * 4]
        mine.sort(key=lambda r: (not r["docs"][-1].get("is_central"), -len(r["docs"]),
                                 tuple(d.get("ref") or d["key"] for d in r["docs"])))
        paths += [[{"doc": d, "edge": r["edges"][i - 1] if i else None} for i, d in enumerate(r["docs"])]
                  for r in mine[:max_paths]]
    rows: list[dict[str, Any]] = []
    placed: set[str] = set()
    for number, path in enumerate(paths[:max_paths]):
        steps: list[dict[str, Any]] = []
        if the_task:
            steps.append(_lrow(kind="task", key=the_task["key"], label=the_task["task_id"]))
        for step in path:
            doc, edge = step["doc"], step["edge"]
            relation = edge["relation"] if edge else ("HAS_TASK" if the_task else None)
            steps.append(_lrow(kind="document", key=doc["key"], label=_doc_label(doc, 80, False), ref=doc.get("ref"),
                               level=doc.get("level"), issuer=doc.get("issuer"), date=doc.get("date"),
                               is_stub=bool(doc.get("is_stub")), is_central=bool(doc.get("is_central")),
                               relation=relation, is_inferred=bool(edge.get("is_inferred")) if edge else None,
                               evidence=edge.get("evidence") if edge else None))
        on_path = {step["doc"]["key"] for step in path}
        for goal in served:
            if goal["doc_key"] in on_path:
                placed.add(goal["key"])
                steps.append(_goal_step(goal))
        rows += [{**step, "path": number, "step": i} for i, step in enumerate(steps)]
    leftover = [g for g in served if g["key"] not in placed]
    if leftover and rows:
        last = max(r["step"] for r in rows if r["path"] == 0)
        rows += [{**_goal_step(goal), "path": 0, "step": last + i} for i, goal in enumerate(leftover, start=1)]
        rows.sort(key=lambda r: (r["path"], r["step"]))
    return rows


def _goal_step(goal: dict[str, Any]) -> dict[str, Any]:
    return _lrow(kind="goal", key=goal["key"], label=goal["title"], relation="SERVES",
                 evidence=list(goal["evidence"] or ()), method=goal["method"])


# -- org, due, findings -----------------------------------------------------------------------

def _org(store: Neo4jStore, name: str, *, role: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    orgs = organizations(store, name)
    if not orgs:
        raise _query_error(f"'{name}': no organisation by that name (try `chidao search`)")
    found = _read(store, "org", "rows", orgs=orgs, role=role or None)
    # the embedded store's order: organisation, LEAD before SUPPORT, task key
    found.sort(key=lambda r: (orgs.index(r["org"]["key"]), r["role"] != "lead", r["task"]["key"]))
    rows = []
    for r in found:
        o, t = r["org"], r["task"]
        rows.append({"organization": o["name"], "organization_key": o["key"], "province": o["province"],
                     "role": r["role"], "implicit": bool(r["implicit"]), "task_key": t["key"],
                     "task_id": t["task_id"], "text": t["text"], "due": t["due_date"], "due_basis": t["due_basis"],
                     "deadline_text": t["deadline_text"], "is_recurring": bool(t["is_recurring"]),
                     **_doc_summary(t["doc_key"], r["doc"]), "goals": sorted(r["goals"])})
    rows.sort(key=lambda r: (r["due"] is None, r["due"] or "", r["organization"], r["role"] != "lead",
                             r["doc_ref"] or "", r["task_key"]))
    return rows[:limit] if limit is not None else rows


def _due(store: Neo4jStore, as_of: date | str, *, within: int = 30, overdue: bool = False, org: str | None = None,
         limit: int | None = None) -> list[dict[str, Any]]:
    from queries.targets import as_iso

    today = date.fromisoformat(as_iso(as_of))
    if within < 0:
        raise _query_error(f"within must be 0 or more days, not {within}")
    if overdue:
        start, end = "0000-01-01", (today - timedelta(days=1)).isoformat()
    else:
        start, end = today.isoformat(), (today + timedelta(days=within)).isoformat()
    orgs = None
    if org:
        orgs = organizations(store, org)
        if not orgs:
            raise _query_error(f"'{org}': no organisation by that name")
    rows = []
    for r in _read(store, "due", "rows", start=start, end=end, orgs=orgs):
        t = r["task"]
        days = (date.fromisoformat(t["due_date"]) - today).days
        rows.append({"status": "overdue" if days < 0 else "due", "due": t["due_date"], "due_basis": t["due_basis"],
                     "days": days, "task_key": t["key"], "task_id": t["task_id"], "text": t["text"],
                     "deadline_text": t["deadline_text"], **_doc_summary(t["doc_key"], r["doc"]),
                     "leads": sorted(r["leads"]), "supports": sorted(r["supports"])})
    rows.sort(key=lambda r: (r["due"], r["task_key"]))  # the due index's order
    return rows[:limit] if limit is not None else rows


def _findings(store: Neo4jStore, *, code: str | None = None, doc: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
    from graph.findings import KEYS

    docs = None
    if doc:
        docs = documents(store, doc)
        if not docs:
            raise _query_error(f"'{doc}': no document by that ref, key or path")
    rows = [json.loads(r["finding"]) for r in _read(store, "findings", "rows", code=code or None, docs=docs)]
    rows.sort(key=lambda f: tuple("" if f.get(k) is None else str(f[k]) for k in KEYS))
    return rows[:limit] if limit is not None else rows


# -- search -----------------------------------------------------------------------------------

_KIND = {ORGANIZATION: "organization", DOCUMENT: "document", TASK: "task"}
_KIND_RANK = {"organization": 0, "document": 1, "task": 2}


def lucene_query(words: list[str]) -> str:
    """Every word required. The words are [a-z0-9]+ runs: nothing in them needs escaping, and
    lower-case and/or/not are not operators."""
    return " ".join(f"+{word}" for word in sorted(set(words)))


def _printed(text: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _search(store: Neo4jStore, text: str, *, kinds: tuple[str, ...] | None = None, limit: int = 50,
            scan: int = 20_000) -> list[dict[str, Any]]:
    words = search_words(text)
    if not words:
        return []
    # The phrase as whole words: the node's folded words, padded, hold the typed ones, padded.
    phrase, exact = f" {' '.join(words)} ", _printed(text)
    hits = []
    for r in _read(store, "search", "candidates", query=lucene_query(words)):
        label = next(name for name in r["labels"] if name in _KIND)
        props = {**node_record(label, r["props"]), "label": label}
        haystack = searchable_text(props)
        if phrase in f" {' '.join(search_words(haystack))} ":
            hits.append((_KIND_RANK[_KIND[label]], props["key"], props, haystack, r["doc_ref"]))
    hits.sort(key=lambda h: (h[0], h[1]))  # the word index's order: kind, then key
    ascii_query = exact.isascii()  # typed without diacritics: "exact" can only be text typed so too
    rows = []
    exact_found = 0
    for _rank, key, props, haystack, doc_ref in hits[:scan]:  # search.py's scan counts hits of every kind
        kind = _KIND[props["label"]]
        if kinds and kind not in kinds:
            continue
        is_exact = exact in _printed(haystack)
        exact_found += is_exact
        rows.append(_search_row(key, props, kind, "exact" if is_exact else "folded", doc_ref))
        if len(rows) >= limit and (exact_found >= limit or ascii_query):
            break
    rows.sort(key=lambda r: (r["match"] != "exact", _KIND_RANK[r["kind"]], len(r["label"]), r["label"], r["key"]))
    return rows[:limit]


def _search_row(key: str, props: dict[str, Any], kind: str, match: str, doc_ref: str | None) -> dict[str, Any]:
    if kind == "organization":
        return {"kind": kind, "key": key, "label": props["name"], "match": match, "doc_key": None, "ref": None}
    if kind == "document":
        label = props.get("ref") or props.get("title") or (props.get("subject") or "")[:120] or key
        return {"kind": kind, "key": key, "label": label, "match": match, "doc_key": None, "ref": props.get("ref")}
    return {"kind": kind, "key": key, "label": f"{props['task_id']}. {props['text'][:160]}", "match": match,
            "doc_key": props["doc_key"], "ref": doc_ref}


RUNNERS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "who": _who, "cascade": _cascade, "lineage": _lineage, "org": _org, "due": _due, "findings": _findings,
    "search": _search,
}
