"""The embedded graph store: a networkx MultiDiGraph built from a GraphModel, plus indexes.

Node attributes are the record's properties plus "label" (graph/model.py LABELS); an
edge's key is its type and its attributes are its properties. The store is read-only
once built: the app caches one store per library version and every user shares it.

Loading is where the time goes at 100k documents, so the graph is filled directly (the
way MultiDiGraph.add_edge does it, without its per-call checks) and edges without
properties share one empty attribute dict. The indexes the queries need are made here,
once: documents by ref and by source path, tasks of a document in order, organisations
by folded name, tasks by due date; the word index for search is made on the first search.
"""
from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

from ingest.fold import fold_key

from .build import build_graph, without_gc
from .identity import ref_key
from .matching import quick_fold
from .model import (
    CITES,
    DOCUMENT,
    GOAL,
    HAS_TASK,
    LEAD,
    LEVELS,
    ORGANIZATION,
    PART_OF,
    SERVES,
    SUPPORT,
    TASK,
    GraphModel,
    Merge,
    node_properties,
)

_WORD = re.compile(r"[a-z0-9]+")
_EMPTY: dict[str, Any] = {}  # shared by every edge without properties; never written to
_SEARCH_KINDS = (ORGANIZATION, DOCUMENT, TASK)  # the order search ranks kinds in


class EmbeddedStore:
    def __init__(self, graph: nx.MultiDiGraph, findings: list[dict[str, Any]], merges: list[Merge]):
        self.graph = graph
        self.findings = findings  # as the build sorted them
        self.findings_of: dict[str, list[dict[str, Any]]] = {}
        for finding in findings:
            self.findings_of.setdefault(finding.get("doc_key") or "", []).append(finding)
        self.merges = merges
        self._index()

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_model(cls, model: GraphModel, *, consume: bool = False) -> EmbeddedStore:
        # Made with the collector off and frozen after (see without_gc): otherwise the first
        # collection, started by some unlucky question's rows, would walk the store's millions
        # of objects, a second or more at 100k documents.
        with without_gc():
            return cls._from_model(model, consume)

    @classmethod
    def _from_model(cls, model: GraphModel, consume: bool) -> EmbeddedStore:
        """`consume`: empty the model's tables as they are copied, so that a build of 100k
        documents does not hold the model and the graph at once (from_records does this)."""
        graph = nx.MultiDiGraph()
        nodes, succ, pred = graph._node, graph._succ, graph._pred
        for label, table in ((DOCUMENT, model.documents), (TASK, model.tasks),
                             (ORGANIZATION, model.organizations), (GOAL, model.goals)):
            for key, record in table.items():
                # None is left out, as Neo4j leaves out a null property: a million task nodes
                # holding a dozen empty fields each would cost a gigabyte
                props = {k: v for k, v in node_properties(record).items() if v is not None}
                props["label"] = label
                nodes[key] = props
                succ[key] = {}
                pred[key] = {}
            if consume:
                table.clear()
        shared: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
        edges = model.edges
        for edge in _drained(edges) if consume else edges:
            u, v = edge.source, edge.target
            if u not in nodes or v not in nodes:
                continue  # an edge to a node the model does not hold is a build bug, not a crash
            if not edge.properties:
                data = _EMPTY
            elif edge.type in (LEAD,):  # few distinct property sets: share them
                data = shared.setdefault(edge.properties, dict(edge.properties))
            else:
                data = {k: (list(x) if isinstance(x, tuple) else x) for k, x in edge.properties}
            keydict = succ[u].get(v)
            if keydict is None:
                keydict = succ[u][v] = pred[v][u] = {}
            keydict[edge.type] = data
        return cls(graph, list(model.findings), list(model.merges))

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], catalog: Any, corrections: Iterable[Any] = (),
                     **build_options: Any) -> EmbeddedStore:
        return cls.from_model(build_graph(records, catalog, corrections, **build_options), consume=True)

    # -- indexes ------------------------------------------------------------------------
    def _index(self) -> None:
        nodes, succ = self.graph._node, self.graph._succ
        self.by_label: dict[str, list[str]] = {label: [] for label in (DOCUMENT, TASK, ORGANIZATION, GOAL)}
        for key, props in nodes.items():
            self.by_label[props["label"]].append(key)
        for keys in self.by_label.values():
            keys.sort()
        self.docs_by_ref: dict[str, list[str]] = {}
        self.docs_by_path: dict[str, str] = {}
        self.docs_by_file: dict[str, list[str]] = {}  # file name, and file name without suffix → keys
        self.tasks_of: dict[str, list[str]] = {}
        for key in self.by_label[DOCUMENT]:
            props = nodes[key]
            if props.get("ref"):
                self.docs_by_ref.setdefault(ref_key(props["ref"]), []).append(key)
            if props.get("source_path"):
                self.docs_by_path[props["source_path"]] = key
                name = props["source_path"].rsplit("/", 1)[-1]
                self.docs_by_file.setdefault(name, []).append(key)
                if name.split(".")[0] != name:
                    self.docs_by_file.setdefault(name.split(".")[0], []).append(key)
            tasks = [t for t, keys in succ[key].items() if HAS_TASK in keys]
            if tasks:
                self.tasks_of[key] = sorted(tasks, key=lambda t: (nodes[t].get("span_start") or 0, t))
        self.orgs_by_name: dict[str, list[str]] = {}
        for key in self.by_label[ORGANIZATION]:
            props = nodes[key]
            for name in (props["name"], *props.get("aliases", ())):
                bucket = self.orgs_by_name.setdefault(fold_key(name), [])
                if key not in bucket:
                    bucket.append(key)
        due = []
        for key in self.by_label[TASK]:
            when = due_date(nodes[key])
            if when:
                due.append((when[0], key))
        due.sort()
        self.due_dates = [d for d, _ in due]
        self.due_tasks = [k for _, k in due]
        self._below_index()
        self._search: tuple[list[str], list[str], dict[str, array[int]]] | None = None

    @property
    def search_keys(self) -> list[str]:
        return self._search_indexed()[0]

    @property
    def search_text(self) -> list[str]:
        return self._search_indexed()[1]

    @property
    def postings(self) -> dict[str, array[int]]:
        return self._search_indexed()[2]

    def _search_indexed(self) -> tuple[list[str], list[str], dict[str, array[int]]]:
        """The word index, made on the first search: it is half the cost of loading the store
        (every task's words) and only `search` reads it. Made whole, then set at once, so a
        second thread asking meanwhile makes its own rather than reading half of one."""
        if self._search is None:
            self._search = self._search_index()
        return self._search

    def _below_index(self) -> None:
        """What a cascade and `who` walk down, sorted once: the documents citing each document
        (by level, date, ref, key), the tasks serving each goal (by their document's ref,
        then key) and the goals under each goal, so that a query cut at N rows reads N
        entries, and a goal's subgoals are not sorted out of its thousands of tasks."""
        nodes, pred = self.graph._node, self.graph._pred
        self.cited_by: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.served_by: dict[str, list[tuple[str, dict[str, Any]]]] = {}

        def doc_order(item: tuple[str, dict[str, Any]]) -> tuple[Any, ...]:
            doc = nodes[item[0]]
            return (_level_rank(doc.get("level")), doc.get("date") or "", doc.get("ref") or "", item[0])

        def task_order(item: tuple[str, dict[str, Any]]) -> tuple[str, str]:
            return (nodes[nodes[item[0]]["doc_key"]].get("ref") or "", item[0])

        for key in self.by_label[DOCUMENT]:
            citing = [(s, keys[CITES]) for s, keys in pred[key].items() if CITES in keys]
            if citing:
                self.cited_by[key] = sorted(citing, key=doc_order)
        self.parts_below: dict[str, list[str]] = {}  # goal → the goals PART_OF it, by key
        for key in self.by_label[GOAL]:
            serving = [(s, keys[SERVES]) for s, keys in pred[key].items() if SERVES in keys]
            if serving:
                self.served_by[key] = sorted(serving, key=task_order)
            parts = sorted(s for s, keys in pred[key].items() if PART_OF in keys)
            if parts:
                self.parts_below[key] = parts

    def _search_index(self) -> tuple[list[str], list[str], dict[str, array[int]]]:
        """Word → node numbers, for every organisation name, document ref/subject and task text,
        and each node's folded words joined (`search_text`), for checking a phrase in place."""
        search_keys: list[str] = []
        search_text: list[str] = []
        postings: dict[str, array[int]] = {}
        nodes = self.graph._node
        for label in _SEARCH_KINDS:
            for key in self.by_label[label]:
                number = len(search_keys)
                search_keys.append(key)
                words = _WORD.findall(quick_fold(searchable_text(nodes[key])))
                search_text.append(f" {' '.join(words)} ")  # padded: a phrase matches whole words
                for word in set(words):
                    bucket = postings.get(word)
                    if bucket is None:
                        postings[word] = array("i", (number,))
                    else:
                        bucket.append(number)
        return search_keys, search_text, postings

    # -- reading --------------------------------------------------------------------------
    def node(self, key: str) -> dict[str, Any] | None:
        return self.graph._node.get(key)

    def out(self, key: str, rel: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(target, edge properties) of the `rel` edges leaving `key`, in target order."""
        adjacency = self.graph._succ.get(key, {})
        for target in sorted(adjacency):
            data = adjacency[target].get(rel)
            if data is not None:
                yield target, data

    def into(self, key: str, rel: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(source, edge properties) of the `rel` edges reaching `key`, in source order."""
        adjacency = self.graph._pred.get(key, {})
        for source in sorted(adjacency):
            data = adjacency[source].get(rel)
            if data is not None:
                yield source, data

    def label(self, key: str) -> str | None:
        props = self.graph._node.get(key)
        return props["label"] if props else None

    def find_documents(self, text: str) -> list[str]:
        """Documents a user means by a key, a source path (or its end: the file name, or the
        file name without its suffix) or a ref (every document with that ref)."""
        if text in self.graph._node and self.label(text) == DOCUMENT:
            return [text]
        if text in self.docs_by_path:
            return [self.docs_by_path[text]]
        by_ref = self.docs_by_ref.get(ref_key(text))
        if by_ref:
            return list(by_ref)
        name = text.rstrip("/").rsplit("/", 1)[-1]
        found = self.docs_by_file.get(name) or self.docs_by_file.get(name.split(".")[0]) or []
        return sorted(k for k in found if (self.node(k).get("source_path") or "").endswith(text)
                      or "/" not in text)

    def find_organizations(self, name: str) -> list[str]:
        """Organisations by name, diacritic-insensitively: the exact folded name (or alias),
        else every organisation whose name holds all the words given, in order."""
        wanted = fold_key(name)
        exact = self.orgs_by_name.get(wanted)
        if exact:
            return sorted(exact)
        found = {k for folded, keys in self.orgs_by_name.items() if wanted in folded for k in keys}
        return sorted(found)

    def tasks_due_between(self, start: str, end: str) -> list[str]:
        """Tasks whose due date lies in [start, end], ISO days, by date then key."""
        lo = bisect.bisect_left(self.due_dates, start)
        hi = bisect.bisect_right(self.due_dates, end)
        return self.due_tasks[lo:hi]


def _drained(edges: list[Any]) -> Iterator[Any]:
    """The list's items, last first, each dropped from it as it is given (the store, not the
    model, then holds the edges; the order does not matter to a graph of dicts)."""
    while edges:
        yield edges.pop()


def _level_rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def due_date(task: Mapping[str, Any]) -> tuple[str, str] | None:
    """(date, basis) a task is due by: its deadline, else the end of its period unless it
    recurs ("hằng năm" has no one date); None when it has neither."""
    if task.get("deadline"):
        return task["deadline"], "deadline"
    if task.get("period_end") and not task.get("is_recurring"):
        return task["period_end"], "period_end"
    return None


def searchable_text(props: Mapping[str, Any]) -> str:
    label = props["label"]
    if label == ORGANIZATION:
        return " ".join((props["name"], *props.get("aliases", ())))
    if label == DOCUMENT:
        return " ".join(x for x in (props.get("ref"), props.get("subject"), props.get("title"),
                                    props.get("issuer")) if x)
    if label == TASK:
        return props.get("text") or ""
    return " ".join(x for x in (props.get("key"), props.get("title")) if x)


def role_orgs(store: EmbeddedStore, task_key: str, rel: str = LEAD) -> list[str]:
    """Names of the organisations with that role (LEAD or SUPPORT) on a task, by name."""
    names = [store.node(org)["name"] for org, _ in store.out(task_key, rel)]
    return sorted(names)


__all__ = ["SUPPORT", "EmbeddedStore", "due_date", "role_orgs", "searchable_text"]
