"""Parsed-document records + the goal catalog → one GraphModel (pure).

    model = build_graph(Library.open(data).records(), load_catalog(), corrections)

Records are reduced one by one as they stream in (graph/extract.py); then documents are
registered (catalog first), citations resolved to document identities (graph/identity.py;
stubs for what resolves to nothing), organisations resolved (graph/orgs.py), tasks and
their roles written, tasks traced to goals (graph/trace.py), named parts of cited
documents linked task to task (graph/parts.py), and data-quality findings listed
(graph/findings.py). The result does not depend on the order the records come in.
A large build has forked workers (_Workers) find the terms of the tasks' texts as the
records come in, and resolve the tasks' organisation names beside this process; the model
is the same.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from typing import Any

from ingest.vocab import Vocabulary, load_vocabulary

from . import findings as found
from .citing import CitationResolver
from .curated import CuratedCorrections
from .extract import RecordExtract, TaskExtract, extract_record
from .goals import Catalog
from .identity import (
    DocumentIndex,
    date_after,
    ref_key,
    strongest,
)
from .model import (
    CITES,
    HAS_TASK,
    IMPLEMENTS,
    ISSUED_BY,
    LEAD,
    SERVES,
    SUBTASK_OF,
    SUPPORT,
    Edge,
    GraphModel,
    Merge,
    OrganizationNode,
    TaskNode,
)
from .orgs import OrgContext, OrgResolver, ResolvedOrg
from .parts import matching_task, part_refs
from .trace import GoalLink, GoalMatcher, TraceItem, text_terms, trace_tasks

# what graph/parts.py looks for, cheaply: "mục 2", "tiểu mục 2.3", "khoản 1", "phụ lục" ("mục tiêu" is not)
_NAMES_A_PART = re.compile(r"(?:m[uụ]c|kho[aả]n|ph[aầ]n)\s+(?:\d|[ivx]+\b)|ph[uụ] l[uụ]c")
# LEAD properties, shared by every edge that has them (a million tasks, two values)
_IMPLICIT = (("implicit", True),)
_EXPLICIT = (("implicit", False),)
# The citations a document's lineage runs through: it carries out, or rests on, the cited one.
PARENT_RELATIONS = ("implements", "based_on")
# A build that reaches FORK_AT records forks its workers then, while its heap is still small
# (a fork later shares gigabytes that either side's writes would copy). They get work in
# chunks of CHUNK: task texts as the records come in, the organisation names once the
# citations are resolved, when there are at least PARALLEL_FROM distinct ones.
FORK_AT = 4_000
PARALLEL_FROM = 20_000
CHUNK = 2_000


def build_graph(records: Iterable[Mapping[str, Any]], catalog: Catalog, corrections: Iterable[Any] = (),
                *, vocab: Vocabulary | None = None) -> GraphModel:
    """`corrections`: curated corrections (graph/corrections.py): record corrections are
    applied to each record with apply_corrections; those with target "organization" merge
    organisations; those with target "link" confirm or reject a task → goal link."""
    vocab = vocab or load_vocabulary()
    curated = CuratedCorrections(list(corrections))
    with without_gc():
        builder = _Builder(catalog, vocab, OrgResolver(vocab, curated.org_merges))
        try:
            for count, record in enumerate(records, 1):
                builder.add(curated.apply(record))
                if count == FORK_AT:
                    builder.workers.start()
            return builder.finish(curated.links)
        finally:
            builder.workers.stop()


@contextmanager
def without_gc() -> Iterator[None]:
    """The cyclic garbage collector off while millions of objects are made and none freed:
    its passes over every live object would otherwise cost more than the build itself. The
    objects made here form no cycles that outlive the build; the collector is back after.

    What is alive at the end is frozen (gc.freeze) before the collector comes back: made with
    it off, those millions of objects all sit in its youngest generation, and the first
    collection after would walk every one (2–4 s at 100k documents). Frozen objects are still
    freed when nothing refers to them; only a cycle among them would never be collected."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class _Builder:
    def __init__(self, catalog: Catalog, vocab: Vocabulary, orgs: OrgResolver):
        self.catalog = catalog
        self.vocab = vocab
        self.orgs = orgs
        self.extracts: dict[str, RecordExtract] = {}
        self.dropped: dict[str, list[RecordExtract]] = {}  # document key → the other files of that identity
        self.model = GraphModel()
        self.index = DocumentIndex()
        self.org_names: dict[str, dict[str, int]] = {}  # key → resolved name → count
        self.org_aliases: dict[tuple[str, str], str] = {}  # (key, printed name) → why it is that body
        self.org_info: dict[str, ResolvedOrg] = {}
        self.cites: dict[tuple[str, str], dict[str, Any]] = {}
        self.findings = found.Findings()
        self.citations = CitationResolver(catalog, vocab, orgs, self.index, self.findings)
        self.resolved = self.citations.resolved  # (doc key, citation index) → target key
        self.matcher = GoalMatcher.from_catalog(catalog.goals, catalog.meta, frozenset(vocab.org_by_key))
        self.workers = _Workers(orgs, self.matcher, vocab)
        self.terms = _TermsAhead(self.workers)

    # -- records --------------------------------------------------------------------
    def add(self, record: Mapping[str, Any]) -> None:
        extract = extract_record(record, self.vocab, self.orgs, self.catalog.by_ref)
        self.terms.queue(extract)
        key = extract.node.key
        previous = self.extracts.get(key)
        if previous is None:
            self.extracts[key] = extract
            return
        # two files of one identity: the graph keeps the one with the best rank (more tasks,
        # then path), whatever order they came in; the others are findings
        others = self.dropped.setdefault(key, [])
        kept, dropped = sorted((previous, extract), key=lambda e: e.rank)
        self.extracts[key] = kept
        others.append(dropped)

    # -- the rest, once every record is in ---------------------------------------------
    def finish(self, curated_links: Mapping[tuple[str, str], str]) -> GraphModel:
        model = self.model
        self.terms.flush()
        model.goals.update(self.catalog.goals)
        for node in self.catalog.documents.values():
            self.index.add_document(node)
        model.edges += self.catalog.edges
        for key in sorted(self.extracts):
            self.index.add_document(self.extracts[key].node)
        for key, dropped in self.dropped.items():
            for other in dropped:
                self.findings.duplicate(self.extracts[key], other)
        self.citations.resolve_all(self.extracts)
        self._central_external_cites()
        self._resolve_task_orgs()
        known_terms = self.terms.answers()
        # the tasks' goal links need the citations, not the tasks' nodes: in a large build a
        # forked child finds them while this process writes the tasks
        self.workers.stop()
        tracing = _Child.start(self._links_in_child, curated_links, known_terms) if self.workers.used else None
        try:
            self._write_documents()
            self._write_tasks()
            self._write_cites()
            self._infer_stub_parents()
            traced = tracing.result() if tracing else None
        except BaseException:
            if tracing:
                tracing.close()
            raise
        links, naming_parts = traced or self._goal_links(curated_links, known_terms)
        self._write_implements(naming_parts)
        self._write_links(links, curated_links)
        model.merges = sorted(set(self.index.merges), key=lambda m: (m.kept, m.merged)) + self._org_merges()
        model.organizations = self._organizations()
        model.findings = self.findings.sorted()
        return model

    def _resolve_task_orgs(self) -> None:
        """The organisations the tasks name, in their documents' contexts (final once the
        citations have lent documents their provinces): shared between the workers and this
        process, the answers kept in the resolver's cache for _write_tasks."""
        requests = self.orgs.pending((name.canonical, self.extracts[key].context) for key in sorted(self.extracts)
                                     for task in self.extracts[key].tasks for name in (*task.lead, *task.support))
        pairs = list(requests.values())
        if self.workers.pool is None or len(pairs) < PARALLEL_FROM:
            return  # each is resolved when _write_tasks first asks for it
        keys = list(requests)
        chunks = [(i, min(i + CHUNK, len(pairs))) for i in range(0, len(pairs), CHUNK)]
        sent = [self.workers.apply(_resolve_names, pairs[a:b]) for a, b in chunks]
        # The workers take the chunks from the first (after the task texts still queued), this
        # process from the last, until it reaches those they are at: neither waits for the other.
        last = len(chunks)
        while last > 0 and last - 1 > sum(1 for answer in sent[:last] if answer.ready()) + self.workers.count:
            last -= 1
            a, b = chunks[last]
            for name, ctx in pairs[a:b]:
                self.orgs.resolve(name, ctx)
        for (a, b), answer in zip(chunks[:last], sent[:last], strict=True):
            self.orgs.learn(keys[a:b], answer.get())

    def _central_external_cites(self) -> None:
        for cite in self.catalog.external_cites:
            source = self.index.nodes[cite.source]
            resolution = self.index.resolve(cite.cited, source)
            target = resolution.key or self.index.add_stub(cite.cited, None, "central")
            self._add_cite(cite.source, target, cite.relation, None, "catalog")

    # -- nodes and edges ------------------------------------------------------------------
    def _org(self, org: ResolvedOrg, printed: str) -> str:
        names = self.org_names.setdefault(org.key, {})
        names[org.name] = names.get(org.name, 0) + 1
        if printed != org.name and (org.key, printed) not in self.org_aliases:
            self.org_aliases[(org.key, printed)] = org.reason or "another spelling of the same body"
        known = self.org_info.get(org.key)
        if known is None or (known.level is None and org.level):
            self.org_info[org.key] = org
        return org.key

    def _write_documents(self) -> None:
        model = self.model
        for key, node in sorted(self.index.nodes.items()):
            extract = self.extracts.get(key)
            model.documents[key] = node
            if extract is not None and extract.issuer is not None:
                model.edges.append(Edge(key, self._org(extract.issuer, node.issuer or extract.issuer.name), ISSUED_BY))
            elif node.issuer and (node.is_stub or node.is_central):
                org = self.orgs.resolve(node.issuer, OrgContext(node.province))
                model.edges.append(Edge(key, self._org(org, node.issuer), ISSUED_BY))
            if extract is not None and not extract.tasks:
                self.findings.no_tasks(extract)
            if extract is not None:
                self.findings.parser_warnings(extract)

    def _write_tasks(self) -> None:
        self.task_keys: dict[str, list[str]] = {}
        for doc_key in sorted(self.extracts):
            extract = self.extracts[doc_key]
            keys = _task_keys(doc_key, extract.tasks)
            self.task_keys[doc_key] = keys
            parents = _parents(extract.tasks)
            for i, task in enumerate(extract.tasks):
                self._write_task(extract, keys, i, task, parents.get(i))

    def _write_task(self, extract: RecordExtract, keys: list[str], i: int, task: TaskExtract,
                    parent: int | None) -> None:
        model = self.model
        key = keys[i]
        heading = _heading(extract.tasks, i, parent)
        deadline = task.deadline if task.deadline and len(task.deadline) == 10 else None
        model.tasks[key] = TaskNode(
            key=key, doc_key=extract.node.key, task_id=task.task_id, text=task.text, deadline=deadline,
            deadline_text=task.deadline_text, period_start=task.period[0] if task.period else None,
            period_end=task.period[1] if task.period else None, is_recurring=task.is_recurring,
            span_start=task.span[0] if task.span else None, span_end=task.span[1] if task.span else None,
            heading=heading)
        model.edges.append(Edge(extract.node.key, key, HAS_TASK))
        if parent is not None:
            model.edges.append(Edge(key, keys[parent], SUBTASK_OF))
        if deadline and extract.node.date and date_after(extract.node.date, deadline):
            self.findings.deadline_before_issue(extract, key, task)
        seen: set[tuple[str, str]] = set()
        lead_props = _IMPLICIT if task.implicit_lead else _EXPLICIT
        for role, names, props in ((LEAD, task.lead, lead_props), (SUPPORT, task.support, ())):
            for name in names:
                org = self.orgs.resolve(name.canonical, extract.context, generic=name.is_generic)
                org_key = self._org(org, name.printed)
                if (role, org_key) not in seen and not (role == SUPPORT and (LEAD, org_key) in seen):
                    seen.add((role, org_key))
                    model.edges.append(Edge(key, org_key, role, props))

    def _add_cite(self, source: str, target: str, relation: str, span: tuple[int, int] | None, how: str,
                  evidence: str | None = None, inferred: bool = False) -> None:
        target = self.index.canonical(target)
        if source == target:
            return
        edge = self.cites.setdefault((source, target), {
            "relations": [], "span_start": span[0] if span else None, "span_end": span[1] if span else None,
            "resolved_by": how, "is_inferred": inferred, "evidence": evidence})
        if relation not in edge["relations"]:
            edge["relations"].append(relation)
        if not inferred:
            edge["is_inferred"] = False

    def _write_cites(self) -> None:
        for doc_key in sorted(self.extracts):
            extract = self.extracts[doc_key]
            for i, citation in enumerate(extract.citations):
                target = self.resolved.get((doc_key, i))
                if target is None:
                    continue
                target_node = self.index.nodes[self.index.canonical(target)]
                how = "stub" if target_node.is_stub else ("catalog" if target_node.is_central else "identity")
                self._add_cite(doc_key, target, citation.relation, citation.span, how)
                if target_node.is_stub and not target_node.is_central and target_node.level != "central":
                    self.findings.unresolved(extract, citation, target_node.key)
        # catalog edges are already in the model; those from records are written here
        for (source, target), props in sorted(self.cites.items()):
            rels = props["relations"]
            self.model.edges.append(Edge(source, target, CITES, (
                ("relation", strongest(rels)), ("relations", sorted(rels)), ("span_start", props["span_start"]),
                ("span_end", props["span_end"]), ("resolved_by", props["resolved_by"]),
                ("is_inferred", props["is_inferred"]), ("evidence", props["evidence"]))))

    def _infer_stub_parents(self) -> None:
        """A stub cited next to a central document it is younger than presumably carries it
        out: seed 001 writes "Nghị quyết số 57-NQ/TW … theo Công văn số 591-CV/TU"."""
        existing = {(e.source, e.target) for e in self.model.edges if e.type == CITES}
        inferred: dict[tuple[str, str], str] = {}
        for doc_key in sorted(self.extracts):
            extract = self.extracts[doc_key]
            for co in extract.cocitations:
                local = self.resolved.get((doc_key, co.local))
                central = self.resolved.get((doc_key, co.central))
                if not local or not central:
                    continue
                local, central = self.index.canonical(local), self.index.canonical(central)
                stub, parent = self.index.nodes[local], self.index.nodes[central]
                if not stub.is_stub or not parent.is_central or (local, central) in existing:
                    continue
                if stub.date and parent.date and date_after(parent.date, stub.date):
                    continue
                inferred.setdefault((local, central), f"{extract.node.ref or doc_key}: “{co.snippet}”")
        for (local, central), evidence in sorted(inferred.items()):
            self.model.edges.append(Edge(local, central, CITES, (
                ("relation", "implements"), ("relations", ["implements"]), ("span_start", None), ("span_end", None),
                ("resolved_by", "co-citation"), ("is_inferred", True), ("evidence", evidence))))

    # -- goals and task → task links ------------------------------------------------------
    def _parents_of(self) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = {}
        for edge in self.model.edges:
            if edge.type == CITES and set(edge.props()["relations"]) & set(PARENT_RELATIONS):
                parents.setdefault(edge.source, []).append(edge.target)
        return parents

    def _central_ancestors(self) -> dict[str, frozenset[str]]:
        parents = self._parents_of()
        memo: dict[str, frozenset[str]] = {}
        docs = self.index.nodes  # what _write_documents copies into the model

        def visit(key: str, stack: set[str]) -> frozenset[str]:
            if key in memo:
                return memo[key]
            if key in stack:
                return frozenset()
            stack.add(key)
            out: set[str] = set()
            for parent in parents.get(key, ()):
                if docs.get(parent) is not None and docs[parent].is_central:
                    out.add(parent)
                out |= visit(parent, stack)
            stack.discard(key)
            memo[key] = frozenset(out)
            return memo[key]

        import sys
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
        return {key: visit(key, set()) for key in self.extracts}

    def _links_in_child(self, curated_links: Mapping[tuple[str, str], str],
                        known_terms: Mapping[str, frozenset[int]] | None
                        ) -> tuple[list[GoalLink], list[tuple[str, int]]]:
        # on the child's copy: the citation edges the ancestors are read from, as the parent
        # writes them (the rest of the copy is thrown away)
        self._write_cites()
        self._infer_stub_parents()
        return self._goal_links(curated_links, known_terms)

    def _goal_links(self, curated_links: Mapping[tuple[str, str], str],
                    known_terms: Mapping[str, frozenset[int]] | None
                    ) -> tuple[list[GoalLink], list[tuple[str, int]]]:
        """Every task's goal links (trace_tasks), from the extracts, the citations and their
        edges alone: the tasks' nodes need not be written yet. Also the tasks (document key,
        index) that name parts of cited documents, in order, for _write_implements."""
        catalog, nodes = self.catalog, self.index.nodes
        ancestors = self._central_ancestors()
        goals_of: dict[str, set[str]] = {}
        for goal in catalog.goals.values():
            goals_of.setdefault(goal.doc_key or "", set()).add(goal.key)
        for doc_key, goal_ids in catalog.serves_goals.items():
            goals_of.setdefault(doc_key, set()).update(goal_ids)
        candidate_cache: dict[frozenset[str], frozenset[str]] = {}
        items: list[TraceItem] = []
        naming_parts: list[tuple[str, int]] = []
        default_doc = catalog.by_ref.get(ref_key("57-NQ/TW"))
        for doc_key in sorted(self.extracts):
            extract = self.extracts[doc_key]
            central = ancestors.get(doc_key, frozenset())
            if central not in candidate_cache:
                candidate_cache[central] = frozenset(g for d in central for g in goals_of.get(d, ()))
            named = tuple(sorted((ref_key(nodes[d].ref or ""), d) for d in central if nodes[d].ref))
            cited = self._cited_refs(extract)
            keys = _task_keys(doc_key, extract.tasks)
            parents = _parents(extract.tasks)
            for i, task in enumerate(extract.tasks):
                parts = tuple(label for _, _, label in self._parts_named(task, cited))
                if parts:
                    naming_parts.append((doc_key, i))
                items.append(TraceItem(keys[i], task.text, _heading(extract.tasks, i, parents.get(i)),
                                       candidate_cache[central], named, parts))
        return trace_tasks(items, self.matcher, self.vocab, curated_links, default_doc, known_terms), naming_parts

    def _write_links(self, links: list[GoalLink], curated_links: Mapping[tuple[str, str], str]) -> None:
        model = self.model
        links = [link for link in links if link.task_key in model.tasks]
        links += _through_implemented_tasks(model, links, curated_links)
        for link in links:
            model.edges.append(Edge(link.task_key, link.goal, SERVES, (
                ("score", link.score), ("method", link.method), ("evidence", list(link.evidence)))))

    def _write_implements(self, naming_parts: list[tuple[str, int]]) -> None:
        cited: dict[str, str] = {}
        for n, (doc_key, i) in enumerate(naming_parts):
            extract = self.extracts[doc_key]
            if n == 0 or naming_parts[n - 1][0] != doc_key:
                cited = self._cited_refs(extract)
            self._implements(extract, self.task_keys[doc_key][i], extract.tasks[i], cited)

    def _cited_refs(self, extract: RecordExtract) -> dict[str, str]:
        out = {}
        for i, citation in enumerate(extract.citations):
            target = self.resolved.get((extract.node.key, i))
            if citation.ref and target:
                out[ref_key(citation.ref)] = self.index.canonical(target)
        return out

    def _parts_named(self, task: TaskExtract, cited: dict[str, str]) -> list[tuple[Any, str | None, str]]:
        """The parts of cited documents the task names: (part, the document it names, label)."""
        if not _NAMES_A_PART.search(task.text.lower()):
            return []
        out = []
        for part in part_refs(task.text, list(cited)):
            target_doc = cited.get(part.ref_key or "") if part.ref_key else None
            out.append((part, target_doc, part.phrase + (f" of {self.index.nodes[target_doc].ref}" if target_doc else "")))
        return out

    def _implements(self, extract: RecordExtract, task_key: str, task: TaskExtract, cited: dict[str, str]) -> None:
        """IMPLEMENTS edges for the parts of cited documents the task names."""
        for part, target_doc, _label in self._parts_named(task, cited):
            doc_keys = [target_doc] if part.ref_key else self._implemented_docs(extract, cited)
            for doc_key in doc_keys:
                ids = [self.model.tasks[k].task_id for k in self.task_keys.get(doc_key, [])]
                hit = matching_task(part, ids)
                if hit is None and target_doc == doc_key and self.model.documents[doc_key].is_stub:
                    hit = self._stub_task(doc_key, part.ids[0], part.phrase)
                if hit is not None:
                    self.model.edges.append(Edge(task_key, self.task_keys[doc_key][hit], IMPLEMENTS,
                                                 (("evidence", part.phrase),)))
                    break

    def _stub_task(self, doc_key: str, task_id: str, phrase: str) -> int:
        """The named part of a cited-only document, as a task of its stub: when the document is
        ingested, the part is its task of that id and the IMPLEMENTS edge goes there instead."""
        key = f"{doc_key}#{task_id}"
        keys = self.task_keys.setdefault(doc_key, [])
        if key not in self.model.tasks:
            self.model.tasks[key] = TaskNode(key=key, doc_key=doc_key, task_id=task_id, text=phrase, is_stub=True)
            self.model.edges.append(Edge(doc_key, key, HAS_TASK))
            keys.append(key)
        return keys.index(key)

    def _implemented_docs(self, extract: RecordExtract, cited: dict[str, str]) -> list[str]:
        keys = []
        for i, citation in enumerate(extract.citations):
            target = self.resolved.get((extract.node.key, i))
            if citation.relation == "implements" and target and self.index.canonical(target) in self.task_keys:
                keys.append(self.index.canonical(target))
        return keys

    # -- organisations ----------------------------------------------------------------------
    def _organizations(self) -> dict[str, OrganizationNode]:
        aliases: dict[str, set[str]] = {}
        for key, printed in self.org_aliases:
            aliases.setdefault(key, set()).add(printed)
        out = {}
        for key in sorted(self.org_names):
            names = self.org_names[key]
            shown = min(names, key=lambda n: (-names[n], n))
            info = self.org_info[key]
            others = sorted((aliases.get(key, set()) | set(names)) - {shown})[:20]
            out[key] = OrganizationNode(key=key, name=shown, aliases=tuple(others), level=info.level,
                                        province=info.province, branch=info.branch, is_generic=info.is_generic)
        return out

    def _org_merges(self) -> list[Merge]:
        """One record per printed name that resolved to a body of another name."""
        return [Merge(key, printed, reason) for (key, printed), reason in sorted(self.org_aliases.items())]


class _Workers:
    """Forked processes for the pure work of a large build, one per CPU but the build's own (at
    most four): what a string alone decides (an organisation name in a context, a task text's
    terms). They hold
    the resolver, matcher and vocabulary as they were at the fork; the answers come back in
    the order asked, so the build is the same as one made in a single process."""

    def __init__(self, orgs: OrgResolver, matcher: GoalMatcher, vocab: Vocabulary):
        self.state = (orgs, matcher, vocab)
        self.pool: Any = None
        self.count = 0
        self.used = False  # a pool was started: the build is large, and may fork

    def start(self) -> None:
        # one CPU is the build's own: it stays on the critical path, and a worker more than the
        # CPUs left would take its time slices (two workers on two CPUs made it 25 % slower)
        count = min((os.cpu_count() or 1) - 1, 4)
        # a fork copies no thread but every lock another thread may hold (a server's, a logger's):
        # a process with other threads (the explorer's) builds alone rather than risk a stuck worker
        if count < 1 or "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
            return
        global _FORKED
        _FORKED = self.state
        self.pool = multiprocessing.get_context("fork").Pool(count)
        self.count = count
        self.used = True

    def apply(self, function: Any, items: list[Any]) -> AsyncResult[list[Any]]:
        """`function(items)` in a worker; the answers come in the order of `items`."""
        return self.pool.apply_async(function, (items,))

    def stop(self) -> None:
        global _FORKED
        if self.pool is not None:
            self.pool.terminate()  # every answer has been read, or the build failed
            self.pool.join()
            self.pool = None
            self.count = 0
            _FORKED = None


_FORKED: tuple[OrgResolver, GoalMatcher, Vocabulary] | None = None  # what a forked worker inherits


class _Child:
    """A function run in a forked copy of this process, its answer sent back through a pipe:
    the copy shares every page the parent has not written since, so nothing is pickled on the
    way in. Only where a fork is safe (no other thread, whose locks the copy would inherit)."""

    def __init__(self, process: Any, reader: Any):
        self.process, self.reader = process, reader

    @classmethod
    def start(cls, function: Any, *args: Any) -> _Child | None:
        if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
            return None
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)

        def run() -> None:
            reader.close()
            writer.send(function(*args))
            writer.close()

        process = context.Process(target=run, daemon=True)
        process.start()
        writer.close()
        return cls(process, reader)

    def result(self) -> Any | None:
        """The function's answer; None when the child failed (the caller works it out itself)."""
        try:
            return self.reader.recv()
        except (EOFError, OSError):
            return None
        finally:
            self.reader.close()
            self.process.join()

    def close(self) -> None:
        """Stop the child if it still runs (the build failed before asking for its answer)."""
        self.reader.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


class _TermsAhead:
    """The goal terms of every task text and heading, found by the workers as the records come
    in: they depend on the text alone, and the workers are idle until the citations are
    resolved. Without workers, nothing is sent and trace_tasks finds the terms itself."""

    def __init__(self, workers: _Workers):
        self.workers = workers
        self.seen: set[str] = set()
        self.waiting: list[str] = []  # texts not sent yet (all of them until the workers start)
        self.sent: list[tuple[list[str], AsyncResult[list[frozenset[int]]]]] = []

    def queue(self, extract: RecordExtract) -> None:
        seen, waiting = self.seen, self.waiting
        for task in extract.tasks:
            for text in (task.text, task.heading):
                if text and text not in seen:
                    seen.add(text)
                    waiting.append(text)
        if len(waiting) >= CHUNK and self.workers.pool is not None:
            self.flush()

    def flush(self) -> None:
        if self.workers.pool is None or not self.waiting:
            return
        for i in range(0, len(self.waiting), CHUNK):
            chunk = self.waiting[i:i + CHUNK]
            self.sent.append((chunk, self.workers.apply(_text_terms, chunk)))
        self.waiting = []

    def answers(self) -> dict[str, frozenset[int]] | None:
        if not self.sent:
            return None
        out: dict[str, frozenset[int]] = {}
        for chunk, answer in self.sent:
            out.update(zip(chunk, answer.get(), strict=True))
        return out


def _resolve_names(requests: list[tuple[str, OrgContext]]) -> list[ResolvedOrg]:
    orgs = _FORKED[0]
    return [orgs.resolve(name, ctx) for name, ctx in requests]


def _text_terms(texts: list[str]) -> list[frozenset[int]]:
    _, matcher, vocab = _FORKED
    spelling = matcher.spelling
    return [text_terms(text, matcher, vocab, spelling) for text in texts]


def _through_implemented_tasks(model: GraphModel, links: list[GoalLink],
                               curated: Mapping[tuple[str, str], str]) -> list[GoalLink]:
    """A task that carries out a named part of a cited document serves what that part serves:
    "… theo kết luận tại điểm c tiểu mục 2.1 mục 2 Thông báo số 07-TB/BCĐ" → the goals of 2.1.c.
    Method "explicit"; the words naming the part, and the task carried out, are the evidence."""
    by_task: dict[str, list[GoalLink]] = {}
    for link in links:
        by_task.setdefault(link.task_key, []).append(link)
    added: list[GoalLink] = []
    given: dict[str, set[str]] = {}
    for edge in model.edges:
        if edge.type != IMPLEMENTS:
            continue
        have = given.setdefault(edge.source, {link.goal for link in by_task.get(edge.source, ())})
        target = model.tasks[edge.target]
        ref = model.documents[target.doc_key].ref or target.doc_key
        for link in by_task.get(edge.target, ()):
            if link.goal in have or curated.get((edge.source, link.goal)) == "reject":
                continue
            have.add(link.goal)
            added.append(GoalLink(edge.source, link.goal, "explicit", link.score, (
                f"names {edge.props()['evidence']} of {ref}", f"which is task {target.task_id}, linked {link.method}",
                *link.evidence)))
    return added


def _heading(tasks: tuple[TaskExtract, ...], i: int, parent: int | None) -> str | None:
    """The heading a task is read under: its own, else its parent item's text when short."""
    heading = tasks[i].heading
    if heading is None and parent is not None and len(tasks[parent].text) < 250:
        heading = tasks[parent].text
    return heading


def _task_keys(doc_key: str, tasks: tuple[TaskExtract, ...]) -> list[str]:
    """doc key + "#" + the task's id; a repeated id gets "~2", "~3" in document order."""
    seen: dict[str, int] = {}
    keys = []
    for task in tasks:
        n = seen.get(task.task_id, 0) + 1
        seen[task.task_id] = n
        keys.append(f"{doc_key}#{task.task_id}" + (f"~{n}" if n > 1 else ""))
    return keys


def _parents(tasks: tuple[TaskExtract, ...]) -> dict[int, int]:
    """Index of each task's parent: the nearest earlier task carrying the parent's id."""
    out: dict[int, int] = {}
    last: dict[str, int] = {}
    for i, task in enumerate(tasks):
        if task.parent is not None and task.parent in last:
            out[i] = last[task.parent]
        last[task.task_id] = i
    return out
