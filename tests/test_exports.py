"""exports/cascade_graph.py: what a cascade diagram draws, on the sample store (issue 5)."""
from __future__ import annotations

from collections import Counter

import pytest

from exports import ExportError
from exports.cascade_graph import CascadeGraph, build_cascade_graph
from queries import QueryError, cascade, who

GOAL = "57.SOL.1"
ALL = 10_000  # a cap nothing in the sample reaches


def keys_of(graph: CascadeGraph, kind: str) -> list[str]:
    return [n.key for n in graph.nodes if n.kind == kind]


def children(graph: CascadeGraph, key: str, kind: str | None = None) -> list[str]:
    below = [e.target for e in graph.edges if e.source == key]
    return [k for k in below if kind is None or graph.node(k).kind == kind]


def doc_key(store, ref: str) -> str:
    (key,) = store.find_documents(ref)
    return key


def assert_well_formed(graph: CascadeGraph) -> None:
    keys = [n.key for n in graph.nodes]
    assert len(keys) == len(set(keys))
    assert all(e.source in keys and e.target in keys for e in graph.edges)
    assert not [e for e in graph.edges if e.source == e.target]


def test_a_goal_draws_every_unit_who_names(sample_store) -> None:
    graph = build_cascade_graph(sample_store, GOAL, max_children=ALL, max_tasks=None)
    assert_well_formed(graph)
    units = {r["organization"] for r in who.run(sample_store, target=GOAL) if r["organization"]}
    drawn = {n.label for n in graph.nodes if n.kind == "organization"}
    assert drawn == units
    assert "Trung tâm Tin học và Công báo tỉnh Lai Châu" in drawn
    rows = cascade.run(sample_store, target=GOAL, max_children=ALL, max_tasks=ALL)
    assert set(keys_of(graph, "document")) == {r["key"] for r in rows if r["row"] == "document"}
    assert set(keys_of(graph, "task")) == {r["key"] for r in rows if r["row"] == "task"}
    assert keys_of(graph, "goal") == [GOAL] and not keys_of(graph, "more")


def test_a_task_leads_to_its_lead_and_support_units(sample_store) -> None:
    graph = build_cascade_graph(sample_store, GOAL, max_children=ALL, max_tasks=None)
    task = next(r["task_key"] for r in who.run(sample_store, target=GOAL)
                if r["task_text"].startswith("Giao Trung tâm Tin học và Công báo"))
    roles = {(graph.node(e.target).label, e.relation) for e in graph.edges if e.source == task}
    assert roles == {("Trung tâm Tin học và Công báo tỉnh Lai Châu", "lead"),
                     ("Trung tâm Phục vụ hành chính công tỉnh Lai Châu", "support")}
    document = next(e.source for e in graph.edges if e.target == task)
    assert graph.node(document).kind == "document" and task.startswith(document + "#")


def test_a_goal_s_documents_hang_under_the_document_they_implement(sample_store) -> None:
    graph = build_cascade_graph(sample_store, GOAL, max_children=ALL, max_tasks=None)
    programme, plan = doc_key(sample_store, "69-CTr/TU"), doc_key(sample_store, "95/KH-UBND")
    assert any(e.source == programme and e.target == plan and e.relation == "implements" for e in graph.edges)
    assert any(e.source == GOAL and e.target == programme for e in graph.edges)
    assert "95/KH-UBND\nỦy ban nhân dân tỉnh Lạng Sơn, 22/04/2025" == graph.node(plan).label


def test_the_cap_leaves_one_more_node_with_the_count(sample_store) -> None:
    root = doc_key(sample_store, "57-NQ/TW")
    rows = cascade.run(sample_store, target="57-NQ/TW", depth=1, max_children=ALL, max_tasks=ALL)
    below = [r for r in rows if r["row"] == "document" and r["depth"] == 1]
    tasks = len(sample_store.tasks_of.get(root, ()))
    assert len(below) > 12  # the sample has enough to cut
    graph = build_cascade_graph(sample_store, "57-NQ/TW", depth=1, max_children=12)
    assert_well_formed(graph)
    assert len(children(graph, root, "document")) == 12
    assert children(graph, root, "document") == [r["key"] for r in below[:12]]  # the query's order
    more = graph.node("more:" + root)
    expected = len(below) - 12 + max(tasks - 12, 0)
    assert (more.kind, more.more, more.label, more.expandable) == ("more", expected, f"còn {expected} mục nữa", True)
    assert "more:" + root in children(graph, root)
    assert graph.node(root).expandable


def test_a_more_key_in_expand_shows_the_whole_list(sample_store) -> None:
    root = doc_key(sample_store, "57-NQ/TW")
    graph = build_cascade_graph(sample_store, "57-NQ/TW", depth=1, max_children=12, expand=["more:" + root])
    rows = cascade.run(sample_store, target="57-NQ/TW", depth=1, max_children=ALL, max_tasks=ALL)
    assert len(children(graph, root, "document")) == sum(r["row"] == "document" and r["depth"] == 1 for r in rows)
    assert graph.node("more:" + root) is None


def test_a_document_key_in_expand_shows_all_its_tasks(sample_store) -> None:
    programme, plan = doc_key(sample_store, "69-CTr/TU"), doc_key(sample_store, "95/KH-UBND")
    tasks = len(sample_store.tasks_of[plan])
    capped = build_cascade_graph(sample_store, "69-CTr/TU", depth=1, max_children=5)
    assert plan in children(capped, programme, "document")
    assert len(children(capped, plan, "task")) == 5
    assert capped.node("more:" + plan).more == tasks - 5
    opened = build_cascade_graph(sample_store, "69-CTr/TU", depth=1, max_children=5, expand=[plan])
    assert len(children(opened, plan, "task")) == tasks
    assert opened.node("more:" + plan) is None
    # the rest of the diagram is as it was
    assert children(opened, programme) == children(capped, programme)


def test_a_wide_tree_is_cut_per_citation_step_too(sample_store) -> None:
    rows = cascade.run(sample_store, target="57-NQ/TW", depth=3, max_children=ALL, max_tasks=0)
    depth = {r["key"]: r["depth"] for r in rows if r["row"] == "document"}
    assert Counter(depth.values())[2] > 4  # more documents two steps down than one list may show
    graph = build_cascade_graph(sample_store, "57-NQ/TW", max_children=4, max_tasks=None)
    assert_well_formed(graph)
    drawn = [n.key for n in graph.nodes if n.kind == "document"]
    assert Counter(depth[k] for k in drawn) == {0: 1, 1: 4, 2: 4}
    for doc in drawn:  # whatever was cut below a document is counted on its "more" node
        children_cut = sum(1 for r in rows if r["row"] == "document" and r["parent"] == doc and r["key"] not in drawn)
        tasks_cut = max(len(sample_store.tasks_of.get(doc, ())) - 4, 0)
        more = graph.node("more:" + doc)
        assert (more.more if more else 0) == children_cut + tasks_cut, doc


def test_max_tasks_bounds_the_whole_diagram(sample_store) -> None:
    programme = doc_key(sample_store, "69-CTr/TU")
    graph = build_cascade_graph(sample_store, "69-CTr/TU", depth=1, max_tasks=10)
    assert len(keys_of(graph, "task")) == 10
    assert len(children(graph, programme, "task")) == 10  # the top document's tasks come first
    assert graph.node("more:" + programme).more == len(sample_store.tasks_of[programme]) - 10
    plan = doc_key(sample_store, "95/KH-UBND")
    assert graph.node("more:" + plan).more == len(sample_store.tasks_of[plan])
    opened = build_cascade_graph(sample_store, "69-CTr/TU", depth=1, max_tasks=10, expand=[plan])
    assert len(children(opened, plan, "task")) == len(sample_store.tasks_of[plan])  # asked for: drawn whole


def test_collapse_by_level(sample_store) -> None:
    rows = cascade.run(sample_store, target=GOAL, max_children=ALL, max_tasks=ALL)
    per_level = Counter(r["level"] for r in rows if r["row"] == "document")
    graph = build_cascade_graph(sample_store, GOAL, collapse="level")
    assert_well_formed(graph)
    groups = {n.key: n for n in graph.nodes if n.key.startswith("level:")}
    assert {k: n.more for k, n in groups.items()} == {f"level:{lvl}": n for lvl, n in per_level.items()}
    assert groups["level:province"].label == f"Cấp tỉnh: {per_level['province']} văn bản"
    assert all(n.expandable for n in groups.values())
    assert not keys_of(graph, "document") and not keys_of(graph, "task")

    opened = build_cascade_graph(sample_store, GOAL, collapse="level", expand=["level:province"])
    provincial = [n for n in opened.nodes if n.kind == "document"]
    assert len(provincial) == per_level["province"] and {n.level for n in provincial} == {"province"}
    assert opened.node("level:province") is None and opened.node("level:department") is not None
    assert keys_of(opened, "task")  # an opened level shows its documents' tasks


def test_collapse_by_unit(sample_store) -> None:
    rows = cascade.run(sample_store, target="57-NQ/TW", depth=3, max_children=ALL, max_tasks=0)
    below = [r for r in rows if r["row"] == "document" and r["depth"] > 0]
    graph = build_cascade_graph(sample_store, "57-NQ/TW", collapse="unit", max_children=ALL)
    assert_well_formed(graph)
    units = [n for n in graph.nodes if n.key.startswith("unit:")]
    assert sum(n.more for n in units) == len(below)
    assert all(n.kind == "organization" and n.expandable for n in units)
    lang_son = next(n for n in units if n.key == "unit:province:uy ban nhan dan tinh lang son")
    assert lang_son.label.startswith("Ủy ban nhân dân tỉnh Lạng Sơn (") and lang_son.more >= 2

    capped = build_cascade_graph(sample_store, "57-NQ/TW", collapse="unit", max_children=2)
    provincial = [n for n in capped.nodes if n.key.startswith("unit:province:")]
    all_provincial = [n for n in units if n.key.startswith("unit:province:")]
    assert len(provincial) == 2
    assert capped.node("more:level:province").more == len(all_provincial) - 2


def test_the_same_call_gives_the_same_graph(sample_store) -> None:
    first = build_cascade_graph(sample_store, "69-CTr/TU", depth=2)
    assert first == build_cascade_graph(sample_store, "69-CTr/TU", depth=2)
    assert first.title == "Văn bản 69-CTr/TU" and first.target == "69-CTr/TU"
    assert build_cascade_graph(sample_store, GOAL).title.startswith("Mục tiêu 57.SOL.1: Nâng cao nhận thức")


def test_bad_arguments_are_refused(sample_store) -> None:
    with pytest.raises(QueryError, match="99.NOPE"):
        build_cascade_graph(sample_store, "99.NOPE")
    with pytest.raises(ExportError, match="collapse"):
        build_cascade_graph(sample_store, GOAL, collapse="province")
    with pytest.raises(ExportError, match="max_children"):
        build_cascade_graph(sample_store, GOAL, max_children=0)
