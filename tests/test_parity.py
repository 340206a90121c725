"""Every question gives the same answer on both stores: queries/<name>.py on the embedded
store and queries/<name>.cypher (graph/store_neo4j.py's Neo4jStore.run) on a real Neo4j.

The graph is the sample corpus (corpus/seeds + corpus/sample, parsed and built as the CLI
does), synced once for the module. Each case runs one question with one set of parameters
on both stores and compares the rows whole: keys, values and order, or the same error.
Then: a re-sync changes nothing, and a sync of a smaller library removes what left it.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sample_graph import sample_model, sample_records
from test_store_neo4j import clear_chidao_labels

from graph.build import build_graph
from graph.goals import load_catalog
from graph.model import DOCUMENT, GraphModel
from graph.neo4j_rows import model_counts
from graph.store_embedded import EmbeddedStore
from graph.store_neo4j import Neo4jStore
from queries import QUERIES

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def model() -> GraphModel:
    return sample_model()


@pytest.fixture(scope="module")
def embedded(model: GraphModel) -> EmbeddedStore:
    return EmbeddedStore.from_model(model)


@pytest.fixture(scope="module")
def neo4j(neo4j_uri: str, neo4j_auth: tuple[str, str] | None, model: GraphModel) -> Iterator[Neo4jStore]:
    with Neo4jStore(neo4j_uri, neo4j_auth) as store:
        clear_chidao_labels(store)
        store.sync(model)
        yield store


def answer(run: Any, /, **params: Any) -> Any:
    """The rows, or the error, as one comparable value."""
    try:
        return run(**params)
    except Exception as exc:  # noqa: BLE001 — the same failure on both stores is parity too
        return ("error", type(exc).__name__, str(exc))


def assert_same(embedded: EmbeddedStore, neo4j: Neo4jStore, name: str, /, **params: Any) -> Any:
    expected = answer(lambda **p: QUERIES[name].run(embedded, **p), **params)
    got = answer(lambda **p: neo4j.run(name, **p), **params)
    if expected != got and isinstance(expected, list) and isinstance(got, list):
        first = next((i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
                     min(len(expected), len(got)))
        pytest.fail(f"{name} {params}: {len(expected)} rows embedded, {len(got)} on Neo4j; first difference "
                    f"at row {first}:\n  embedded: {expected[first] if first < len(expected) else '-'}\n"
                    f"  neo4j:    {got[first] if first < len(got) else '-'}", pytrace=False)
    assert expected == got, f"{name} {params}"
    return expected


GOAL_GROUPS = [f"57.SOL.{n}" for n in range(1, 8)]
CENTRAL_REFS = ["57-NQ/TW", "71/NQ-CP"]

CASES: list[tuple[str, dict[str, Any]]] = [
    *[("who", {"target": goal}) for goal in [*GOAL_GROUPS, *CENTRAL_REFS]],
    ("who", {"target": "57.sol.2"}),  # case-insensitive goal id
    ("who", {"target": "57.SOL.1.1"}),
    ("who", {"target": "03/NQ-CP"}),
    ("who", {"target": "57-NQ/TW", "method": "topical"}),
    ("who", {"target": "57-NQ/TW", "method": "inherited", "role": "lead"}),
    ("who", {"target": "57-NQ/TW", "role": "support", "limit": 7}),
    ("who", {"target": "69-CTr/TU"}),  # a provincial document sets no goals: the same error
    ("who", {"target": "no such thing"}),
    *[("cascade", {"target": goal}) for goal in [*GOAL_GROUPS, *CENTRAL_REFS]],
    ("cascade", {"target": "57-NQ/TW", "depth": 1, "max_children": 3, "max_tasks": 1}),
    ("cascade", {"target": "57-NQ/TW", "depth": 5, "relations": ("implements",)}),
    ("cascade", {"target": "57.SOL.2", "depth": 0, "max_children": 2, "max_tasks": 2}),
    ("cascade", {"target": "69-CTr/TU", "depth": 4}),
    ("cascade", {"target": "210-KH/TU", "max_children": 1}),
    ("cascade", {"target": "a01_tu_ctr_57", "depth": 2}),  # a file stem
    ("cascade", {"target": "a03_ubnd_kh_57_2025.docx", "depth": 1}),  # a file name
    ("cascade", {"target": "sample/a07_ubnd_cao_loc_kh_57.txt"}),  # the end of a path
    ("cascade", {"target": "other/a07_ubnd_cao_loc_kh_57.txt"}),  # a file name under another folder
    ("cascade", {"target": "nothing"}),
    *[("lineage", {"target": ref}) for ref in CENTRAL_REFS],
    ("lineage", {"target": "591-CV/TU"}),
    ("lineage", {"target": "001_bd32b1ea4bdd5c5a"}),
    ("lineage", {"target": "corpus/seeds/001_bd32b1ea4bdd5c5a.txt"}),
    ("lineage", {"target": "356/BC-STP", "max_depth": 1}),
    ("lineage", {"target": "41-CV/ĐU", "relations": ("implements", "based_on", "mentions")}),
    ("lineage", {"target": "245-TB/HU", "max_paths": 1}),
    ("lineage", {"target": "nothing"}),
    ("org", {"name": "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"}),
    ("org", {"name": "so khoa hoc va cong nghe"}),
    ("org", {"name": "Sở Nội vụ"}),
    ("org", {"name": "uy ban nhan dan", "role": "lead"}),
    ("org", {"name": "Sở Tài chính tỉnh Lạng Sơn", "role": "support", "limit": 3}),
    ("org", {"name": "công an"}),
    ("org", {"name": "no such body"}),
    ("due", {"as_of": "2025-06-01"}),
    ("due", {"as_of": "2025-06-01", "within": 120}),
    ("due", {"as_of": "2025-12-31", "within": 0}),
    ("due", {"as_of": "2026-01-10", "overdue": True}),
    ("due", {"as_of": "2026-03-01", "within": 60, "org": "Sở Khoa học và Công nghệ"}),
    ("due", {"as_of": "2026-01-10", "overdue": True, "org": "uy ban nhan dan", "limit": 5}),
    ("due", {"as_of": "2026-13-01"}),
    ("due", {"as_of": "2025-06-01", "within": -1}),
    ("findings", {}),
    ("findings", {"code": "unresolved_citation"}),
    ("findings", {"code": "deadline_before_issue"}),
    ("findings", {"doc": "312/BC-SYT"}),
    ("findings", {"doc": "001_bd32b1ea4bdd5c5a", "limit": 2}),
    ("findings", {"doc": "nothing"}),
    ("search", {"text": "trung tam tin hoc"}),
    ("search", {"text": "uy ban"}),
    ("search", {"text": "Ủy ban nhân dân tỉnh"}),
    ("search", {"text": "chuyển đổi số", "limit": 20}),
    ("search", {"text": "57-NQ/TW"}),
    ("search", {"text": "KH&CN"}),
    ("search", {"text": "&"}),
    ("search", {"text": "tổ chức thực hiện", "kinds": ("task",)}),
    ("search", {"text": "so noi vu", "kinds": ("organization", "document")}),
    ("search", {"text": "binh dan hoc vu so", "limit": 3, "scan": 5}),
    ("search", {"text": "tổ chức quán triệt, tuyên truyền Nghị quyết"}),  # more than three words
    ("search", {"text": "phong trao binh dan hoc vu so", "limit": 5}),
    ("search", {"text": "zzzz"}),
    ("search", {"text": "   "}),
]


@pytest.mark.parametrize(("name", "params"), CASES,
                         ids=[f"{name}-{'-'.join(str(v) for v in params.values())}" for name, params in CASES])
def test_same_answer_on_both_stores(embedded: EmbeddedStore, neo4j: Neo4jStore, name: str,
                                    params: dict[str, Any]) -> None:
    assert_same(embedded, neo4j, name, **params)


def test_every_question_has_a_cypher_twin_and_cases() -> None:
    from graph.neo4j_questions import QUESTIONS, statements

    assert set(QUESTIONS) == set(QUERIES)
    for name in QUESTIONS:
        assert statements(name), name
    assert {name for name, _ in CASES} == set(QUERIES)


def test_documents_by_key_and_path_and_their_tasks(model: GraphModel, embedded: EmbeddedStore,
                                                   neo4j: Neo4jStore) -> None:
    docs = sorted((d for d in model.documents.values() if d.source_path and not d.is_central),
                  key=lambda d: d.key)
    assert docs
    for doc in docs:
        for target in (doc.key, doc.source_path):
            assert_same(embedded, neo4j, "cascade", target=target, depth=2)
            assert_same(embedded, neo4j, "lineage", target=target)
            assert_same(embedded, neo4j, "findings", doc=target)
        tasks = [t for t in model.tasks.values() if t.doc_key == doc.key][:3]
        for t in tasks:
            assert_same(embedded, neo4j, "lineage", target=t.key)


def test_every_organisation_by_its_name(model: GraphModel, embedded: EmbeddedStore, neo4j: Neo4jStore) -> None:
    for org in sorted(model.organizations.values(), key=lambda o: o.key):
        assert_same(embedded, neo4j, "org", name=org.name)
        assert_same(embedded, neo4j, "search", text=org.name, limit=10)


def test_every_goal(model: GraphModel, embedded: EmbeddedStore, neo4j: Neo4jStore) -> None:
    for goal in sorted(model.goals):
        assert_same(embedded, neo4j, "who", target=goal)
        assert_same(embedded, neo4j, "cascade", target=goal, max_tasks=2)


@pytest.mark.parametrize("as_of", ["2024-12-31", "2025-03-31", "2025-09-30", "2026-01-01", "2026-06-30"])
def test_due_around_the_year(embedded: EmbeddedStore, neo4j: Neo4jStore, as_of: str) -> None:
    assert_same(embedded, neo4j, "due", as_of=as_of, within=90)
    assert_same(embedded, neo4j, "due", as_of=as_of, overdue=True)


# -- re-sync (last: the smaller sync changes the module's database, then restores it) ----------

def test_resync_twice_changes_no_count(model: GraphModel, neo4j: Neo4jStore) -> None:
    before = neo4j.counts()
    assert before == model_counts(model)
    for _ in range(2):
        report = neo4j.sync(model)
        assert report.deleted_nodes == report.deleted_relationships == 0
        assert neo4j.counts() == before


def test_sync_of_a_smaller_library_removes_what_left(model: GraphModel, neo4j: Neo4jStore) -> None:
    # The library without the second cascade (corpus/sample/b*): its documents, tasks and
    # organisations leave the graph, and the answers follow.
    kept = [r for r in sample_records() if "/sample/b" not in r["source"]["path"]]
    smaller = build_graph(kept, load_catalog())
    gone = set(model.documents) - set(smaller.documents)
    assert gone
    try:
        report = neo4j.sync(smaller)
        assert report.deleted_nodes > 0
        assert neo4j.counts() == model_counts(smaller)
        left = neo4j.read("MATCH (d:Document) WHERE d.key IN $gone RETURN count(d) AS n", {"gone": sorted(gone)})
        assert left == [{"n": 0}]
        embedded = EmbeddedStore.from_model(smaller)
        for name, params in [("who", {"target": "57-NQ/TW"}), ("cascade", {"target": "71/NQ-CP"}),
                             ("due", {"as_of": "2026-01-10", "overdue": True}), ("findings", {}),
                             ("search", {"text": "uy ban"})]:
            assert_same(embedded, neo4j, name, **params)
    finally:
        neo4j.sync(model)
    assert neo4j.counts() == model_counts(model)
    assert DOCUMENT in neo4j.counts()[0]
