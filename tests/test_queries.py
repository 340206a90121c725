"""The questions on the embedded store (queries/*.py), on the sample corpus."""
from __future__ import annotations

from datetime import date

import pytest
from graph_records import make_record, task

from graph.build import build_graph
from graph.store_embedded import EmbeddedStore
from queries import QUERIES, QueryError, cascade, due, findings, lineage, org, search, who

SEED_001 = "corpus/seeds/001_bd32b1ea4bdd5c5a.txt"
SEED_003 = "corpus/seeds/003_27fa050dce847be9.txt"


def paths(rows: list[dict]) -> list[list[str]]:
    out: dict[int, list[str]] = {}
    for row in rows:
        if row["kind"] == "document":
            out.setdefault(row["path"], []).append(row["ref"])
    return [out[k] for k in sorted(out)]


def test_the_registry_names_every_question() -> None:
    assert set(QUERIES) == {"who", "cascade", "lineage", "org", "due", "findings", "search"}
    assert all(callable(module.run) and module.__doc__ for module in QUERIES.values())


# -- lineage -------------------------------------------------------------------------------
def test_lineage_of_seed_001_runs_through_591_to_57(sample_store) -> None:
    rows = lineage.run(sample_store, SEED_001)
    assert [None, "591-CV/TU", "57-NQ/TW"] in paths(rows)
    step = next(r for r in rows if r["ref"] == "57-NQ/TW" and r["step"] == 2)
    assert step["is_inferred"] and step["relation"] == "implements" and "591-CV/TU" in step["evidence"]
    assert all(set(r) == set(lineage.KEYS) for r in rows)


def test_lineage_of_seed_003_runs_through_02_tb_bcd_to_57(sample_store) -> None:
    assert [None, "02-TB/BCĐ", "57-NQ/TW"] in paths(lineage.run(sample_store, SEED_003))


def test_lineage_by_ref_and_by_task(sample_store) -> None:
    by_ref = paths(lineage.run(sample_store, "615/SKHCN-VP"))
    assert ["615/SKHCN-VP", "95/KH-UBND", "69-CTr/TU", "57-NQ/TW"] in by_ref
    doc = sample_store.find_documents(SEED_001)[0]
    task_key = next(k for k in sample_store.tasks_of[doc] if sample_store.node(k)["task_id"] == "1.1")
    rows = lineage.run(sample_store, task_key)
    assert rows[0]["kind"] == "task" and rows[1]["relation"] == "HAS_TASK"
    goals = [r for r in rows if r["kind"] == "goal"]
    assert goals and all(r["relation"] == "SERVES" and r["method"] for r in goals)


def test_documents_outside_the_cascade_have_no_lineage_to_57(sample_store) -> None:
    for stem in ("a15_ubnd_cv_pctt_mua_mua_bao_2025", "a16_sct_kh_attp_tet_2026", "b15_sxd_atgt_tet_2026",
                 "b16_ubnd_chi_thi_cchc_2026"):
        rows = lineage.run(sample_store, stem)
        assert "57-NQ/TW" not in {r["ref"] for r in rows}, stem


# -- who -----------------------------------------------------------------------------------
def test_who_implements_the_group_of_seed_001s_initiative(sample_store) -> None:
    rows = who.run(sample_store, "57.SOL.1")
    doc = sample_store.find_documents(SEED_001)[0]
    mine = {(r["organization"], r["role"]) for r in rows if r["doc_key"] == doc and r["task_id"] == "1.1"}
    assert ("Trung tâm Tin học và Công báo tỉnh Lai Châu", "lead") in mine
    assert ("Trung tâm Phục vụ hành chính công tỉnh Lai Châu", "support") in mine
    row = next(r for r in rows if r["doc_key"] == doc and r["task_id"] == "1.1")
    assert row["path"][0] == "57.SOL.1" and row["path"][-1] == row["served_goal"]
    assert row["method"] == "topical" and row["evidence"] and row["due"] == "2025-01-23"
    assert all(set(r) == set(who.KEYS) for r in rows)


def test_who_for_a_central_document_covers_every_goal_it_sets(sample_store) -> None:
    rows = who.run(sample_store, "57-NQ/TW")
    assert {r["goal"] for r in rows} >= {"57.SOL.1", "57.SOL.5"}
    goals = [r["goal"] for r in rows]
    assert goals == sorted(goals)
    for goal in set(goals):  # within a goal: the goal's own tasks first, then its subgoals', each by ref
        mine = [r for r in rows if r["goal"] == goal]
        assert [len(r["path"]) for r in mine][:1] <= [min(len(r["path"]) for r in mine)]
    for key in {r["task_key"] for r in rows}:
        roles = [r["role"] for r in rows if r["task_key"] == key and r["goal"] == rows[0]["goal"]]
        assert roles == sorted(roles, key=lambda x: (x != "lead", x or ""))
    assert who.run(sample_store, "57-nq/tw", role="lead") == [r for r in rows if r["role"] == "lead"]
    assert who.run(sample_store, "57-NQ/TW", limit=5) == rows[:5]


def test_who_names_what_it_cannot_find(sample_store) -> None:
    with pytest.raises(QueryError, match="no goal id"):
        who.run(sample_store, "99.NOPE")
    with pytest.raises(QueryError, match="sets no goals"):
        who.run(sample_store, "95/KH-UBND")


# -- cascade -------------------------------------------------------------------------------
def test_cascade_below_a_document(sample_store) -> None:
    rows = cascade.run(sample_store, "69-CTr/TU", depth=2, max_tasks=1)
    docs = {r["label"]: r for r in rows if r["row"] == "document"}
    assert docs["69-CTr/TU"]["depth"] == 0
    assert {"689/QĐ-UBND", "95/KH-UBND", "07-TB/BCĐ", "215-CV/TĐTN-PT"} <= {k for k, r in docs.items()
                                                                           if r["depth"] == 1}
    assert docs["615/SKHCN-VP"]["depth"] == 2 and docs["615/SKHCN-VP"]["relation"] == "implements"
    assert "a15" not in str(rows) and "1125/UBND-KT" not in docs
    more = [r for r in rows if r["row"] == "more" and r["key"] == docs["95/KH-UBND"]["key"]]
    assert more and more[0]["more"] == docs["95/KH-UBND"]["tasks"] - 1
    assert all(set(r) == set(cascade.KEYS) for r in rows)


def test_cascade_depth_and_width_are_capped(sample_store) -> None:
    rows = cascade.run(sample_store, "57-NQ/TW", depth=1, max_children=3, max_tasks=0)
    below = [r for r in rows if r["row"] == "document" and r["depth"] == 1]
    assert len(below) == 3
    assert [r["more"] for r in rows if r["row"] == "more" and r["depth"] == 1 and r["parent"] == rows[0]["key"]]


def test_cascade_below_a_goal(sample_store) -> None:
    rows = cascade.run(sample_store, "57.SOL.1")
    assert rows[0]["row"] == "goal" and rows[0]["key"] == "57.SOL.1"
    tasks = [r for r in rows if r["row"] == "task"]
    assert tasks and all(r["served_goal"] and r["method"] for r in tasks)
    levels = [r["level"] for r in rows if r["row"] == "document"]
    order = ("central", "ministry", "province", "department", "district", "commune", None)
    assert levels == sorted(levels, key=order.index)


# -- org and due ---------------------------------------------------------------------------
def test_org_lists_tasks_by_deadline_without_diacritics(sample_store) -> None:
    rows = org.run(sample_store, "so noi vu tinh lang son")
    assert rows and {r["organization"] for r in rows} == {"Sở Nội vụ tỉnh Lạng Sơn"}
    dated = [r["due"] for r in rows if r["due"]]
    assert dated == sorted(dated)
    assert [r["due"] is None for r in rows] == sorted(r["due"] is None for r in rows)  # undated last
    assert org.run(sample_store, "Sở Nội vụ tỉnh Lạng Sơn") == rows
    assert {r["organization"] for r in org.run(sample_store, "sở nội vụ")} >= {"Sở Nội vụ tỉnh Lạng Sơn"}
    assert all(set(r) == set(org.KEYS) for r in rows)


def test_due_as_of_a_fixed_date(sample_store) -> None:
    rows = due.run(sample_store, as_of=date(2026, 1, 10), within=5)
    assert [(r["due"], r["days"]) for r in rows] == sorted((r["due"], r["days"]) for r in rows)
    assert all("2026-01-10" <= r["due"] <= "2026-01-15" and r["status"] == "due" for r in rows)
    found = {(r["doc_ref"], r["task_id"]) for r in rows}
    assert ("07-TB/BCĐ", "2.1.b") in found and ("38/VP-KGVX", "1") in found
    assert due.run(sample_store, as_of="2026-01-10", within=5) == rows


def test_overdue_as_of_a_fixed_date(sample_store) -> None:
    rows = due.run(sample_store, as_of="2025-02-01", overdue=True)
    assert rows and all(r["status"] == "overdue" and r["days"] < 0 for r in rows)
    assert "2025-01-23" in {r["due"] for r in rows}  # seed 001's deadline, a year before its letter
    lai_chau = due.run(sample_store, as_of="2025-02-01", overdue=True, org="trung tam tin hoc")
    assert [r["due"] for r in lai_chau] == ["2025-01-23"]


def test_due_needs_a_date() -> None:
    with pytest.raises(TypeError):
        due.run(None)  # type: ignore[call-arg]


# -- findings ------------------------------------------------------------------------------
def test_findings_report_the_deadlines_before_the_issue_date(sample_store) -> None:
    rows = findings.run(sample_store, code="deadline_before_issue")
    assert {"2025-01-23", "2025-01-12"} <= {r["value"] for r in rows}
    assert findings.run(sample_store, doc=SEED_001, code="deadline_before_issue")[0]["value"] == "2025-01-23"
    assert all(set(r) == {"code", "origin", "doc_key", "ref", "source_path", "task_key", "value", "message"}
               for r in findings.run(sample_store))


# -- search --------------------------------------------------------------------------------
def test_search_without_diacritics(sample_store) -> None:
    rows = search.run(sample_store, "trung tam tin hoc")
    assert rows[0]["kind"] == "organization" and rows[0]["label"].startswith("Trung tâm Tin học và Công báo")
    assert all(set(r) == set(search.KEYS) for r in rows)


def test_search_ranks_the_diacritics_as_typed_first(sample_store) -> None:
    rows = search.run(sample_store, "Trung tâm Tin học", limit=10)
    assert rows[0]["match"] == "exact"
    assert search.run(sample_store, "nothing like this at all") == []


@pytest.fixture(scope="module")
def two_spellings(goal_catalog) -> EmbeddedStore:
    records = [
        make_record("x/binh_lu.txt", "5/UBND-VP", "Uỷ ban nhân dân xã Bình Lư", "2026-01-05",
                    locality=("xã", "Bình Lư"), tasks=[task("1", "Uỷ ban nhân dân xã rà soát hồ sơ đất đai")]),
        make_record("x/nam_tam.txt", "6/UBND-VP", "Ủy ban nhân dân xã Nậm Tăm", "2026-01-06",
                    locality=("xã", "Nậm Tăm"), tasks=[task("1", "Ủy ban nhân dân xã rà soát hồ sơ hộ tịch")]),
    ]
    return EmbeddedStore.from_model(build_graph(records, goal_catalog))


def test_search_finds_both_tone_mark_placements(two_spellings: EmbeddedStore) -> None:
    rows = search.run(two_spellings, "uy ban", kinds=("task",))
    texts = {r["label"] for r in rows}
    assert any("Uỷ ban" in t for t in texts) and any("Ủy ban" in t for t in texts)
    ranked = search.run(two_spellings, "Ủy ban", kinds=("task",))
    assert [r["match"] for r in ranked] == ["exact", "folded"] and "Ủy ban" in ranked[0]["label"]
