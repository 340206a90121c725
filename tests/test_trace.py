"""Task → goal links (graph/trace.py), on the sample corpus and on hand-made tasks."""
from __future__ import annotations

import pytest

from graph.model import SERVES
from graph.trace import GoalMatcher, TraceItem, match_tokens, numbered_items, trace_tasks
from ingest.vocab import load_vocabulary

VOCAB = load_vocabulary()


@pytest.fixture(scope="module")
def matcher(goal_catalog) -> GoalMatcher:
    return GoalMatcher.from_catalog(goal_catalog.goals, goal_catalog.meta, frozenset(VOCAB.org_by_key))


def task_key(model, stem: str, task_id: str) -> str:
    keys = [k for k, t in model.tasks.items()
            if t.task_id == task_id and (model.documents[t.doc_key].source_path or "").endswith(stem)]
    assert len(keys) == 1, (stem, task_id, keys)
    return keys[0]


def links(model, key: str) -> dict[str, dict]:
    return {e.target: e.props() for e in model.edges if e.type == SERVES and e.source == key}


def group_of(model, goal: str) -> str:
    while model.goals[goal].parent and model.goals[goal].kind != "solution_group":
        goal = model.goals[goal].parent
    return goal


def test_seed_001_initiative_task_serves_the_awareness_group(sample_graph) -> None:
    key = task_key(sample_graph, "001_bd32b1ea4bdd5c5a.txt", "1.1")
    found = links(sample_graph, key)
    assert found, "the task to register a breakthrough initiative links to no goal"
    groups = {group_of(sample_graph, g) for g in found}
    assert "57.SOL.1" in groups
    link = next(p for g, p in found.items() if group_of(sample_graph, g) == "57.SOL.1")
    assert link["method"] == "topical" and link["score"] > 0
    assert "sáng kiến" in link["evidence"]  # the matched keyword is the evidence


def test_seed_004_item_listing_the_seven_groups_links_to_all_seven(sample_graph) -> None:
    keys = [k for k, t in sample_graph.tasks.items() if "(1) " in t.text and "(7) " in t.text
            and (sample_graph.documents[t.doc_key].source_path or "").endswith("004_9393e3e2ef94a598.txt")]
    assert len(keys) == 1
    found = links(sample_graph, keys[0])
    assert {g for g in found if g.startswith("57.SOL.")} == {f"57.SOL.{n}" for n in range(1, 8)}
    for n in range(1, 8):
        assert f"item ({n})" in found[f"57.SOL.{n}"]["evidence"]


@pytest.mark.parametrize("stem", ["a15_ubnd_cv_pctt_mua_mua_bao_2025.txt", "a16_sct_kh_attp_tet_2026.docx",
                                  "b15_sxd_atgt_tet_2026.txt", "b16_ubnd_chi_thi_cchc_2026.txt"])
def test_documents_outside_the_cascade_serve_no_goal(sample_graph, stem: str) -> None:
    tasks = [k for k, t in sample_graph.tasks.items() if (sample_graph.documents[t.doc_key].source_path or "").endswith(stem)]
    assert tasks
    assert not [e for e in sample_graph.edges if e.type == SERVES and e.source in set(tasks)]


def test_every_link_says_how_and_why(sample_graph) -> None:
    serves = [e.props() for e in sample_graph.edges if e.type == SERVES]
    assert serves
    assert all(p["method"] in ("explicit", "inherited", "topical", "curated") and p["evidence"] for p in serves)


@pytest.mark.parametrize(("stem", "foreign"), [
    # a05 (Lạng Sơn) descends from 95/KH-UBND, 69-CTr/TU, 57, 03, 71 and 01-KH/BCĐTW, never from 02-KH/BCĐTW
    ("a05_snv_cv_boi_duong_ky_nang_so.txt", "KH02."),
    # b14 descends from 118/KH-UBND only, which cites neither 03/NQ-CP's appendix nor 204-QĐ/TW
    ("b14_cat_chong_lua_dao_truc_tuyen.txt", "DA204."),
])
def test_only_goals_of_ancestor_documents_are_candidates(sample_graph, stem: str, foreign: str) -> None:
    tasks = {k for k, t in sample_graph.tasks.items() if (sample_graph.documents[t.doc_key].source_path or "").endswith(stem)}
    goals = {e.target for e in sample_graph.edges if e.type == SERVES and e.source in tasks}
    assert goals and not [g for g in goals if g.startswith(foreign)]


# -- hand-made tasks -----------------------------------------------------------------------
def _items(goal_catalog, *texts: str, heading: str | None = None, named: tuple = ()) -> list[TraceItem]:
    candidates = frozenset(g for g in goal_catalog.goals if g.startswith(("57.", "03.", "71.")))
    return [TraceItem(f"t{i}", text, heading, candidates, named) for i, text in enumerate(texts)]


@pytest.mark.parametrize(("number", "goal"), [(69, "03.TASK.69"), (70, "03.GRP.3"), (2, "03.GRP.1")],
                         ids=["catalogued-task", "in-a-group-range", "first-group"])
def test_a_named_appendix_task_links_explicitly(goal_catalog, matcher: GoalMatcher, number: int, goal: str) -> None:
    nq03 = goal_catalog.by_ref["03/nq-cp"]
    items = _items(goal_catalog, f"Sở Tài chính thực hiện nhiệm vụ số {number} Phụ lục II Nghị quyết số 03/NQ-CP",
                   named=(("03/nq-cp", nq03),))
    found = {(link.goal, link.method) for link in trace_tasks(items, matcher, VOCAB)}
    assert (goal, "explicit") in found


def test_an_appendix_not_named_as_central_is_no_central_task(goal_catalog, matcher: GoalMatcher) -> None:
    nq03 = goal_catalog.by_ref["03/nq-cp"]
    items = _items(goal_catalog, "Rà soát văn bản (nhiệm vụ số 3 của Phụ lục), gửi Sở KH&CN", named=(("03/nq-cp", nq03),))
    assert not [link for link in trace_tasks(items, matcher, VOCAB) if link.method == "explicit"]


def test_a_named_solution_group_links_explicitly(goal_catalog, matcher: GoalMatcher) -> None:
    items = _items(goal_catalog, "Triển khai Nhóm nhiệm vụ số 3 của Nghị quyết")
    found = trace_tasks(items, matcher, VOCAB, default_doc=goal_catalog.by_ref["57-nq/tw"])
    assert ("57.SOL.3", "explicit") in {(link.goal, link.method) for link in found}


def test_a_heading_narrows_to_its_group(goal_catalog, matcher: GoalMatcher) -> None:
    heading = "Nâng cao nhận thức, đổi mới tư duy, quyết tâm chính trị, tạo xung lực mới"
    items = _items(goal_catalog, "Các cơ quan, đơn vị tổ chức thực hiện thường xuyên", heading=heading)
    found = trace_tasks(items, matcher, VOCAB)
    assert [(link.goal, link.method) for link in found] == [("57.SOL.1", "inherited")]
    assert any("heading" in e for e in found[0].evidence)


def test_topical_links_keep_their_matched_terms(goal_catalog, matcher: GoalMatcher) -> None:
    items = _items(goal_catalog, "Nâng cao tỷ lệ dịch vụ công trực tuyến toàn trình; số hóa hồ sơ thủ tục hành chính",
                   "Sửa chữa mặt đường hư hỏng trước Tết")
    found = trace_tasks(items, matcher, VOCAB)
    first = [link for link in found if link.task_key == "t0"]
    assert first and all(link.method == "topical" for link in first)
    assert any("dịch vụ công trực tuyến toàn trình" in link.evidence for link in first)
    assert not [link for link in found if link.task_key == "t1"]


def test_curated_decisions_win(goal_catalog, matcher: GoalMatcher) -> None:
    items = _items(goal_catalog, "Nâng cao tỷ lệ dịch vụ công trực tuyến toàn trình; số hóa hồ sơ thủ tục hành chính")
    topical = {link.goal for link in trace_tasks(items, matcher, VOCAB)}
    rejected = min(topical)
    curated = {("t0", rejected): "reject", ("t0", "57.SOL.7"): "confirm"}
    found = {link.goal: link for link in trace_tasks(items, matcher, VOCAB, curated)}
    assert rejected not in found
    assert found["57.SOL.7"].method == "curated"


def test_numbered_items_need_a_run_from_one() -> None:
    assert [n for n, _ in numbered_items("sau: (1) A; (2) B; (3) C")] == [1, 2, 3]
    assert numbered_items("(2) A; (3) B; (4) C") == []
    assert numbered_items("(1) A; (2) B") == []


def test_ocr_damaged_words_are_read_as_the_goal_words(matcher: GoalMatcher) -> None:
    tokens = match_tokens("Tang cudng hop tac quéc té va d6i mai, d6i mai sang tao", VOCAB, matcher.spelling)
    assert tokens[:6] == ["tang", "cuong", "hop", "tac", "quoc", "te"]
    clean = match_tokens("Tăng cường hợp tác quốc tế", VOCAB, matcher.spelling)
    assert clean == ["tang", "cuong", "hop", "tac", "quoc", "te"]


def test_the_57_subject_and_citations_are_not_evidence() -> None:
    tokens = match_tokens("thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
                          "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia", VOCAB)
    assert "sang" not in tokens and "chinh" not in tokens and "57" not in tokens


def test_curated_link_corrections_reach_the_build(goal_catalog) -> None:
    from graph_records import citation, make_record, task

    from graph.build import build_graph
    from graph.corrections import Correction
    record = make_record("lc/dv.txt", "9/VP-KSTT", "Văn phòng Ủy ban nhân dân tỉnh Lai Châu", "2025-06-01",
                         citations=[citation("57-NQ/TW", date="2024-12-22", issuer="Bộ Chính trị", kind="nghi_quyet")],
                         tasks=[task("1", "Nâng cao tỷ lệ dịch vụ công trực tuyến toàn trình; số hóa hồ sơ thủ tục "
                                          "hành chính", lead=["Trung tâm Phục vụ hành chính công"])])
    plain = build_graph([record], goal_catalog)
    [key] = plain.tasks
    topical = {e.target for e in plain.edges if e.type == SERVES}
    assert topical
    rejected = min(topical)
    fixes = [Correction(1, "link", key, rejected, "rejected", None, "2026-01-01T00:00:00Z"),
             Correction(2, "link", key, "57.SOL.7", "confirmed", None, "2026-01-01T00:00:00Z")]
    curated = build_graph([record], goal_catalog, fixes)
    serves = {e.target: e.props()["method"] for e in curated.edges if e.type == SERVES}
    assert rejected not in serves and serves["57.SOL.7"] == "curated"
